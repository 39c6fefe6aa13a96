"""Meetings of an instance: convening the members, attendance and quorum, decisions, minutes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from enfance.core import notifications
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text, bounded_texts, model_limit
from enfance.core.workflow import apply_transition

from ..models import AgendaItem, Attendance, Decision, Instance, Meeting, Membership, Minutes
from ..workflows import MINUTES_WORKFLOW, refusal_to_edit_minutes
from .common import require_manager


def _agenda(items) -> list[str]:
    limit = model_limit(AgendaItem, "title")
    lines = [item for item in (item.strip() for item in items) if item]
    return [
        bounded_text(line, limit=limit, field="agenda", label=f"Point {n} de l'ordre du jour")
        for n, line in enumerate(lines, 1)
    ]


def schedule_meeting(
    instance: Instance, *, by, title, starts_at, place="", online_link="", agenda=()
) -> Meeting:
    require_manager(by, instance, "convoquer une réunion")
    texts = bounded_texts(
        {"title": title, "place": place, "online_link": online_link},
        {
            "title": (model_limit(Meeting, "title"), "", "Donnez un titre à la réunion."),
            "place": (model_limit(Meeting, "place"), "", None),
            "online_link": (model_limit(Meeting, "online_link"), "", None),
        },
    )
    if not texts["place"] and not texts["online_link"]:
        raise ValidationError("Indiquez un lieu ou un lien de réunion en ligne.")
    items = _agenda(agenda)
    with transaction.atomic():
        meeting = Meeting.objects.create(instance=instance, starts_at=starts_at, **texts)
        AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, position=n, title=item) for n, item in enumerate(items, 1)
        )
        record_event(
            by=by,
            action="assemblies.meeting_scheduled",
            summary=f"Réunion prévue : {meeting.title}",
            target=meeting,
            data={"instance": instance.pk, "starts_at": starts_at},
            public=True,
        )
    return meeting


def convene_meeting(meeting: Meeting, *, by) -> int:
    """E-mail the convocation to every current member, one message each; returns how many were
    sent."""
    instance = meeting.instance
    require_manager(by, instance, "convoquer une réunion")
    members = list(Membership.objects.current().filter(instance=instance).select_related("user"))
    agenda = list(meeting.agenda_items.all())
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(convened_at=timezone.now())
        for membership in members:
            notifications.send(
                "assemblies/emails/convocation.txt",
                {"meeting": meeting, "instance": instance, "agenda": agenda, "member": membership},
                subject=f"Convocation : {meeting.title} — {instance.name}",
                to=membership.user.email,
            )
        record_event(
            by=by,
            action="assemblies.meeting_convened",
            summary=f"Convocation envoyée à {len(members)} membre(s) : {meeting.title}",
            target=meeting,
            data={"recipients": len(members)},
        )
    return len(members)


def members_for_meeting(meeting: Meeting):
    """The members on the day of the meeting: who is convened and counted for the quorum."""
    return (
        Membership.objects.filter(instance_id=meeting.instance_id)
        .active_on(timezone.localdate(meeting.starts_at))
        .for_display()
    )


def record_attendance(meeting: Meeting, *, by, present: set[int]) -> tuple[int, int]:
    """Record who was present (membership ids); returns (present, members)."""
    require_manager(by, meeting.instance, "noter les présences")
    members = list(members_for_meeting(meeting))
    unknown = set(present) - {m.pk for m in members}
    if unknown:
        raise ValidationError("Seuls les membres de l'instance peuvent être notés présents.")
    with transaction.atomic():
        Attendance.objects.filter(meeting=meeting).delete()
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, membership=m, present=m.pk in present) for m in members
        )
        record_event(
            by=by,
            action="assemblies.attendance_recorded",
            summary=f"Présences notées : {len(present)} sur {len(members)} — {meeting.title}",
            target=meeting,
            data={"present": len(present), "members": len(members)},
            public=True,
        )
    return len(present), len(members)


def record_decision(meeting: Meeting, *, by, text: str, ballot=None) -> Decision:
    require_manager(by, meeting.instance, "inscrire une décision")
    text = bounded_text(
        text,
        limit=model_limit(Decision, "text"),
        field="text",
        required="Écrivez la décision prise.",
    )
    with transaction.atomic():
        decision = Decision.objects.create(meeting=meeting, text=text, ballot=ballot)
        record_event(
            by=by,
            action="assemblies.decision_recorded",
            summary=f"Décision : {text[:200]}",
            target=meeting,
            data={"decision": decision.pk, "ballot": ballot.pk if ballot else None},
            public=True,
        )
    return decision


def save_minutes(meeting: Meeting, *, by, text: str) -> Minutes:
    """Write or rewrite the draft minutes of a meeting (a published one no longer changes)."""
    require_manager(by, meeting.instance, "rédiger le compte rendu")
    text = bounded_text(
        text,
        limit=model_limit(Minutes, "text"),
        field="text",
        required="Le compte rendu est vide.",
    )
    with transaction.atomic():
        minutes, created = Minutes.objects.select_for_update().get_or_create(
            meeting=meeting, defaults={"text": text}
        )
        if not created:
            if reason := refusal_to_edit_minutes(minutes):
                raise ValidationError(reason)
            minutes.text = text
            minutes.save(update_fields=["text", "updated_at"])
        record_event(
            by=by,
            action="assemblies.minutes_saved",
            summary=f"Compte rendu enregistré : {meeting.title}",
            target=meeting,
            data={"minutes": minutes.pk},
        )
    return minutes


def publish_minutes(minutes: Minutes, *, by) -> Minutes:
    return apply_transition(
        minutes, MINUTES_WORKFLOW, "publier", by=by, also_update={"published_at": timezone.now()}
    )
