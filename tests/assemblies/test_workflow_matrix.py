"""Every (state, role, action) of the instances' workflows: the page offers exactly what the
service accepts (tests/workflow_matrix.py). INSTANCE_WORKFLOW and APPLICATION_WORKFLOW here;
MINUTES_WORKFLOW and INSTANCE_PROPOSAL_WORKFLOW in test_workflow_matrix_minutes_proposals.py."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from enfance.accounts.models import Role
from enfance.assemblies import services
from enfance.assemblies.enums import ApplicationStatus, InstanceStatus, MemberRole, SelectionMethod
from enfance.assemblies.models import Application
from enfance.assemblies.workflows import APPLICATION_WORKFLOW, INSTANCE_WORKFLOW
from enfance.votes import services as votes
from tests.assemblies.factories import MINIMUM, InstanceFactory, college, fill, seat_directly
from tests.factories import CommuneFactory, RegionFactory, UserFactory, with_totp
from tests.workflow_matrix import assert_page_and_service_agree

pytestmark = pytest.mark.django_db

ROLES = [
    "secretaire",
    "administrateur_national",
    "administrateur_autre_region",
    "membre",
    "citoyen",
]


def _person(role, instance):
    if role == "secretaire":
        return seat_directly(instance, "associatifs", role=MemberRole.SECRETAIRE).user
    if role == "membre":
        return seat_directly(instance, "parents").user
    if role.startswith("administrateur"):
        person = with_totp(UserFactory())
        if role == "administrateur_national":
            Role.objects.create(user=person, kind="administrateur_national", scope_level="national")
        else:
            Role.objects.create(
                user=person,
                kind="administrateur_national",
                scope_level="region",
                region=RegionFactory(code="75", name="Nouvelle-Aquitaine"),
            )
        return person
    return UserFactory(commune=CommuneFactory())


def _page(client, person, url) -> str:
    client.force_login(person)
    response = client.get(url)
    return response.content.decode() if response.status_code == 200 else ""


# Instances ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("state", "role"), list(itertools.product(InstanceStatus.values, ROLES)))
def test_an_instance_page_offers_what_the_service_accepts(client, state, role):
    instance = InstanceFactory(status=state)
    # The minimum of every college: constituted, with a free seat among the parents.
    fill(instance, {**MINIMUM, "associatifs": 3, "parents": 3})
    person = _person(role, instance)
    html = _page(client, person, instance.get_absolute_url()) + _page(
        client, person, f"/instances/{instance.slug}/gestion/"
    )
    attempts = {
        name: (
            lambda name=name: services.change_instance_status(instance, by=person, transition=name)
        )
        for name in (t.name for t in INSTANCE_WORKFLOW.transitions)
    }
    attempts["add_member"] = lambda: services.add_member(
        instance,
        by=person,
        user=UserFactory(),
        college=college("parents"),
        mandate_start=timezone.localdate(),
        selection_method=SelectionMethod.COOPTE,
    )
    attempts["apply"] = lambda: services.apply(
        instance, by=person, college=college("parents"), motivation="Je veux aider."
    )
    buttons = {name: f"/gestion/etat/{name}/" for name in attempts}
    buttons["add_member"] = "Installer le membre"
    buttons["apply"] = f"/instances/{instance.slug}/candidater/"
    assert_page_and_service_agree(
        where=f"{state} / {role}",
        abilities=instance.abilities(person),
        attempts=attempts,
        html=html,
        buttons=buttons,
    )


# Applications ---------------------------------------------------------------------------------

# A shortlisted application with its co-optation vote open is a state of its own for the page.
WITH_VOTE = "retenue_vote_ouvert"
APPLICATION_STATES = [*ApplicationStatus.values, WITH_VOTE]
APPLICATION_ROLES = ["secretaire", "administrateur_national", "membre", "candidat"]


def _application(instance, state, secretary):
    applicant = UserFactory(commune=CommuneFactory())
    application = services.apply(
        instance, by=applicant, college=college("parents"), motivation="Mère de trois enfants."
    )
    if state == WITH_VOTE:
        services.shortlist(application, by=secretary)
        now = timezone.now()
        services.open_cooptation(
            application, by=secretary, opens_at=now, closes_at=now + timedelta(days=7)
        )
    else:
        Application.objects.filter(pk=application.pk).update(status=state)
    application.refresh_from_db()
    return application


def _some_ballot(instance, secretary):
    now = timezone.now()
    return votes.create_ballot(
        instance,
        by=secretary,
        title="Élection au collège des parents",
        method="majority_judgment",
        opens_at=now,
        closes_at=now + timedelta(hours=2),
        options=["A", "B"],
    )


@pytest.mark.parametrize(
    ("state", "role"), list(itertools.product(APPLICATION_STATES, APPLICATION_ROLES))
)
def test_the_applications_page_offers_what_the_services_accept(client, state, role):
    instance = InstanceFactory()
    fill(instance, {**MINIMUM, "associatifs": 3, "parents": 3})
    secretary = seat_directly(instance, "associatifs", role=MemberRole.SECRETAIRE).user
    application = _application(instance, state, secretary)
    person = {
        "secretaire": secretary,
        "candidat": application.applicant,
    }.get(role) or _person(role, instance)
    html = _page(client, person, f"/instances/{instance.slug}/gestion/candidatures/")
    ballot = _some_ballot(instance, secretary)
    now = timezone.now()
    conclude = lambda: services.conclude_cooptation(application, by=person)  # noqa: E731
    attempts = {
        "retenir": lambda: services.shortlist(application, by=person),
        "ecarter": lambda: services.reject(application, by=person),
        "tirer_au_sort": lambda: services.run_draw(
            instance, by=person, college=application.college, seats=1
        ),
        "elire": lambda: services.seat_elected(application, by=person, ballot=ballot),
        "coopter": conclude,
        "conclude_cooptation": conclude,
        "installer": lambda: services.seat_application(application, by=person),
        "open_cooptation": lambda: services.open_cooptation(
            application, by=person, opens_at=now, closes_at=now + timedelta(days=7)
        ),
        "record_consent": lambda: services.record_parental_consent(
            instance,
            by=person,
            child=application.applicant,
            parent_name="Sophie Martin",
            given_on=timezone.localdate(),
            method="ecrit",
        ),
    }
    assert set(attempts) == set(application.abilities(person))
    assert {t.name for t in APPLICATION_WORKFLOW.transitions} <= set(attempts)
    base = f"/gestion/candidatures/{application.pk}/"
    assert_page_and_service_agree(
        where=f"{state} / {role}",
        abilities=application.abilities(person),
        attempts=attempts,
        html=html,
        buttons={
            "retenir": f"{base}retenir/",
            "ecarter": f"{base}ecarter/",
            "installer": f"{base}installer",
            "open_cooptation": "Proposer à la cooptation",
            "conclude_cooptation": "Clore le vote de cooptation",
            "record_consent": f"{base}consentement",
        },
    )
