"""Every (state, role, action) of the petition: the management page and the paper sheets' page
offer exactly what the services accept (tests/workflow_matrix.py). Signing needs no account:
it follows the petition's state alone (tests/petitions/test_signing.py)."""

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from enfance.accounts.models import Role
from enfance.petitions import services
from enfance.petitions.enums import PetitionState
from enfance.petitions.models import Petition
from tests.assemblies.factories import InstanceFactory, secretary_of
from tests.factories import RegionFactory, UserFactory, with_totp
from tests.workflow_matrix import assert_page_and_service_agree

from .factories import PetitionFactory

pytestmark = pytest.mark.django_db

STATES = list(PetitionState.values)
ROLES = ["administrateur_national", "administrateur régional", "secrétaire d'instance", "citoyen"]
TRANSITIONS = ("close", "submit", "anonymise")


def _person(role, instance):
    if role == "secrétaire d'instance":
        return secretary_of(instance)
    person = with_totp(UserFactory())
    if role == "administrateur_national":
        Role.objects.create(user=person, kind=role, scope_level="national")
    elif role == "administrateur régional":
        Role.objects.create(
            user=person,
            kind="administrateur_national",
            scope_level="region",
            region=RegionFactory(),
        )
    return person


def _html(client, url) -> str:
    response = client.get(url)
    assert response.status_code in (200, 403)
    return response.content.decode() if response.status_code == 200 else ""


@pytest.mark.parametrize(("state", "role"), list(itertools.product(STATES, ROLES)))
def test_the_pages_offer_what_the_services_accept(client, state, role):
    petition = PetitionFactory(state=state, submitted_at=timezone.now())
    instance = InstanceFactory()
    person = _person(role, instance)
    client.force_login(person)
    abilities = petition.abilities(person)
    assert_page_and_service_agree(
        where=f"{state} / {role} / gestion",
        abilities=abilities,
        attempts={
            name: (lambda name=name: services.transition(petition, by=person, name=name))
            for name in TRANSITIONS
        },
        html=_html(client, reverse("petitions:manage")),
        buttons={name: f'name="transition" value="{name}"' for name in TRANSITIONS},
    )
    assert_page_and_service_agree(
        where=f"{state} / {role} / feuilles papier",
        abilities=abilities,
        attempts={
            "add_paper_sheet": lambda: services.add_paper_sheet(
                petition,
                by=person,
                instance=instance,
                signatures=12,
                sheets=1,
                collected_at="Forum de Villeurbanne",
                collected_on=timezone.localdate(),
            )
        },
        html=_html(client, reverse("petitions:paper_sheets")),
        buttons={"add_paper_sheet": "Enregistrer la saisie"},
    )
    assert Petition.objects.get(pk=petition.pk).state == state
