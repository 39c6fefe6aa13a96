"""Every (state, role, action) of an event: the pages offer exactly what the services accept
(tests/workflow_matrix.py): EVENT_WORKFLOW and the other things its hosts and reviewers do."""

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from enfance.accounts.models import Role
from enfance.assemblies.enums import MemberRole
from enfance.events import services
from enfance.events.enums import EventKind, EventStatus, RegistrationStatus
from enfance.events.models import Registration
from enfance.events.workflows import EVENT_WORKFLOW
from tests.assemblies.factories import InstanceFactory, seat_directly
from tests.factories import UserFactory, with_totp
from tests.workflow_matrix import assert_page_and_service_agree

from .factories import EventFactory, paris

pytestmark = pytest.mark.django_db

# A published event before and after it starts are two states for the pages.
STARTED = "publie_commence"
STATES = [*EventStatus.values, STARTED]
KINDS = [EventKind.ATELIER, EventKind.FORUM]
ROLES = ["animateur", "proposant", "administrateur_national", "secretariat_local", "citoyen"]


def _event(kind, state):
    proposer, host = UserFactory(), UserFactory()
    started = state in (STARTED, EventStatus.FINISHED)
    starts_at = timezone.now() - timedelta(hours=1) if started else paris(7)
    event = EventFactory(
        kind=kind,
        status=EventStatus.PUBLISHED if state == STARTED else state,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        hosts=[host],
        proposed_by=proposer,
    )
    # Someone was marked present: the people present rank the priorities of an atelier.
    Registration.objects.create(
        event=event, user=UserFactory(), status=RegistrationStatus.REGISTERED, attended=True
    )
    return event, {"animateur": host, "proposant": proposer}


def _person(role, event, known):
    if role in known:
        return known[role]
    if role == "administrateur_national":
        person = with_totp(UserFactory())
        Role.objects.create(user=person, kind="administrateur_national", scope_level="national")
        return person
    if role == "secretariat_local":
        instance = InstanceFactory(departement=event.departement)
        return seat_directly(instance, "associatifs", role=MemberRole.SECRETAIRE).user
    return UserFactory()


def _page(client, person, url) -> str:
    client.force_login(person)
    response = client.get(url)
    return response.content.decode() if response.status_code == 200 else ""


@pytest.mark.parametrize(("kind", "state", "role"), list(itertools.product(KINDS, STATES, ROLES)))
def test_the_event_pages_offer_what_the_services_accept(client, kind, state, role):
    event, known = _event(kind, state)
    person = _person(role, event, known)
    html = _page(client, person, event.get_absolute_url()) + _page(
        client, person, f"/agenda/{event.pk}/gerer/"
    )
    now = timezone.now()
    attempts = {
        "accept": lambda: services.accept_event(event, by=person),
        "refuse": lambda: services.refuse_event(event, by=person, reason="Déjà un atelier."),
        "withdraw": lambda: services.withdraw_event(event, by=person),
        "cancel": lambda: services.cancel_event(event, by=person, reason="Salle fermée."),
        "finish": lambda: services.finish_event(event, by=person),
        "add_host": lambda: services.add_host(event, by=person, user=UserFactory()),
        "take_attendance": lambda: services.record_attendance(event, by=person, present_ids=[]),
        "record_outcome": lambda: services.record_outcome(
            event, by=person, minutes="Vingt personnes.", priorities=[], elected=[]
        ),
        "open_priority_vote": lambda: services.open_priority_vote(
            event,
            by=person,
            priorities=["Accueil d'urgence", "Soutien aux parents"],
            opens_at=now,
            closes_at=now + timedelta(hours=2),
        ),
        "propose_instance": lambda: services.propose_instance(
            event, by=person, name="Instance locale de Lyon"
        ),
    }
    abilities = event.abilities(person)
    assert {t.name for t in EVENT_WORKFLOW.transitions} <= set(attempts)
    assert_page_and_service_agree(
        where=f"{kind} / {state} / {role}",
        abilities=abilities,
        attempts=attempts,
        html=html,
        buttons={
            "accept": "/gerer/accept/",
            "withdraw": "/gerer/withdraw/",
            "finish": "/gerer/finish/",
            "refuse": f"/agenda/{event.pk}/refuser/",
            "cancel": f"/agenda/{event.pk}/annuler/",
            "add_host": f"/agenda/{event.pk}/animateurs/",
            "take_attendance": f"/agenda/{event.pk}/presences/",
            "record_outcome": f"/agenda/{event.pk}/compte-rendu/",
            "open_priority_vote": f"/agenda/{event.pk}/priorites/",
            "propose_instance": f"/instances/proposer/{event.pk}/",
        },
    )
