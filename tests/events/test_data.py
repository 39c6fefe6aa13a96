"""Demo data and the national-scale generator step."""

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from enfance.accounts import demo as accounts_demo
from enfance.core.demo import DemoReport
from enfance.core.eventlog import verify_chain
from enfance.core.national_data import load_steps
from enfance.events import demo
from enfance.events.enums import EventKind, EventStatus
from enfance.events.models import Event, Registration
from enfance.events.national_data import generate_events, generated_events
from tests.factories import CommuneFactory

from .factories import gironde_commune

pytestmark = pytest.mark.django_db


def test_demo_events_are_believable_and_idempotent():
    CommuneFactory()
    gironde_commune()
    report = DemoReport()
    accounts_demo.load(report)
    demo.load(report)
    first = (Event.objects.count(), Registration.objects.count())
    demo.load(report)
    assert (Event.objects.count(), Registration.objects.count()) == first
    published = Event.objects.filter(status=EventStatus.PUBLISHED)
    assert {e.kind for e in published} == {EventKind.FORUM, EventKind.ATELIER, EventKind.LIVE}
    assert {e.departement.code for e in published if e.departement} == {"69", "33"}
    bordeaux = published.get(kind=EventKind.ATELIER)
    assert bordeaux.is_full and bordeaux.registrations.waiting().count() == 2
    assert Event.objects.filter(status=EventStatus.PROPOSED).count() == 1
    assert Event.objects.get(status=EventStatus.FINISHED).priorities
    assert all(
        r.user.email.endswith("@demo.protection-enfance.fr") for r in Registration.objects.all()
    )
    assert verify_chain().intact
    assert report.lines == []


def test_demo_events_say_what_is_missing_without_territories():
    report = DemoReport()
    demo.load(report)
    assert not Event.objects.exists()
    assert "importez d'abord les territoires" in report.lines[0]


def _generate(events, registrations):
    # Imported here, after the registered steps: importing it first would register its step
    # before the ones it builds on.

    options = {
        "log": lambda line: None,
        "seed": 7,
        "events": events,
        "registrations": registrations,
    }
    generate_events(None, options)


def test_generated_events_are_reproducible_resumable_and_within_capacity():
    CommuneFactory()
    gironde_commune()
    call_command(
        "generate_national_data",
        users=200,
        steps="utilisateurs",
        verbosity=0,
        allow_production=True,
    )
    load_steps()

    _generate(30, 300)
    assert generated_events().count() == 30
    _generate(50, 500)
    _generate(50, 500)
    assert generated_events().count() == 50
    first = list(
        Event.objects.order_by("pk").values_list(
            "title", "starts_at", "capacity", "registered_count"
        )
    )
    registrations = Registration.objects.count()
    assert 250 < registrations < 750
    Event.objects.all().delete()
    _generate(50, 500)
    again = list(
        Event.objects.order_by("pk").values_list(
            "title", "starts_at", "capacity", "registered_count"
        )
    )
    assert again == first and Registration.objects.count() == registrations
    counted = Event.objects.annotate(
        seated=Count("registrations", filter=Q(registrations__status="inscrit"))
    )
    for event in counted:
        assert event.seated == event.registered_count
        assert event.capacity is None or event.registered_count <= event.capacity
        assert event.hosts.count() == 1
    assert Event.objects.filter(kind=EventKind.LIVE, departement__isnull=True).exists()
