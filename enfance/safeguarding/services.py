"""Flagging a text "danger pour un enfant" and handling the report.

``flag_danger(obj, by=, reason=)`` works on any ``Safeguardable`` model: it hides the object at
once (one UPDATE of ``danger_hidden_at``), opens a report for the referents and tells them by
e-mail, on commit. Other apps call it from their own "signaler un danger" button.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone

from enfance.accounts.enums import RoleKind
from enfance.accounts.models import Role
from enfance.core import notifications
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text
from enfance.core.workflow import apply_transition

from .enums import DangerReportState
from .models import DangerReport, Safeguardable
from .perms import can_flag_danger
from .workflows import DANGER_REPORT_WORKFLOW

REASON_MAX_LENGTH = 2000
TRANSMITTED_TO_MAX_LENGTH = 300
HANDLING_NOTE_MAX_LENGTH = 4000

# Sent when an object's public visibility changes (hidden or restored), so that its app can
# update counters and caches: ``sender`` is the model, ``instance`` the object, ``hidden`` a bool.
visibility_changed = Signal()


def _set_hidden(obj: Safeguardable, hidden_at) -> bool:
    """Hide or show the object; True when its visibility changed."""
    model = type(obj)
    changed = model._default_manager.filter(
        pk=obj.pk, danger_hidden_at__isnull=hidden_at is not None
    ).update(danger_hidden_at=hidden_at)
    obj.danger_hidden_at = hidden_at
    if changed:
        visibility_changed.send(sender=model, instance=obj, hidden=hidden_at is not None)
    return bool(changed)


def flag_danger(obj: Safeguardable, *, by, reason: str = "") -> DangerReport:
    if not isinstance(obj, Safeguardable):
        raise TypeError(f"{type(obj).__name__} ne peut pas être signalé.")
    if not can_flag_danger(by, obj):
        raise PermissionDenied("Connectez-vous pour signaler un danger.")
    reason = bounded_text(reason, limit=REASON_MAX_LENGTH)
    label = getattr(obj, "safeguarding_label", lambda: str(obj))()
    text = getattr(obj, "safeguarding_text", lambda: "")()
    with transaction.atomic():
        content_type = ContentType.objects.get_for_model(obj)
        _set_hidden(obj, timezone.now())
        # A second person flagging the same text joins the open report instead of opening
        # another one: the referent reads one case.
        report = (
            DangerReport.objects.select_for_update()
            .filter(content_type=content_type, object_id=obj.pk, state=DangerReportState.OPEN)
            .first()
        )
        if report is None:
            report = DangerReport.objects.create(
                content_type=content_type,
                object_id=obj.pk,
                target_label=label[:300],
                target_text=text,
                reported_by=by,
                reason=reason,
            )
        elif reason:
            report.reason = f"{report.reason}\n\n{reason}".strip()[:REASON_MAX_LENGTH]
            report.save(update_fields=["reason"])
        record_event(
            by=by,
            action="safeguarding.flag",
            summary=f"Signalement de danger n° {report.pk}",
            target=report,
            data={"target": f"{content_type.app_label}.{content_type.model}:{obj.pk}"},
        )
        _notify_referents(report)
    return report


def _notify_referents(report: DangerReport) -> None:
    emails = sorted(
        set(
            Role.objects.active()
            .filter(kind=RoleKind.REFERENT_PROTECTION)
            .values_list("user__email", flat=True)
        )
    )
    if not emails:
        return
    url = notifications.absolute_url(reverse("safeguarding:detail", args=[report.pk]))
    # No content in the e-mail: what was written about a child stays on the platform. The
    # référents are the platform's staff: one message to all of them.
    notifications.send(
        "safeguarding/emails/new_report.txt",
        {"url": url},
        subject=f"Nouveau signalement de danger n° {report.pk}",
        to=emails,
    )


def family_of(report: DangerReport):
    """The family member who wrote the flagged text when it was their own (a parent's support
    request: ``safeguarding_family()`` on its model), else None."""
    target = report.target
    family = getattr(target, "safeguarding_family", None)
    return family() if family is not None else None


def transmit(
    report: DangerReport,
    *,
    by,
    to: str,
    note: str = "",
    tell_family: bool = True,
    not_told_reason: str = "",
) -> DangerReport:
    """The referent confirms the danger and records where it went (the 119, a CRIP…). The text
    stays out of public view. When a family wrote it, they are told that the information is
    passed on, unless the referent writes why telling them would endanger the child."""
    to = bounded_text(
        to,
        limit=TRANSMITTED_TO_MAX_LENGTH,
        field="to",
        required="Indiquez à qui le signalement a été transmis.",
    )
    note = bounded_text(note, limit=HANDLING_NOTE_MAX_LENGTH, field="note")
    family = family_of(report)
    told = family is not None and tell_family
    if family is not None and not tell_family:
        not_told_reason = bounded_text(
            not_told_reason,
            limit=REASON_MAX_LENGTH,
            field="not_told_reason",
            required="Écrivez pourquoi informer la famille mettrait l'enfant en danger.",
        )
    else:
        not_told_reason = ""
    now = timezone.now()
    with transaction.atomic():
        report = apply_transition(
            report,
            DANGER_REPORT_WORKFLOW,
            "transmit",
            by=by,
            summary=f"Signalement n° {report.pk} confirmé et transmis",
            data={"to": to, **({"family_told": told} if family is not None else {})},
            also_update={
                "transmitted_to": to,
                "transmitted_at": now,
                "handled_by": by,
                "handled_at": now,
                "handling_note": note,
                "family_not_told_reason": not_told_reason,
            },
        )
        if told:
            notifications.send(
                "safeguarding/emails/family_told.txt",
                {"url": notifications.absolute_url(report.target.get_absolute_url())},
                subject="Une information a été transmise pour protéger un enfant",
                to=family.email,
            )
    return report


def restore(report: DangerReport, *, by, note: str = "") -> DangerReport:
    """Not a danger: the text comes back into public view."""
    note = bounded_text(note, limit=HANDLING_NOTE_MAX_LENGTH, field="note")
    with transaction.atomic():
        report = apply_transition(
            report,
            DANGER_REPORT_WORKFLOW,
            "restore",
            by=by,
            summary=f"Signalement n° {report.pk} : pas de danger, contenu rétabli",
            also_update={
                "handled_by": by,
                "handled_at": timezone.now(),
                "handling_note": note,
            },
        )
        target = report.target
        if target is not None:
            _set_hidden(target, None)
    return report
