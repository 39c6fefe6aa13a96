"""Every (state, role, action) of a ballot's management: the page offers exactly what the
services accept (tests/workflow_matrix.py), the context's closing rule and the size of the
electorate included."""

import itertools
from datetime import timedelta

import pytest
from django.urls import reverse

from enfance.votes import services
from enfance.votes.enums import BallotState
from enfance.votes.models import Ballot
from tests.factories import UserFactory
from tests.testapp.models import VotingBody
from tests.workflow_matrix import assert_page_and_service_agree

from .factories import make_ballot, open_ballot, voting_body

pytestmark = pytest.mark.django_db

CONTEXT_RULE = "Le vote ne peut pas encore être clos : attendez la fin de la séance."
STATES = [
    "draft",
    "draft, closing time passed",
    "open",
    "open, the context refuses to close",
    "open, everyone voted",
    "closed",
    "cancelled",
]
ROLES = ["manager", "elector", "citoyen"]


def _ballot(state, body, monkeypatch) -> Ballot:
    if state == "draft":
        return make_ballot(body, method="majority")
    if state == "draft, closing time passed":
        return make_ballot(
            body, method="majority", opens_in=timedelta(days=-3), lasts=timedelta(days=1)
        )
    ballot = open_ballot(body, method="majority")
    if state == "open, the context refuses to close":
        monkeypatch.setattr(
            VotingBody, "ballot_closing_refusal", lambda *args: CONTEXT_RULE, raising=False
        )
    elif state == "open, everyone voted":
        for member in body.members.all():
            services.cast_vote(ballot, by=member, choice="pour")
    elif state == "closed":
        services.close_ballot(ballot, by=body.manager)
    elif state == "cancelled":
        services.cancel_ballot(ballot, by=body.manager)
    return Ballot.objects.get(pk=ballot.pk)


def _person(role, body):
    return {
        "manager": body.manager,
        "elector": body.members.order_by("pk").first(),
        "citoyen": UserFactory(),
    }[role]


def _buttons(ballot) -> dict[str, str]:
    return {
        **{
            name: f'action="{reverse("votes:transition", args=[ballot.pk, name])}"'
            for name in ("open", "close", "cancel")
        },
        "record_paper_ballot": 'name="action" value="papier"',
        "give_proxy": 'name="action" value="procuration"',
    }


@pytest.mark.parametrize(("state", "role"), list(itertools.product(STATES, ROLES)))
def test_the_page_offers_what_the_service_accepts(client, monkeypatch, state, role):
    body = voting_body()
    ballot = _ballot(state, body, monkeypatch)
    person = _person(role, body)
    _, giver, holder = body.members.order_by("pk")
    client.force_login(person)
    response = client.get(reverse("votes:manage", args=[ballot.pk]))
    assert response.status_code == (200 if role == "manager" else 403)
    html = response.content.decode() if response.status_code == 200 else ""
    assert_page_and_service_agree(
        where=f"{state} / {role}",
        abilities=ballot.abilities(person),
        attempts={
            "open": lambda: services.open_with_its_electorate(ballot, by=person),
            "close": lambda: services.close_ballot(ballot, by=person),
            "cancel": lambda: services.cancel_ballot(ballot, by=person),
            "record_paper_ballot": lambda: services.record_paper_ballot(
                ballot, by=person, choice="pour"
            ),
            "give_proxy": lambda: services.give_proxy(
                ballot, by=person, giver=giver, holder=holder
            ),
        },
        html=html,
        buttons=_buttons(ballot),
    )
    if state == "open, the context refuses to close" and role == "manager":
        # Said, with a disabled button, rather than offered then refused.
        assert CONTEXT_RULE in html and "disabled" in html


def test_the_page_does_not_offer_to_open_a_ballot_whose_context_has_no_electorate(
    client, monkeypatch
):
    """Opened from its context's page only (an election, a national consultation)."""
    body = voting_body()
    ballot = make_ballot(body, method="majority")
    monkeypatch.delattr(VotingBody, "ballot_electorate")
    abilities = ballot.abilities(body.manager)
    assert abilities["cancel"] and not abilities["open"]
    client.force_login(body.manager)
    assert_page_and_service_agree(
        where="draft / contexte sans corps électoral",
        abilities=abilities,
        attempts={"open": lambda: services.open_with_its_electorate(ballot, by=body.manager)},
        html=client.get(reverse("votes:manage", args=[ballot.pk])).content.decode(),
        buttons=_buttons(ballot),
    )
    assert Ballot.objects.get(pk=ballot.pk).state == BallotState.DRAFT
