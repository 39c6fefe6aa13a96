"""What happens at and after an event: attendance, the ranking of the territory's needs by the
people present, and the published outcome."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text
from enfance.votes import services as votes
from enfance.votes.enums import Method

from ..models import Event
from ..perms import can_manage_event
from ..workflows import (
    refusal_to_open_priority_vote,
    refusal_to_record_outcome,
    refusal_to_take_attendance,
)
from .common import lock

MINUTES_MAX_LENGTH = 20000
# The lists of an outcome (priorities adopted, people elected), one item a line.
OUTCOME_LIST_MAX_LENGTH = 5000
PRIORITIES_MAX_LENGTH = 3000


def record_attendance(event: Event, *, by, present_ids, now: datetime | None = None) -> int:
    """The host ticks who came; returns how many were present."""
    now = now or timezone.now()
    with transaction.atomic():
        event = lock(event)
        if not can_manage_event(by, event):
            raise PermissionDenied("Seuls les animateurs relèvent les présences.")
        if reason := refusal_to_take_attendance(event, now):
            raise ValidationError(reason)
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


def _lines(items, *, field: str) -> list[str]:
    lines = [item.strip() for item in items if item.strip()]
    bounded_text("\n".join(lines), limit=OUTCOME_LIST_MAX_LENGTH, field=field)
    return lines


def record_outcome(
    event: Event, *, by, minutes: str, priorities: list[str], elected: list[str]
) -> Event:
    """What a finished event produced: the minutes, the priorities adopted, the people elected."""
    minutes = bounded_text(minutes, limit=MINUTES_MAX_LENGTH, field="minutes")
    priorities = _lines(priorities, field="priorities")
    elected = _lines(elected, field="elected")
    with transaction.atomic():
        event = lock(event)
        if not can_manage_event(by, event):
            raise PermissionDenied("Seuls les animateurs publient le compte rendu.")
        if reason := refusal_to_record_outcome(event):
            raise ValidationError(reason)
        event.minutes = minutes
        event.priorities = priorities
        event.elected = elected
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


def open_priority_vote(event: Event, *, by, priorities: list[str], opens_at, closes_at):
    """The people present at an atelier rank the needs of their territory by majority judgment
    (seed 001, "diagnostic local"): one ballot held at the event, its results on the event's
    page."""
    if not can_manage_event(by, event):
        raise PermissionDenied("Seuls les animateurs organisent le classement des priorités.")
    titles = list(dict.fromkeys(p.strip() for p in priorities if p.strip()))
    bounded_text("\n".join(titles), limit=PRIORITIES_MAX_LENGTH, field="priorities")
    if len(titles) < 2:
        raise ValidationError({"priorities": "Indiquez au moins deux besoins, un par ligne."})
    if reason := refusal_to_open_priority_vote(event):
        raise ValidationError(reason)
    with transaction.atomic():
        ballot = votes.create_ballot(
            event,
            by=by,
            title=f"Priorités du territoire — {event.title}",
            method=Method.MAJORITY_JUDGMENT,
            secret=True,
            opens_at=opens_at,
            closes_at=closes_at,
            options=titles,
            description="Donnez une mention à chaque besoin du territoire.",
        )
        votes.open_ballot(ballot, by=by, electors=event.ballot_electorate())
    return ballot
