"""Every write on events and registrations: one function per thing a person does."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from enfance.assemblies.perms import can_manage_instance
from enfance.core.eventlog import record_event
from enfance.core.tasks import enqueue_email
from enfance.core.workflow import apply_transition

from .enums import (
    ACTIVE_REGISTRATION_STATUSES,
    EVENT_WORKFLOW,
    MAX_CAPACITY,
    EventKind,
    EventStatus,
    RegistrationStatus,
)
from .models import Event, Registration
from .perms import can_manage_event, can_review_event


def format_when(moment: datetime) -> str:
    """ "mardi 3 juin 2025 à 18 h 30", in Paris time."""
    with translation.override("fr"):
        return formats.date_format(timezone.localtime(moment), r"l j F Y à H \h i")


def public_name(user) -> str:
    """How a person appears on public pages: first name and initial of the last name."""
    initial = f" {user.last_name[:1].upper()}." if user.last_name else ""
    return f"{user.first_name}{initial}".strip() or "Bénévole"


def _absolute(path: str) -> str:
    return f"{getattr(settings, 'SITE_URL', '')}{path}"


def _email(user, subject: str, template: str, **context) -> None:
    """One message per person (no one sees the others' addresses), sent after commit."""
    event = context.get("event")
    body = render_to_string(
        f"events/emails/{template}.txt",
        {
            "person": user,
            "event_url": _absolute(event.get_absolute_url()) if event else "",
            "when": format_when(event.starts_at) if event else "",
            **context,
        },
    )
    enqueue_email(EmailMessage(subject=f"[Agenda] {subject}", body=body, to=[user.email]))


def _lock(event: Event) -> Event:
    return (
        Event.objects.select_for_update(of=("self",)).select_related("departement").get(pk=event.pk)
    )


# Proposing and reviewing ---------------------------------------------------------------------


def _check_fields(event: Event, now: datetime) -> None:
    errors = {}
    if event.starts_at <= now:
        errors["date"] = "Choisissez une date à venir."
    if event.ends_at <= event.starts_at:
        errors["end_time"] = "L'heure de fin doit venir après l'heure de début."
    if event.kind == EventKind.LIVE:
        if not event.online_url:
            errors["online_url"] = "Indiquez le lien de connexion du live."
    else:
        if not event.place.strip():
            errors["place"] = "Indiquez l'adresse où se tiendra l'événement."
        if event.departement_id is None:
            errors["commune"] = "Indiquez la commune où se tiendra l'événement."
        if event.capacity is None:
            errors["capacity"] = "Indiquez le nombre de places."
    if event.capacity is not None and not 1 <= event.capacity <= MAX_CAPACITY:
        errors["capacity"] = f"Le nombre de places va de 1 à {MAX_CAPACITY}."
    if errors:
        raise ValidationError(errors)


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
    event = Event(
        kind=kind,
        title=title.strip(),
        description=description.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        place=place.strip(),
        online_url=online_url,
        commune=commune,
        departement=commune.departement if commune else None,
        capacity=capacity,
        instance=instance,
        proposed_by=by,
    )
    _check_fields(event, now or timezone.now())
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


def accept_event(*, by, event: Event) -> Event:
    with transaction.atomic():
        event = apply_transition(
            event, EVENT_WORKFLOW, "accept", by=by, also_update={"reviewed_at": timezone.now()}
        )
        if event.proposed_by is not None and event.proposed_by_id != by.pk:
            _email(
                event.proposed_by,
                f"Votre proposition « {event} » est acceptée",
                "accepted",
                event=event,
            )
    return event


def refuse_event(*, by, event: Event, reason: str) -> Event:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Expliquez en quelques mots le motif du refus."})
    with transaction.atomic():
        event = apply_transition(
            event,
            EVENT_WORKFLOW,
            "refuse",
            by=by,
            also_update={"refusal_reason": reason, "reviewed_at": timezone.now()},
        )
        if event.proposed_by is not None:
            _email(
                event.proposed_by,
                f"Votre proposition « {event} » n'a pas été retenue",
                "refused",
                event=event,
                reason=reason,
            )
    return event


def withdraw_event(*, by, event: Event) -> Event:
    return apply_transition(
        event, EVENT_WORKFLOW, "withdraw", by=by, also_update={"cancelled_at": timezone.now()}
    )


def cancel_event(*, by, event: Event, reason: str) -> Event:
    """Cancel a published event and tell everyone registered or waiting, with the reason."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": "Expliquez en quelques mots pourquoi l'événement est annulé."}
        )
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
            _email(
                registration.user,
                f"Annulation : « {event} »",
                "cancelled",
                event=event,
                reason=reason,
            )
    return event


def finish_event(*, by, event: Event, now: datetime | None = None) -> Event:
    if not can_manage_event(by, event):
        raise PermissionDenied("Seuls les animateurs marquent un événement comme terminé.")
    if event.starts_at > (now or timezone.now()):
        raise ValidationError("Cet événement n'a pas encore commencé : il ne peut être terminé.")
    return apply_transition(event, EVENT_WORKFLOW, "finish", by=by)


def add_host(*, by, event: Event, user) -> Event:
    with transaction.atomic():
        event = _lock(event)
        if not can_manage_event(by, event):
            raise PermissionDenied("Vous n'animez pas cet événement.")
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


# Registrations --------------------------------------------------------------------------------


def waiting_position(registration: Registration) -> int:
    ahead = (
        Registration.objects.waiting()
        .filter(event=registration.event_id)
        .filter(registered_at__lte=registration.registered_at)
        .exclude(registered_at=registration.registered_at, pk__gt=registration.pk)
    )
    return ahead.count()


def register(*, by, event: Event, now: datetime | None = None) -> Registration:
    """Register for an event: a seat while there is one, else the waiting list.

    The event row is locked for the whole decision, so that concurrent registrations are
    served one at a time and never exceed the capacity (the database also refuses it).
    """
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock(event)
        if not event.is_open_for_registration(now):
            raise ValidationError("Les inscriptions à cet événement ne sont pas ouvertes.")
        registration = Registration.objects.filter(event=event, user=by).first()
        if registration is not None and registration.status in ACTIVE_REGISTRATION_STATUSES:
            raise ValidationError("Vous êtes déjà inscrit à cet événement.")
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
            raise ValidationError("Vous êtes déjà inscrit à cet événement.") from exc
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
            _email(by, f"Inscription confirmée : « {event} »", "registered", event=event)
        else:
            _email(
                by,
                f"Liste d'attente : « {event} »",
                "waiting",
                event=event,
                position=waiting_position(registration),
            )
    return registration


def cancel_registration(*, by, event: Event) -> Registration:
    """Cancel one's own registration; a freed seat goes to the first person waiting."""
    with transaction.atomic():
        event = _lock(event)
        registration = (
            Registration.objects.active().filter(event=event, user=by).select_for_update().first()
        )
        if registration is None:
            raise ValidationError("Vous n'êtes pas inscrit à cet événement.")
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
        _email(registration.user, f"Une place s'est libérée : « {event} »", "promoted", event=event)
        promoted.append(registration)
    return promoted


# Attendance, outcome, reminders ---------------------------------------------------------------


def record_attendance(*, by, event: Event, present_ids, now: datetime | None = None) -> int:
    """The host ticks who came; returns how many were present."""
    now = now or timezone.now()
    with transaction.atomic():
        event = _lock(event)
        if not can_manage_event(by, event):
            raise PermissionDenied("Seuls les animateurs relèvent les présences.")
        if event.status not in (EventStatus.PUBLISHED, EventStatus.FINISHED):
            raise ValidationError("Les présences se relèvent pour un événement publié.")
        if timezone.localdate(event.starts_at) > timezone.localdate(now):
            raise ValidationError("Les présences se relèvent à partir du jour de l'événement.")
        registered = event.registrations.registered()
        present_ids = {int(pk) for pk in present_ids}
        registered.filter(pk__in=present_ids).update(attended=True)
        registered.exclude(pk__in=present_ids).update(attended=False)
        present = registered.filter(attended=True).count()
        event.attendance_taken_at = now
        event.save(update_fields=["attendance_taken_at"])
        record_event(
            by=by,
            action="events.event.attendance",
            summary=f"Présences relevées pour « {event} » : {present} présent(s)",
            target=event,
            data={"present": present},
        )
    return present


def record_outcome(
    *, by, event: Event, minutes: str, priorities: list[str], elected: list[str]
) -> Event:
    """What a finished event produced: the minutes, the priorities adopted, the people elected."""
    with transaction.atomic():
        event = _lock(event)
        if not can_manage_event(by, event):
            raise PermissionDenied("Seuls les animateurs publient le compte rendu.")
        if event.status != EventStatus.FINISHED:
            raise ValidationError(
                "Le compte rendu se publie une fois l'événement marqué comme terminé."
            )
        event.minutes = minutes.strip()
        event.priorities = [p.strip() for p in priorities if p.strip()]
        event.elected = [p.strip() for p in elected if p.strip()]
        event.outcome_recorded_at = timezone.now()
        event.save(update_fields=["minutes", "priorities", "elected", "outcome_recorded_at"])
        record_event(
            by=by,
            action="events.event.outcome",
            summary=f"Compte rendu publié pour « {event} »",
            target=event,
            data={"priorities": len(event.priorities), "elected": len(event.elected)},
            public=True,
        )
    return event


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
            _email(
                registration.user,
                f"Rappel : « {registration.event} »",
                "reminder",
                event=registration.event,
            )
        sent += 1
    return sent


def open_priority_vote(*, by, event: Event, priorities: list[str], opens_at, closes_at):
    """The people present at an atelier rank the needs of their territory by majority judgment
    (seed 001, "diagnostic local"): one ballot held at the event, its results on the event's
    page."""
    from enfance.votes import services as votes
    from enfance.votes.enums import Method

    if not can_manage_event(by, event):
        raise PermissionDenied("Seuls les animateurs organisent le classement des priorités.")
    titles = list(dict.fromkeys(p.strip() for p in priorities if p.strip()))
    if len(titles) < 2:
        raise ValidationError({"priorities": "Indiquez au moins deux besoins, un par ligne."})
    electors = event.ballot_electorate()
    if not electors:
        raise ValidationError(
            "Personne n'est encore noté présent : relevez les présences avant le vote."
        )
    with transaction.atomic():
        ballot = votes.create_ballot(
            by=by,
            context=event,
            title=f"Priorités du territoire — {event.title}",
            method=Method.MAJORITY_JUDGMENT,
            secret=True,
            opens_at=opens_at,
            closes_at=closes_at,
            options=titles,
            description="Donnez une mention à chaque besoin du territoire.",
        )
        votes.open_ballot(ballot, by=by, electors=electors)
    return ballot
