"""Every (state, role, action) of a practice: the page offers exactly what the service accepts
(tests/workflow_matrix.py), for a declared fiche without and with the département's agreement
and for a fiche ONPE.

Declaring a conflict of interest is left out: the service accepts a second declaration on
purpose (a double click gives the one conflict) while the page offers it once.
"""

import datetime
import itertools

import pytest
from django.urls import reverse

from enfance.accounts.models import Role
from enfance.practices import services
from enfance.practices.enums import EvidenceStage, PracticeLevel, PracticeState
from enfance.practices.models import ConflictOfInterest
from tests.factories import UserFactory, with_totp
from tests.workflow_matrix import assert_page_and_service_agree

from .factories import PracticeFactory, committee_member, redacteur_onpe

pytestmark = pytest.mark.django_db

AGREEMENT = {
    "departement_agreement_by": "Claire Petit, directrice enfance-famille",
    "departement_agreement_on": datetime.date(2024, 1, 15),
}
NO_AGREEMENT = {"departement_agreement_by": "", "departement_agreement_on": None}
KINDS = ["declared", "declared_with_agreement", "onpe"]
ROLES = [
    "declarant",
    "committee_member",
    "committee_member_in_conflict",
    "redacteur_onpe",
    "national_administrator",
    "citizen",
]
# A published declared fiche always has the agreement (a database constraint).
CASES = [
    (kind, state, role)
    for kind, state, role in itertools.product(KINDS, PracticeState.values, ROLES)
    if not (kind == "declared" and state == PracticeState.PUBLISHED)
]


def _practice(kind, state):
    if kind == "onpe":
        return PracticeFactory(
            state=state,
            level=PracticeLevel.ONPE,
            evidence_stage=EvidenceStage.ONPE,
            declarant=redacteur_onpe(),
            **NO_AGREEMENT,
        )
    return PracticeFactory(
        state=state, **(AGREEMENT if kind == "declared_with_agreement" else NO_AGREEMENT)
    )


def _person(role, practice):
    if role == "declarant":
        return practice.declarant
    if role == "committee_member":
        return committee_member()
    if role == "committee_member_in_conflict":
        member = committee_member()
        ConflictOfInterest.objects.create(practice=practice, member=member)
        return member
    if role == "redacteur_onpe":
        return redacteur_onpe()
    if role == "national_administrator":
        person = with_totp(UserFactory())
        Role.objects.create(user=person, kind="administrateur_national", scope_level="national")
        return person
    return UserFactory()


def _attempts(practice, person):
    return {
        "submit": lambda: services.submit_practice(practice, by=person),
        "take_for_review": lambda: services.take_for_review(practice, by=person),
        "request_information": lambda: services.request_information(
            practice, by=person, message="Combien de familles accueillez-vous ?"
        ),
        "resubmit": lambda: services.resubmit_practice(practice, by=person),
        "publish": lambda: services.publish_practice(practice, by=person),
        "refuse": lambda: services.refuse_practice(practice, by=person, reason="Hors champ."),
        "publish_onpe": lambda: services.publish_onpe_fiche(practice, by=person),
        "unpublish": lambda: services.unpublish_onpe_fiche(practice, by=person),
        "record_agreement": lambda: services.record_departement_agreement(
            practice, by=person, given_by="Claire Petit", given_on=datetime.date(2024, 1, 15)
        ),
        "edit": lambda: services.save_practice(practice, by=person, fields={"title": "Titre"}),
        "write": lambda: services.post_message(practice, by=person, body="Bonjour."),
        "rate": lambda: services.set_evidence(
            practice, by=person, stage="reviewed", level=3, reviewed_on=datetime.date(2024, 2, 1)
        ),
        "mark": lambda: services.mark_practice(practice, by=person, criterion="pertinence"),
    }


def _review_buttons(practice):
    """What each action shows on the review page: the address its form posts to."""
    buttons = {
        name: f'action="{reverse("practices:transition", args=[practice.pk, name])}"'
        for name in ("take_for_review", "request_information", "publish", "refuse", "unpublish")
    }
    for name, url_name in (
        ("record_agreement", "agreement"),
        ("write", "message"),
        ("rate", "evidence"),
        ("mark", "mark"),
    ):
        buttons[name] = f'action="{reverse(f"practices:{url_name}", args=[practice.pk])}"'
    buttons["edit"] = f'href="{reverse("practices:edit", args=[practice.pk])}"'
    return buttons


# The declarant's and the rédacteur's steps are buttons of the edit page.
EDIT_BUTTONS = {
    "submit": ">Transmettre au comité de sélection</button>",
    "resubmit": ">Renvoyer au comité</button>",
    "publish_onpe": ">Publier la fiche</button>",
}


def _html(client, url):
    response = client.get(url)
    assert response.status_code in (200, 403, 404)
    return response.content.decode() if response.status_code == 200 else ""


@pytest.mark.parametrize(("kind", "state", "role"), CASES)
def test_the_pages_offer_what_the_services_accept(client, kind, state, role):
    practice = _practice(kind, state)
    person = _person(role, practice)
    abilities = practice.abilities(person)
    attempts = _attempts(practice, person)
    client.force_login(person)
    where = f"{kind} / {state} / {role}"
    assert_page_and_service_agree(
        where=f"{where} / page de suivi",
        abilities=abilities,
        attempts={name: attempt for name, attempt in attempts.items() if name not in EDIT_BUTTONS},
        html=_html(client, reverse("practices:review", args=[practice.pk])),
        buttons=_review_buttons(practice),
    )
    assert_page_and_service_agree(
        where=f"{where} / modification",
        abilities=abilities,
        attempts={name: attempts[name] for name in EDIT_BUTTONS},
        html=_html(client, reverse("practices:edit", args=[practice.pk])),
        buttons=EDIT_BUTTONS,
    )
