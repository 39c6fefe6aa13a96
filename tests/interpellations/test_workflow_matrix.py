"""Every (state, role, action) of an interpellation: the page offers exactly what the services
accept (tests/workflow_matrix.py).

The vote is in two states here, a member still to vote (closing early refused) and everyone
voted (closing allowed): the guard the page and the service share. The institution's answer
through its link and the daily job's « délai dépassé » belong to no account: no person is ever
offered them (tests/interpellations/test_workflow.py tries them from every side)."""

import itertools
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enfance.accounts.models import Role
from enfance.interpellations import services
from enfance.interpellations.enums import State
from enfance.interpellations.models import Interpellation
from enfance.votes import services as votes
from tests.factories import UserFactory, with_totp
from tests.workflow_matrix import assert_page_and_service_agree

from .test_workflow import FIELDS, _voted

pytestmark = pytest.mark.django_db

STATES = [
    "draft",
    "voting, a member still to vote",
    "voting, everyone voted",
    "adopted",
    "rejected",
    "sent",
    "overdue",
    "answered",
]
ROLES = ["secretary", "member", "administrateur_national", "citoyen"]


def _interpellation(state, instance, members) -> Interpellation:
    secretary = members[0]
    if state == "draft":
        return services.create_interpellation(instance, by=secretary, **FIELDS)
    if state.startswith("voting"):
        draft = services.create_interpellation(instance, by=secretary, **FIELDS)
        ballot = services.submit_to_vote(
            draft, by=secretary, closes_at=timezone.now() + timedelta(days=7)
        )
        voters = members if state.endswith("everyone voted") else members[:2]
        for member in voters:
            votes.cast_vote(ballot, by=member, choice="pour")
        draft.refresh_from_db()
        return draft
    if state == "rejected":
        return _voted(instance, members, choices=("contre", "contre", "pour"))
    adopted = _voted(instance, members)
    if state == "adopted":
        return adopted
    sent = services.send(adopted, by=secretary)
    if state == "overdue":
        Interpellation.objects.filter(pk=sent.pk).update(state=State.OVERDUE)
    elif state == "answered":
        services.record_postal_answer(
            sent, by=secretary, received_on=timezone.localdate(), text="Nous agissons."
        )
    return Interpellation.objects.get(pk=sent.pk)


def _person(role, members):
    if role == "secretary":
        return members[0]
    if role == "member":
        return members[1]
    person = with_totp(UserFactory())
    if role == "administrateur_national":
        Role.objects.create(user=person, kind=role, scope_level="national")
    return person


def _buttons(interpellation) -> dict[str, str]:
    def url(name):
        return reverse(f"interpellations:{name}", args=[interpellation.pk])

    return {
        "edit": f'href="{url("edit")}"',
        "submit_to_vote": f'action="{url("submit_to_vote")}"',
        "conclude": f'action="{url("conclude")}"',
        "back_to_draft": f'action="{url("back_to_draft")}"',
        "send": f'action="{url("send")}"',
        "record_postal_answer": f'href="{url("postal_answer")}"',
    }


@pytest.mark.parametrize(("state", "role"), list(itertools.product(STATES, ROLES)))
def test_the_page_offers_what_the_service_accepts(client, instance, members, state, role):
    interpellation = _interpellation(state, instance, members)
    person = _person(role, members)
    client.force_login(person)
    response = client.get(interpellation.get_absolute_url())
    assert response.status_code in (200, 404)
    html = response.content.decode() if response.status_code == 200 else ""
    today = timezone.localdate()
    assert_page_and_service_agree(
        where=f"{state} / {role}",
        abilities=interpellation.abilities(person),
        attempts={
            "edit": lambda: services.update_interpellation(interpellation, by=person, **FIELDS),
            "submit_to_vote": lambda: services.submit_to_vote(
                interpellation, by=person, closes_at=timezone.now() + timedelta(days=7)
            ),
            "conclude": lambda: services.conclude_vote(interpellation, by=person),
            "back_to_draft": lambda: services.back_to_draft(interpellation, by=person),
            "send": lambda: services.send(interpellation, by=person),
            "record_postal_answer": lambda: services.record_postal_answer(
                interpellation, by=person, received_on=today, text="Réponse reçue."
            ),
        },
        html=html,
        buttons=_buttons(interpellation),
    )


def test_without_members_the_page_does_not_offer_a_vote_nobody_could_cast(
    client, instance, members
):
    """The guard of « soumettre au vote »: the instance has no member in office (the national
    administration still manages its drafts)."""
    draft = _interpellation("draft", instance, members)
    admin = _person("administrateur_national", members)
    instance.memberships.update(ended_on=timezone.localdate() - timedelta(days=1))
    abilities = draft.abilities(admin)
    assert abilities["edit"] and not abilities["submit_to_vote"]
    client.force_login(admin)
    assert_page_and_service_agree(
        where="draft / sans membres",
        abilities=abilities,
        attempts={
            "submit_to_vote": lambda: services.submit_to_vote(
                draft, by=admin, closes_at=timezone.now() + timedelta(days=7)
            )
        },
        html=client.get(draft.get_absolute_url()).content.decode(),
        buttons=_buttons(draft),
    )
