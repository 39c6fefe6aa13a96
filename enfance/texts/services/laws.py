"""The path of a text: its consultation opened and closed, and for a law proposal, its
transmissions and what followed."""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from enfance.core.dates import written_date
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text
from enfance.core.workflow import apply_transition

from ..enums import (
    FOLLOW_UP_MAX_LENGTH,
    TRANSMISSION_NOTE_MAX_LENGTH,
    TRANSMISSION_RECIPIENTS_MAX_LENGTH,
    RecipientKind,
    TextState,
)
from ..models import (
    CONSULTATION_CLOSE_DAY,
    FOLLOW_UP_DAY,
    TRANSMISSION_DAY,
    FollowUp,
    LawProposal,
    Text,
    Transmission,
)
from ..perms import can_manage_law_proposals
from ..workflows import LAW_WORKFLOW, workflow_of
from .texts import as_model, lock


def open_consultation(text: Text, *, by, closes_on: date, today: date | None = None) -> Text:
    """Open the consultation today, until ``closes_on`` (chosen by whoever opens it)."""
    today = today or timezone.localdate()
    if closes_on is None:
        raise ValidationError({"closes_on": "Indiquez la date de clôture de la consultation."})
    CONSULTATION_CLOSE_DAY.check(closes_on, field="closes_on", today=today)
    if closes_on <= today:
        raise ValidationError(
            {
                "closes_on": "La consultation se clôt après son ouverture, le "
                f"{written_date(today)} : choisissez une date de clôture à partir du "
                f"{written_date(today + timedelta(days=1))}."
            }
        )
    return apply_transition(
        as_model(text),
        workflow_of(text),
        "open_consultation",
        by=by,
        summary=f"Consultation ouverte sur « {text} » jusqu'au {written_date(closes_on)}",
        data={"opens_on": today, "closes_on": closes_on},
        also_update={"consultation_opens_on": today, "consultation_closes_on": closes_on},
    )


def close_consultation(text: Text, *, by, today: date | None = None) -> Text:
    """Close it now: an early close brings the closing day forward to today."""
    today = today or timezone.localdate()
    closes_on = text.consultation_closes_on
    also_update = {}
    if closes_on is None or closes_on > today:
        # Never before the opening day (the database's rule), even on a clock set back.
        opens_on = text.consultation_opens_on
        also_update["consultation_closes_on"] = max(today, opens_on) if opens_on else None
    return apply_transition(
        as_model(text),
        workflow_of(text),
        "close_consultation",
        by=by,
        data={"closes_on": also_update.get("consultation_closes_on", closes_on)},
        also_update=also_update,
    )


def end_due_consultations(*, today: date | None = None) -> int:
    """Close the consultations whose closing day is past, as the platform (the transition
    « end_consultation »); run every day by ``close_due_consultations``. Returns how many."""
    today = today or timezone.localdate()
    moment = timezone.make_aware(datetime.combine(today, time(12)))
    ended = 0
    due = Text.objects.filter(state=TextState.CONSULTATION, consultation_closes_on__lt=today)
    for text in due.order_by("pk"):
        try:
            apply_transition(
                as_model(text),
                workflow_of(text),
                "end_consultation",
                by=None,
                summary=f"Consultation close à sa date sur « {text} »",
                data={"closes_on": text.consultation_closes_on},
                at=moment,
            )
        except ValidationError:
            # Closed or reopened by a person meanwhile: nothing left to do for this one.
            continue
        ended += 1
    return ended


def record_transmission(
    law_proposal: LawProposal,
    *,
    by,
    recipient_kind: str,
    recipients: str,
    transmitted_on: date,
    note: str = "",
) -> Transmission:
    """Record one sending of the law proposal; the first one moves it to « transmise »."""
    if not can_manage_law_proposals(by):
        raise PermissionDenied("Seule l'administration nationale transmet les propositions de loi.")
    if not law_proposal.is_law_proposal:
        raise ValidationError("Seule une proposition de loi se transmet.")
    errors = {}
    if recipient_kind not in RecipientKind.values:
        errors["recipient_kind"] = ["Choisissez un destinataire dans la liste."]
    try:
        recipients = bounded_text(
            recipients,
            limit=TRANSMISSION_RECIPIENTS_MAX_LENGTH,
            field="recipients",
            label="Les destinataires nommés",
            required="Nommez les destinataires.",
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        TRANSMISSION_DAY.check(transmitted_on, field="transmitted_on")
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        note = bounded_text(
            note, limit=TRANSMISSION_NOTE_MAX_LENGTH, field="note", label="Les précisions"
        )
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The state is read under the lock, not from the page: a first transmission recorded
        # meanwhile by someone else makes this one a further sending, not a refused transition.
        law = lock(law_proposal)
        if law.is_editable:
            law = apply_transition(
                law,
                LAW_WORKFLOW,
                "transmit",
                by=by,
                data={"recipients": recipients},
                also_update={"updated_at": timezone.now()},
            )
        transmission = Transmission.objects.create(
            law_proposal=law,
            version_id=law.current_version_id,
            recipient_kind=recipient_kind,
            recipients=recipients,
            transmitted_on=transmitted_on,
            note=note,
            recorded_by=by,
        )
        record_event(
            by=by,
            action="texts.lawproposal.transmission",
            summary=f"« {law} » transmise le {transmitted_on:%d/%m/%Y} à {recipients}",
            target=law,
            data={"recipient_kind": recipient_kind, "recipients": recipients},
            public=True,
        )
    return transmission


def record_follow_up(
    law_proposal: LawProposal, *, by, happened_on: date, description: str
) -> FollowUp:
    """Record what followed a transmission; the first one moves it to « suites données »."""
    if not can_manage_law_proposals(by):
        raise PermissionDenied("Seule l'administration nationale enregistre les suites.")
    description = bounded_text(
        description,
        limit=FOLLOW_UP_MAX_LENGTH,
        field="description",
        label="La description",
        required="Décrivez ce qui s'est passé.",
    )
    FOLLOW_UP_DAY.check(happened_on, field="happened_on")
    with transaction.atomic():
        # Read under the lock: a follow-up recorded meanwhile has already moved the state on.
        law = lock(law_proposal)
        if law.state == TextState.TRANSMITTED:
            law = apply_transition(
                law,
                LAW_WORKFLOW,
                "record_follow_up",
                by=by,
                also_update={"updated_at": timezone.now()},
            )
        elif law.state != TextState.FOLLOWED_UP:
            raise ValidationError(
                "Les suites s'enregistrent une fois la proposition de loi transmise."
            )
        follow_up = FollowUp.objects.create(
            law_proposal=law, happened_on=happened_on, description=description, recorded_by=by
        )
        record_event(
            by=by,
            action="texts.lawproposal.follow_up",
            summary=f"Suite donnée à « {law} » le {happened_on:%d/%m/%Y}",
            target=law,
            data={"description": description},
            public=True,
        )
    return follow_up
