"""Registrations, the waiting list, reminders, attendance and outcome."""

import threading
from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connections, transaction
from django.db.models import F

from enfance.events import services
from enfance.events.enums import EventStatus, RegistrationStatus
from enfance.events.ics import event_ics, fold
from enfance.events.models import Event, Registration
from tests.factories import UserFactory

from .factories import EventFactory, LiveFactory, paris

pytestmark = pytest.mark.django_db


def _statuses(event):
    return list(
        event.registrations.order_by("registered_at", "pk").values_list("status", flat=True)
    )


def test_registering_beyond_capacity_goes_to_the_waiting_list_with_a_french_email(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=2)
    people = UserFactory.create_batch(3)
    with django_capture_on_commit_callbacks(execute=True):
        registrations = [services.register(event, by=p) for p in people]
    assert [r.status for r in registrations] == ["inscrit", "inscrit", "attente"]
    event.refresh_from_db()
    assert event.registered_count == 2 and event.places_left == 0 and event.is_full
    assert services.waiting_position(registrations[2]) == 1
    waiting_mail = mail.outbox[-1]
    assert waiting_mail.to == [people[2].email]
    assert "liste d'attente, en position 1" in waiting_mail.body


def test_registering_twice_is_refused():
    event = EventFactory()
    person = UserFactory()
    services.register(event, by=person)
    with pytest.raises(ValidationError, match="déjà enregistrée"):
        services.register(event, by=person)
    assert event.registrations.count() == 1


def test_registration_is_closed_for_unpublished_or_started_events():
    person = UserFactory()
    for event in (
        EventFactory(status=EventStatus.PROPOSED),
        EventFactory(starts_at=paris(-1), ends_at=paris(-1, 20)),
    ):
        with pytest.raises(ValidationError, match="ne sont pas ouvertes"):
            services.register(event, by=person)
    assert not Registration.objects.exists()


def test_a_live_without_capacity_takes_everyone():
    live = LiveFactory()
    for person in UserFactory.create_batch(3):
        assert services.register(live, by=person).status == RegistrationStatus.REGISTERED
    live.refresh_from_db()
    assert live.registered_count == 3 and live.places_left is None


