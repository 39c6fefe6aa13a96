"""Every (state, role, action) of a proposal and of an amendment: the pages offer exactly what
the services accept (tests/workflow_matrix.py)."""

import itertools
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from enfance.accounts.models import Role
from enfance.proposals import services
from enfance.proposals.enums import AmendedPart, ProposalState
from enfance.proposals.models import Amendment
from enfance.texts import services as texts
from enfance.texts.services import ArticleDraft
from tests.assemblies.factories import InstanceFactory, child, seat_directly, secretary_of
from tests.factories import UserFactory, with_totp
from tests.workflow_matrix import assert_page_and_service_agree

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db

S = ProposalState
# Every state, and the deliberation once its final vote is open.
SITUATIONS = [*S.values, "vote_final_ouvert"]
ROLES = ["auteur", "auteur_mineur", "citoyen", "membre", "secretaire", "administrateur"]
TEXTS = {
    "title": "Des maisons des familles",
    "problem": "Pas de lieu d'accueil.",
    "body": "Ouvrir une maison des familles.",
    "expected_effect": "Moins de placements.",
}


def _people(instance) -> dict:
    administrator = with_totp(UserFactory())
    Role.objects.create(user=administrator, kind="administrateur_national", scope_level="national")
    return {
        "auteur": UserFactory(),
        "auteur_mineur": child(date(date.today().year - 15, 1, 1)),
        "citoyen": UserFactory(),
        "membre": seat_directly(instance, "parents").user,
        "secretaire": secretary_of(instance),
        "administrateur": administrator,
    }


def _proposal(situation, author, instance, secretary):
    state = S.UNDER_DELIBERATION if situation == "vote_final_ouvert" else situation
    published = state not in (S.DRAFT, S.PENDING_MODERATION)
    proposal = ProposalFactory(
        author=author,
        state=state,
        published_at=timezone.now() if published else None,
        instance=instance if state not in (S.DRAFT, S.PENDING_MODERATION, S.PUBLISHED) else None,
        taken_up_at=timezone.now() if published and state != S.PUBLISHED else None,
    )
    if situation == "vote_final_ouvert":
        services.open_decision_vote(proposal, by=secretary)
        proposal.refresh_from_db()
    return proposal


def _page(client, person, proposal) -> str:
    client.force_login(person)
    html = ""
    for url in (proposal.get_absolute_url(), reverse("proposals:moderation")):
        response = client.get(url)
        if response.status_code == 200:
            html += response.content.decode()
    return html


@pytest.mark.parametrize(("situation", "role"), list(itertools.product(SITUATIONS, ROLES)))
def test_the_proposal_page_offers_what_the_services_accept(client, situation, role):
    instance = InstanceFactory()
    people = _people(instance)
    person = people[role]
    author = person if role.startswith("auteur") else people["auteur"]
    proposal = _proposal(situation, author, instance, people["secretaire"])
    pk = proposal.pk
    assert_page_and_service_agree(
        where=f"{situation} / {role}",
        abilities=proposal.abilities(person),
        attempts={
            "edit": lambda: services.update_proposal(proposal, by=person, **TEXTS),
            "publish": lambda: services.publish_proposal(proposal, by=person),
            "approve": lambda: services.moderate_proposal(proposal, by=person, approve=True),
            "send_back": lambda: services.moderate_proposal(
                proposal, by=person, approve=False, reason="Retirez le prénom."
            ),
            "support": lambda: services.support(proposal, by=person),
            "comment": lambda: services.add_comment(proposal, by=person, body="Bonne idée."),
            "take_up": lambda: services.take_up(proposal, by=person, instance=instance),
            "amend": lambda: services.propose_amendment(
                proposal, by=person, part=AmendedPart.BODY, new_text="Une autre rédaction."
            ),
            "open_decision": lambda: services.open_decision_vote(proposal, by=person),
            "conclude_decision": lambda: services.conclude_decision(proposal, by=person),
            "transmit": lambda: services.transmit(proposal, by=person),
            "consolidate": lambda: texts.consolidate_law_proposal(
                by=person,
                title="Proposition de loi",
                preamble="Exposé des motifs.",
                articles=[ArticleDraft(body="Article unique.")],
                source_proposals=[proposal],
            ),
        },
        html=_page(client, person, proposal),
        buttons={
            "edit": f'href="/propositions/{pk}/modifier/"',
            "publish": f'action="/propositions/{pk}/publier/"',
            "approve": f'action="/propositions/{pk}/moderer/"',
            "send_back": f'href="/propositions/{pk}/moderer/"',
            "support": f'action="/propositions/{pk}/soutenir/"',
            "comment": f'action="/propositions/{pk}/commenter/"',
            "take_up": f'action="/propositions/{pk}/deliberation/"',
            "amend": f'href="/propositions/{pk}/amendements/nouveau/"',
            "open_decision": f'action="/propositions/{pk}/vote-final/"',
            "conclude_decision": f'action="/propositions/{pk}/vote-final/conclure/"',
            "transmit": f'action="/propositions/{pk}/transmettre/"',
            "consolidate": f"?proposition={pk}",
        },
    )


AMENDMENT_SITUATIONS = ["propose", "au_vote", "accepte", "rejete", "propose_hors_deliberation"]
AMENDMENT_ROLES = ["secretaire", "membre", "citoyen", "secretaire_ailleurs"]


def _amendment(situation, proposal, author, secretary) -> Amendment:
    amendment = services.propose_amendment(
        proposal, by=author, part=AmendedPart.BODY, new_text="Une autre rédaction."
    )
    if situation in ("au_vote", "accepte", "rejete"):
        services.open_amendment_vote(amendment, by=secretary)
    if situation in ("accepte", "rejete"):
        # Nobody voted: rejected; accepted is written as the vote's conclusion would.
        amendment = services.conclude_amendment_vote(amendment, by=secretary)
        if situation == "accepte":
            Amendment.objects.filter(pk=amendment.pk).update(state=situation)
    if situation == "propose_hors_deliberation":
        type(proposal).objects.filter(pk=proposal.pk).update(state=S.REJECTED)
    return Amendment.objects.select_related("proposal").get(pk=amendment.pk)


@pytest.mark.parametrize(
    ("situation", "role"), list(itertools.product(AMENDMENT_SITUATIONS, AMENDMENT_ROLES))
)
def test_the_amendment_buttons_offer_what_the_services_accept(client, situation, role):
    instance = InstanceFactory()
    secretary, member = secretary_of(instance), seat_directly(instance, "parents").user
    person = {
        "secretaire": secretary,
        "membre": member,
        "citoyen": UserFactory(),
        "secretaire_ailleurs": secretary_of(InstanceFactory()),
    }[role]
    proposal = ProposalFactory(
        state=S.UNDER_DELIBERATION, instance=instance, taken_up_at=timezone.now()
    )
    amendment = _amendment(situation, proposal, member, secretary)
    client.force_login(person)
    assert_page_and_service_agree(
        where=f"{situation} / {role}",
        abilities=amendment.abilities(person),
        attempts={
            "open_vote": lambda: services.open_amendment_vote(amendment, by=person),
            "conclude_vote": lambda: services.conclude_amendment_vote(amendment, by=person),
        },
        html=client.get(proposal.get_absolute_url()).content.decode(),
        buttons={
            "open_vote": f'action="/propositions/amendements/{amendment.pk}/vote/"',
            "conclude_vote": f'action="/propositions/amendements/{amendment.pk}/conclure/"',
        },
    )
