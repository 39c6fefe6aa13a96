"""Registrations: a seat while there is one, else the waiting list, served in order; reminders."""

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from enfance.core.access import permit
from enfance.core.eventlog import record_event

from .. import audiences
from ..enums import ACTIVE_REGISTRATION_STATUSES, EventStatus, RegistrationStatus
from ..models import Event, Registration
from .common import lock, notify


def waiting_position(registration: Registration) -> int:
    ahead = (
        Registration.objects.waiting()
        .filter(event=registration.event_id)
        .filter(registered_at__lte=registration.registered_at)
        .exclude(registered_at=registration.registered_at, pk__gt=registration.pk)
    )
    return ahead.count()


def register(event: Event, *, by, now: datetime | None = None) -> Registration:
    """Register for an event: a seat while there is one, else the waiting list.

    The event row is locked for the whole decision, so that concurrent registrations are
    served one at a time and never exceed the capacity (the database also refuses it).
    """
    now = now or timezone.now()
    permit(
        audiences.admits(event, by),
        "Ces séances sont réservées aux membres du groupe : rejoignez-le d'abord.",
    )
    with transaction.atomic():
        event = lock(event)
        if not event.is_open_for_registration(now):
            raise ValidationError("Les inscriptions à cet événement ne sont pas ouvertes.")
        registration = Registration.objects.filter(event=event, user=by).first()
        if registration is not None and registration.status in ACTIVE_REGISTRATION_STATUSES:
            raise ValidationError("Votre inscription à cet événement est déjà enregistrée.")
        status = RegistrationStatus.WAITING if event.is_full else RegistrationStatus.REGISTERED
        if registration is None:
            registration = Registration(event=event, user=by)
        registration.status = status
        registration.registered_at = now
        registration.cancelled_at = None
        registration.promoted_at = None
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError as exc:
            raise ValidationError(
                "Votre inscription à cet événement est déjà enregistrée."
            ) from exc
        if status == RegistrationStatus.REGISTERED:
            Event.objects.filter(pk=event.pk).update(registered_count=F("registered_count") + 1)
        record_event(
            by=by,
            action="events.registration.register",
            summary=f"Inscription ({registration.get_status_display().lower()}) à « {event} »",
            target=registration,
            data={"event": event.pk, "status": status},
        )
        if status == RegistrationStatus.REGISTERED:
            notify(
                by,
                "events/emails/registered.txt",
                subject=f"Inscription confirmée : « {event} »",
                event=event,
            )
        else:
            notify(
                by,
                "events/emails/waiting.txt",
                subject=f"Liste d'attente : « {event} »",
                event=event,
                position=waiting_position(registration),
            )
    return registration


def cancel_registration(event: Event, *, by) -> Registration:
    """Cancel one's own registration; a freed seat goes to the first person waiting."""
    with transaction.atomic():
        event = lock(event)
        registration = (
            Registration.objects.active().filter(event=event, user=by).select_for_update().first()
        )
        if registration is None:
            raise ValidationError("Aucune inscription à votre nom pour cet événement.")
        if event.status != EventStatus.PUBLISHED:
            raise ValidationError("Cet événement n'accepte plus de changement d'inscription.")
        if event.starts_at <= timezone.now():
            # The seat would go to someone waiting for an event already under way.
            raise ValidationError(
                "L'événement a commencé : l'inscription ne peut plus être annulée."
            )
        freed = registration.status == RegistrationStatus.REGISTERED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        record_event(
            by=by,
            action="events.registration.cancel",
            summary=f"Désinscription de « {event} »",
            target=registration,
            data={"event": event.pk},
        )
        if freed:
            Event.objects.filter(pk=event.pk).update(registered_count=F("registered_count") - 1)
            event.registered_count -= 1
            _promote_waiting(event, by=by)
    return registration


def _promote_waiting(event: Event, *, by) -> list[Registration]:
    """Give the free seats to the waiting list, in order. The event row is locked."""
    promoted = []
    while event.capacity is None or event.registered_count < event.capacity:
        registration = (
            Registration.objects.waiting()
            .filter(event=event)
            .select_related("user")
            .select_for_update(of=("self",))
            .first()
        )
        if registration is None:
            break
        registration.status = RegistrationStatus.REGISTERED
        registration.promoted_at = timezone.now()
        registration.save(update_fields=["status", "promoted_at"])
        Event.objects.filter(pk=event.pk).update(registered_count=F("registered_count") + 1)
        event.registered_count += 1
        record_event(
            by=by,
            action="events.registration.promote",
            summary=f"Place libérée attribuée sur la liste d'attente de « {event} »",
            target=registration,
            data={"event": event.pk, "user": registration.user_id},
        )
        notify(
            registration.user,
            "events/emails/promoted.txt",
            subject=f"Une place s'est libérée : « {event} »",
            event=event,
        )
        promoted.append(registration)
    return promoted


def send_reminders(*, now: datetime | None = None) -> int:
    """E-mail everyone registered for a published event that starts before the end of
    tomorrow (Paris time). Each registration is claimed by a conditional update before its
    message is queued, so a reminder goes out once, however often or concurrently this runs."""
    now = now or timezone.now()
    tomorrow_end = timezone.make_aware(
        datetime.combine(timezone.localdate(now) + timedelta(days=2), datetime.min.time())
    )
    due = (
        Registration.objects.registered()
        .filter(
            reminder_sent_at__isnull=True,
            event__status=EventStatus.PUBLISHED,
            event__starts_at__gt=now,
            event__starts_at__lt=tomorrow_end,
        )
        .select_related("user", "event")
    )
    sent = 0
    for registration in due.iterator(chunk_size=500):
        with transaction.atomic():
            claimed = Registration.objects.filter(
                pk=registration.pk, reminder_sent_at__isnull=True
            ).update(reminder_sent_at=now)
            if not claimed:
                continue
            notify(
                registration.user,
                "events/emails/reminder.txt",
                subject=f"Rappel : « {registration.event} »",
                event=registration.event,
            )
        sent += 1
    return sent