def test_a_cancellation_promotes_the_first_person_waiting_and_emails_them(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1)
    first, second, third = UserFactory.create_batch(3)
    for person in (first, second, third):
        services.register(event, by=person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(event, by=first)
    assert _statuses(event) == ["annule", "inscrit", "attente"]
    promoted = event.registrations.get(user=second)
    assert promoted.promoted_at is not None
    assert [m.to for m in mail.outbox] == [[second.email]]
    assert "Une place s'est libérée" in mail.outbox[0].subject
    event.refresh_from_db()
    assert event.registered_count == 1


def test_leaving_the_waiting_list_frees_no_seat_and_reregistering_goes_to_the_back():
    event = EventFactory(capacity=1)
    first, second, third = UserFactory.create_batch(3)
    for person in (first, second, third):
        services.register(event, by=person)
    services.cancel_registration(event, by=second)
    assert event.registrations.get(user=third).status == RegistrationStatus.WAITING
    again = services.register(event, by=second)
    assert again.status == RegistrationStatus.WAITING
    assert services.waiting_position(again) == 2
    assert event.registrations.count() == 3


def test_cancelling_without_a_registration_is_refused():
    with pytest.raises(ValidationError, match="Aucune inscription à votre nom"):
        services.cancel_registration(EventFactory(), by=UserFactory())


def test_cancelling_an_event_emails_everyone_registered_or_waiting(
    django_capture_on_commit_callbacks,
):
    host = UserFactory()
    event = EventFactory(capacity=1, hosts=[host])
    people = UserFactory.create_batch(2)
    for person in people:
        services.register(event, by=person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(event, by=host, reason="La salle a été fermée.")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert all("La salle a été fermée." in m.body for m in mail.outbox)


def test_the_database_refuses_a_second_registration_and_more_than_capacity():
    event = EventFactory(capacity=1)
    person = UserFactory()
    Registration.objects.create(event=event, user=person, status="inscrit")
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(event=event, user=person, status="attente")
    Event.objects.filter(pk=event.pk).update(registered_count=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(registered_count=F("registered_count") + 1)


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_registrations_for_five_places():
    event = EventFactory(capacity=5)
    people = UserFactory.create_batch(20)
    barrier = threading.Barrier(len(people))
    errors = []

    def register(person):
        try:
            barrier.wait()
            services.register(event, by=person)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert event.registrations.filter(status="inscrit").count() == 5
    assert event.registrations.filter(status="attente").count() == 15
    event.refresh_from_db()
    assert event.registered_count == 5


def test_reminders_go_out_once_the_day_before(django_capture_on_commit_callbacks):
    now = paris(0, 8)
    tomorrow = EventFactory(starts_at=paris(1, 18), ends_at=paris(1, 20))
    later = EventFactory(starts_at=paris(3, 18), ends_at=paris(3, 20))
    cancelled = EventFactory(starts_at=paris(1, 18), ends_at=paris(1, 20))
    person, waiting = UserFactory(), UserFactory()
    services.register(tomorrow, by=person)
    services.register(later, by=person)
    services.register(cancelled, by=person)
    Event.objects.filter(pk=tomorrow.pk).update(capacity=1)
    services.register(tomorrow, by=waiting)
    Event.objects.filter(pk=cancelled.pk).update(status=EventStatus.CANCELLED)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(now=now) == 1
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert mail.outbox[0].subject == f"[Agenda] Rappel : « {tomorrow.title} »"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(now=now + timedelta(hours=6)) == 0
    assert len(mail.outbox) == 1


def test_the_reminder_command_runs_with_a_fixed_clock(capsys, django_capture_on_commit_callbacks):
    event = EventFactory(starts_at=paris(1, 18), ends_at=paris(1, 20))
    services.register(event, by=UserFactory())
    moment = paris(0, 8).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_event_reminders", maintenant=moment)
        call_command("send_event_reminders", maintenant=moment)
    assert capsys.readouterr().out == "1 rappel envoyé.\n0 rappel envoyé.\n"


def test_attendance_is_taken_by_hosts_from_the_day_of_the_event():
    host = UserFactory()
    event = EventFactory(hosts=[host], starts_at=paris(0, 18), ends_at=paris(0, 20))
    came, absent = UserFactory(), UserFactory()
    # A fixed clock: registrations close when the event starts, whatever the hour of the run.
    present = services.register(event, by=came, now=paris(0, 8))
    services.register(event, by=absent, now=paris(0, 8))
    with pytest.raises(PermissionDenied):
        services.record_attendance(event, by=UserFactory(), present_ids=[present.pk])
    with pytest.raises(ValidationError, match="jour de l'événement"):
        services.record_attendance(event, by=host, present_ids=[present.pk], now=paris(-1))
    taken = services.record_attendance(event, by=host, present_ids=[present.pk], now=paris(0, 19))
    assert taken == 1
    assert set(event.registrations.filter(attended=True).values_list("user", flat=True)) == {
        came.pk
    }


def test_the_outcome_is_recorded_once_the_event_is_finished():
    host = UserFactory()
    event = EventFactory(hosts=[host], starts_at=paris(-1), ends_at=paris(-1, 20))
    fields = {"minutes": "Vingt personnes.", "priorities": ["Écoute", " "], "elected": ["Léa B."]}
    with pytest.raises(ValidationError, match="terminé"):
        services.record_outcome(event, by=host, **fields)
    services.finish_event(event, by=host)
    with pytest.raises(PermissionDenied):
        services.record_outcome(event, by=UserFactory(), **fields)
    event = services.record_outcome(event, by=host, **fields)
    assert event.priorities == ["Écoute"] and event.elected == ["Léa B."]


def test_the_icalendar_file_follows_rfc_5545():
    event = EventFactory(
        title="Atelier ; virgules, et accents éàü" * 3,
        description="Ligne 1\nLigne 2",
        starts_at=paris(7, 18, 30),
        ends_at=paris(7, 20, 30),
    )
    content = event_ics(event, url="https://exemple.fr/agenda/1/", now=paris(0))
    lines = content.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR" and lines[-1] == ""
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = content.replace("\r\n ", "")
    assert "DESCRIPTION:Ligne 1\\nLigne 2\r\n" in unfolded
    assert "SUMMARY:Atelier citoyen : Atelier \\; virgules\\, et accents" in unfolded
    assert f"UID:evenement-{event.pk}@agenda.protection-enfance" in unfolded
    assert "STATUS:CONFIRMED" in unfolded
    starts_utc = paris(7, 18, 30).astimezone(UTC)
    assert starts_utc.hour in (16, 17)  # summer or winter time in Paris
    assert f"DTSTART:{starts_utc:%Y%m%dT%H%M%SZ}\r\n" in unfolded
    assert fold("é" * 40).split("\r\n ")[0] == "é" * 37
