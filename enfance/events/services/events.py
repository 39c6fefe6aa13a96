"""Proposing an event, reviewing it, and the decisions of its workflow."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from enfance.assemblies.perms import can_manage_instance
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text, bounded_texts, model_limit
from enfance.core.workflow import apply_transition

from ..enums import MAX_CAPACITY, MEMBERS_ONLY_KINDS, EventKind, EventStatus
from ..models import Event
from ..perms import can_manage_event, can_review_event
from ..workflows import EVENT_WORKFLOW, refusal_to_add_host
from .common import lock, notify

DESCRIPTION_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 2000


def _check_fields(event: Event, now: datetime) -> None:
    errors = {}
    if event.starts_at <= now:
        errors["date"] = "Choisissez une date à venir."
    if event.ends_at <= event.starts_at:
        errors["end_time"] = "L'heure de fin doit venir après l'heure de début."
    if event.kind == EventKind.LIVE:
        if not event.online_url:
            errors["online_url"] = "Indiquez le lien de connexion du live."
    elif event.kind in MEMBERS_ONLY_KINDS:
        if not event.online_url and not event.place:
            errors["place"] = "Indiquez l'adresse de la séance, ou son lien de connexion."
        if event.capacity is None:
            errors["capacity"] = "Indiquez le nombre de places."
    else:
        if not event.place:
            errors["place"] = "Indiquez l'adresse où se tiendra l'événement."
        if event.departement_id is None:
            errors["commune"] = "Indiquez la commune où se tiendra l'événement."
        if event.capacity is None:
            errors["capacity"] = "Indiquez le nombre de places."
    if event.capacity is not None and not 1 <= event.capacity <= MAX_CAPACITY:
        errors["capacity"] = f"Le nombre de places va de 1 à {MAX_CAPACITY}."
    if errors:
        raise ValidationError(errors)


def _new_event(
    *,
    by,
    kind: str,
    title: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    online_url: str = "",
    commune=None,
    capacity: int | None = None,
    instance=None,
    now: datetime | None = None,
) -> Event:
    """The event as it was described, checked, not yet saved."""
    texts = bounded_texts(
        {"title": title, "description": description, "place": place, "online_url": online_url},
        {
            "title": (model_limit(Event, "title"), "", "Donnez un titre à l'événement."),
            "description": (DESCRIPTION_MAX_LENGTH, "", "Décrivez l'événement."),
            "place": (model_limit(Event, "place"), "", None),
            "online_url": (model_limit(Event, "online_url"), "", None),
        },
    )
    event = Event(
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        commune=commune,
        departement=commune.departement if commune else None,
        capacity=capacity,
        instance=instance,
        proposed_by=by,
        **texts,
    )
    _check_fields(event, now or timezone.now())
    return event


def propose_event(
    *,
    by,
    kind: str,
    title: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    online_url: str = "",
    commune=None,
    capacity: int | None = None,
    instance=None,
    now: datetime | None = None,
) -> Event:
    """A citizen proposes to host an atelier in their own département (seed 001: any volunteer
    may); forums and lives are organised by the people who review proposals. A proposal made by
    a reviewer is published at once."""
    event = _new_event(
        by=by,
        kind=kind,
        title=title,
        description=description,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        online_url=online_url,
        commune=commune,
        capacity=capacity,
        instance=instance,
        now=now,
    )
    if instance is not None:
        if not can_manage_instance(by, instance):
            raise PermissionDenied("Vous ne gérez pas cette instance.")
        if instance.departement_id != event.departement_id:
            raise ValidationError(
                {"instance": "L'instance doit être celle du département de l'événement."}
            )
    reviewer = can_review_event(by, event)
    if kind != EventKind.ATELIER and not reviewer:
        raise PermissionDenied(
            "Les forums et les lives sont organisés par l'administration nationale ou le "
            "secrétariat d'une instance. Vous pouvez proposer un atelier citoyen."
        )
    if not reviewer:
        home = by.commune.departement if by.commune_id else None
        if home is None:
            raise ValidationError(
                "Indiquez d'abord votre commune dans « Mon compte » : un atelier se propose "
                "dans son propre département."
            )
        if home.pk != event.departement_id:
            raise ValidationError(
                {
                    "commune": f"Vous ne pouvez proposer un atelier que dans votre département, "
                    f"{home}. Cette commune est dans le département {event.departement}."
                }
            )
    with transaction.atomic():
        event.save()
        event.hosts.add(by)
        record_event(
            by=by,
            action="events.event.propose",
            summary=f"Proposition : {event.get_kind_display()} « {event} »",
            target=event,
            data={"kind": kind, "departement": event.departement.code if commune else None},
        )
        if reviewer:
            event = apply_transition(
                event,
                EVENT_WORKFLOW,
                "accept",
                by=by,
                also_update={"reviewed_at": timezone.now()},
            )
    return event


def schedule_members_event(*, by, kind: str, departement, **fields) -> Event:
    """A session held for a circle of people (``audiences``), published at once with ``by`` as
    its host. The app that keeps the circle has checked that ``by`` leads it."""
    if kind not in MEMBERS_ONLY_KINDS:
        raise ValueError(f"{kind} is not a members-only kind of event")
    event = _new_event(by=by, kind=kind, **fields)
    if event.departement_id is None:
        event.departement = departement
    with transaction.atomic():
        event.status = EventStatus.PUBLISHED
        event.reviewed_at = timezone.now()
        event.save()
        event.hosts.add(by)
        record_event(
            by=by,
            action="events.event.schedule",
            summary=f"{event.get_kind_display()} programmée : « {event} »",
            target=event,
            data={"kind": kind, "departement": event.departement.code},
        )
    return event


def accept_event(event: Event, *, by) -> Event:
    with transaction.atomic():
        event = apply_transition(
            event, EVENT_WORKFLOW, "accept", by=by, also_update={"reviewed_at": timezone.now()}
        )
        if event.proposed_by is not None and event.proposed_by_id != by.pk:
            notify(
                event.proposed_by,
                "events/emails/accepted.txt",
                subject=f"Votre proposition « {event} » est acceptée",
                event=event,
            )
    return event


def _reason(reason: str, *, required: str) -> str:
    return bounded_text(reason, limit=REASON_MAX_LENGTH, field="reason", required=required)


def refuse_event(event: Event, *, by, reason: str) -> Event:
    reason = _reason(reason, required="Expliquez en quelques mots le motif du refus.")
    with transaction.atomic():
        event = apply_transition(
            event,
            EVENT_WORKFLOW,
            "refuse",
            by=by,
            also_update={"refusal_reason": reason, "reviewed_at": timezone.now()},
        )
        if event.proposed_by is not None:
            notify(
                event.proposed_by,
                "events/emails/refused.txt",
                subject=f"Votre proposition « {event} » n'a pas été retenue",
                event=event,
                reason=reason,
            )
    return event


def withdraw_event(event: Event, *, by) -> Event:
    return apply_transition(
        event, EVENT_WORKFLOW, "withdraw", by=by, also_update={"cancelled_at": timezone.now()}
    )


def cancel_event(event: Event, *, by, reason: str) -> Event:
    """Cancel a published event and tell everyone registered or waiting, with the reason."""
    reason = _reason(reason, required="Expliquez en quelques mots pourquoi l'événement est annulé.")
    with transaction.atomic():
        event = apply_transition(
            event,
            EVENT_WORKFLOW,
            "cancel",
            by=by,
            also_update={"cancellation_reason": reason, "cancelled_at": timezone.now()},
        )
        registrations = event.registrations.active().select_related("user")
        for registration in registrations:
            notify(
                registration.user,
                "events/emails/cancelled.txt",
                subject=f"Annulation : « {event} »",
                event=event,
                reason=reason,
            )
    return event


def finish_event(event: Event, *, by) -> Event:
    """Only once the event has started (the transition's guard)."""
    return apply_transition(event, EVENT_WORKFLOW, "finish", by=by)


def add_host(event: Event, *, by, user) -> Event:
    with transaction.atomic():
        event = lock(event)
        if not can_manage_event(by, event):
            raise PermissionDenied("Vous n'animez pas cet événement.")
        if reason := refusal_to_add_host(event):
            raise ValidationError(reason)
        if event.hosts.filter(pk=user.pk).exists():
            raise ValidationError({"email": "Cette personne anime déjà cet événement."})
        event.hosts.add(user)
        record_event(
            by=by,
            action="events.event.add_host",
            summary=f"Animateur ajouté à « {event} » : utilisateur n° {user.pk}",
            target=event,
            data={"user": user.pk},
        )
    return event
