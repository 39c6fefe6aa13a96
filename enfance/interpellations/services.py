"""Every write on interpellations: one function per thing a person (or the daily job) does.

The path: the secretary drafts → the members vote (the votes engine, electorate = the current
members) → adopted or rejected → sent to the institution with a deadline → answered through the
secret link or by post, or past its deadline. Every state change is a named transition of
``INTERPELLATION_WORKFLOW`` (workflows.py): locked, permission-checked, guarded, logged.
"""

import calendar
import hashlib
import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from enfance.assemblies.perms import can_manage_instance
from enfance.core import notifications
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_texts, model_limit, normalize_text
from enfance.core.workflow import apply_transition
from enfance.territories.models import normalize_name
from enfance.votes import services as votes
from enfance.votes.enums import BallotState, Method
from enfance.votes.models import Ballot

from .enums import AnswerChannel, InstitutionKind, State
from .models import DUE_DAY, RECEPTION_DAY, Institution, Interpellation
from .perms import can_manage_interpellation
from .voting import NO_VOTE, conclusion_refusal
from .workflows import INTERPELLATION_WORKFLOW

TEXT_FIELDS = ("title", "contact_email", "facts", "failures", "recommendations")
# A namespace for the HMAC of the answer links, not a secret (the secret is SECRET_KEY).
TOKEN_SALT = "enfance.interpellations.answer-link"  # noqa: S105


def answer_months() -> int:
    """How long an institution has to answer (seed: two months), a setting."""
    return settings.INTERPELLATION_ANSWER_MONTHS


def reminder_days() -> tuple[int, ...]:
    """How many days before the deadline the institution is reminded, a setting."""
    return tuple(sorted(settings.INTERPELLATION_REMINDER_DAYS))


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (31 January + 1 month: the last day of February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _email(to: str | list[str], subject: str, template: str, context: dict) -> None:
    """Sent once the transaction commits (core.notifications): one message to ``to``."""
    notifications.send(template, context, subject=f"[Interpellation] {subject}", to=to)


def _manager_emails(interpellation: Interpellation) -> list[str]:
    memberships = interpellation.instance.memberships.current().managers().select_related("user")
    return sorted({m.user.email for m in memberships if m.user.email})


# Drafting ------------------------------------------------------------------------------------

REQUIRED = "Ce champ est obligatoire."
# Each text field, checked against its column (core.text: never cut, one message).
TEXT_LIMITS = {
    **{key: (model_limit(Interpellation, key), "", REQUIRED) for key in TEXT_FIELDS},
    "institution_name": (model_limit(Institution, "name"), "", REQUIRED),
}


def institution_for(kind: str, name: str) -> Institution:
    """The institution of that type and name, created the first time it is named."""
    name = " ".join(name.split())
    existing = Institution.objects.filter(kind=kind, name_key=normalize_name(name)).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Institution.objects.create(kind=kind, name=name)
    except IntegrityError:
        # Named at the same moment by someone else: theirs is ours.
        return Institution.objects.get(kind=kind, name_key=normalize_name(name))


def _clean_fields(fields: dict) -> dict:
    """The draft's texts, checked here and not only in the forms (PostgreSQL does not bound a
    TEXT column; SQLite bounds nothing). Every error is reported at once."""
    name = " ".join((fields.get("institution_name") or "").split())
    values = {**fields, "institution_name": name}
    errors = {}
    try:
        cleaned = bounded_texts(values, TEXT_LIMITS)
    except ValidationError as error:
        errors = dict(error.message_dict)
        cleaned = {key: normalize_text(values.get(key)) for key in TEXT_LIMITS}
    if "contact_email" not in errors and not _is_email(cleaned["contact_email"]):
        errors["contact_email"] = "Saisissez une adresse de courriel valide."
    if fields.get("institution_kind") not in InstitutionKind.values:
        errors["institution_kind"] = "Choisissez un type d'institution de la liste."
    if errors:
        raise ValidationError(errors)
    return cleaned


def _is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def create_interpellation(
    instance, *, by, institution_kind: str, institution_name: str, **fields
) -> Interpellation:
    if not can_manage_instance(by, instance):
        raise PermissionDenied("Seul le secrétariat de l'instance rédige ses interpellations.")
    cleaned = _clean_fields(
        {**fields, "institution_kind": institution_kind, "institution_name": institution_name}
    )
    institution_name = cleaned.pop("institution_name")
    with transaction.atomic():
        interpellation = Interpellation.objects.create(
            instance=instance,
            institution=institution_for(institution_kind, institution_name),
            created_by=by,
            **cleaned,
        )
        record_event(
            by=by,
            action="interpellations.interpellation.draft",
            summary=f"Interpellation en brouillon : {interpellation}",
            target=interpellation,
            data={"instance": instance.pk},
        )
    return interpellation


def update_interpellation(
    interpellation: Interpellation, *, by, institution_kind: str, institution_name: str, **fields
) -> Interpellation:
    cleaned = _clean_fields(
        {**fields, "institution_kind": institution_kind, "institution_name": institution_name}
    )
    institution_name = cleaned.pop("institution_name")
    with transaction.atomic():
        locked = Interpellation.objects.select_for_update().get(pk=interpellation.pk)
        if not can_manage_interpellation(by, locked):
            raise PermissionDenied("Seul le secrétariat de l'instance modifie ce brouillon.")
        if locked.state != State.DRAFT:
            raise ValidationError(
                "Seul un brouillon se modifie : cette interpellation est "
                f"« {locked.get_state_display().lower()} »."
            )
        for key, value in cleaned.items():
            setattr(locked, key, value)
        locked.institution = institution_for(institution_kind, institution_name)
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*cleaned, "institution", "updated_at"])
        record_event(
            by=by,
            action="interpellations.interpellation.edit",
            summary=f"Brouillon modifié : {locked}",
            target=locked,
        )
    return locked


# The vote of the instance ----------------------------------------------------------------------


VOTE_CLOSES_IN_THE_PAST = "La clôture du vote doit être dans le futur."


def submit_to_vote(interpellation: Interpellation, *, by, closes_at: datetime, now=None):
    """A secret majority ballot of the current members, open at once; the quorum is the
    instance's. The instance must have members (the transition's guard)."""
    now = now or timezone.now()
    if closes_at <= now:
        raise ValidationError({"closes_at": VOTE_CLOSES_IN_THE_PAST})
    with transaction.atomic():
        interpellation = apply_transition(
            interpellation, INTERPELLATION_WORKFLOW, "submit_to_vote", by=by
        )
        electors = interpellation.ballot_electorate()
        ballot = votes.create_ballot(
            interpellation,
            by=by,
            title=f"Adoption de l'interpellation « {interpellation.title} »",
            method=Method.MAJORITY,
            secret=True,
            opens_at=now,
            closes_at=closes_at,
            quorum=interpellation.instance.quorum_for(len(electors)),
            description=f"Interpellation adressée à : {interpellation.institution}.",
        )
        votes.open_ballot(ballot, by=by, electors=electors)
        interpellation.ballot = ballot
        interpellation.save(update_fields=["ballot"])
        # One message per member: they do not see each other's address.
        for email in sorted({u.email for u in electors if u.email}):
            _email(
                email,
                f"Vote : « {interpellation.title} »",
                "interpellations/emails/vote_opened.txt",
                {
                    "interpellation": interpellation,
                    "ballot_url": notifications.absolute_url(ballot.get_absolute_url()),
                    "closes_at": closes_at,
                },
            )
    return ballot


def conclude_vote(interpellation: Interpellation, *, by, now=None) -> Interpellation:
    """Close the ballot (if still open) and apply its result: adopted or rejected. Before its
    closing time, only once every member has voted (voting.py). A cancelled ballot brings the
    text back to draft."""
    now = now or timezone.now()
    interpellation.refresh_from_db(fields=["state", "ballot"])
    if not can_manage_interpellation(by, interpellation):
        raise PermissionDenied("Seul le secrétariat de l'instance clôt le vote.")
    if interpellation.state != State.VOTING or interpellation.ballot is None:
        raise ValidationError(NO_VOTE)
    with transaction.atomic():
        # Locked before counting: a closing or a cancellation from the ballot's page waits, so
        # the count, the rule and the result are about the same ballot.
        ballot = Ballot.objects.select_for_update().get(pk=interpellation.ballot_id)
        interpellation.ballot = ballot
        if ballot.state == BallotState.CANCELLED:
            return apply_transition(
                interpellation,
                INTERPELLATION_WORKFLOW,
                "back_to_draft",
                by=by,
                data={"ballot": ballot.pk},
            )
        if refusal := conclusion_refusal(interpellation, now=now):
            raise ValidationError(refusal)
        if ballot.state == BallotState.OPEN:
            result = votes.close_ballot(ballot, by=by, now=now)
        else:
            result = votes.tally(ballot)
        data = {
            "ballot": ballot.pk,
            "pour": result.data["pour"],
            "contre": result.data["contre"],
            "abstention": result.data["abstention"],
            "quorum_reached": result.data["quorum_reached"],
        }
        # The transitions' guard asks the closed ballot again (voting.decision_refusal).
        if result.data["adopted"]:
            return apply_transition(
                interpellation,
                INTERPELLATION_WORKFLOW,
                "adopt",
                by=by,
                data=data,
                also_update={"adopted_at": now},
            )
        return apply_transition(interpellation, INTERPELLATION_WORKFLOW, "reject", by=by, data=data)


def back_to_draft(interpellation: Interpellation, *, by) -> Interpellation:
    """A rejected text is reworked; a vote in progress is cancelled first."""
    with transaction.atomic():
        ballot = interpellation.ballot
        voting = interpellation.state == State.VOTING and ballot is not None
        if voting and ballot.state in (BallotState.DRAFT, BallotState.OPEN):
            votes.cancel_ballot(ballot, by=by)
        return apply_transition(interpellation, INTERPELLATION_WORKFLOW, "back_to_draft", by=by)


# Sending and answering -----------------------------------------------------------------------


def answer_token(interpellation: Interpellation) -> str:
    return salted_hmac(
        TOKEN_SALT, f"{interpellation.pk}:{interpellation.answer_link_nonce}", algorithm="sha256"
    ).hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def answer_url(interpellation: Interpellation) -> str:
    return notifications.absolute_url(
        reverse("interpellations:answer", args=[answer_token(interpellation)])
    )


def send(interpellation: Interpellation, *, by, due_on: date | None = None, now=None):
    """Send the adopted text to the institution, with its secret link and deadline."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due_on = due_on or add_months(today, answer_months())
    if due_on <= today:
        raise ValidationError({"due_on": DUE_DAY.too_early})
    DUE_DAY.check(due_on, field="due_on", today=today)
    nonce = secrets.token_hex(16)
    with transaction.atomic():
        probe = Interpellation(pk=interpellation.pk, answer_link_nonce=nonce)
        token = answer_token(probe)
        sent = apply_transition(
            interpellation,
            INTERPELLATION_WORKFLOW,
            "send",
            by=by,
            data={"due_on": due_on, "institution": interpellation.institution_id},
            also_update={
                "sent_at": now,
                "answer_due_on": due_on,
                "answer_link_nonce": nonce,
                "answer_token_hash": token_hash(token),
            },
        )
        _email(
            sent.contact_email,
            f"{sent.instance} vous adresse une interpellation",
            "interpellations/emails/sent.txt",
            {
                "interpellation": sent,
                "answer_url": answer_url(sent),
                "public_url": notifications.absolute_url(sent.get_absolute_url()),
            },
        )
    return sent


def find_by_token(token: str) -> Interpellation | None:
    """The interpellation of a secret link; None for a link that was never given."""
    if not token or len(token) > 128:
        return None
    return (
        Interpellation.objects.select_related("institution", "instance")
        .filter(answer_token_hash=token_hash(token))
        .first()
    )


ANSWER_LIMITS = {
    "text": (
        model_limit(Interpellation, "answer_text"),
        "",
        "Écrivez la réponse de l'institution.",
    ),
    "signatory": (model_limit(Interpellation, "answer_signatory"), "", None),
}


def _answer_fields(interpellation, *, text, signatory, answered_on, channel, by, now):
    cleaned = bounded_texts({"text": text, "signatory": signatory}, ANSWER_LIMITS)
    sent_on = timezone.localdate(interpellation.sent_at)
    return {
        "answered_at": now,
        "answered_on": answered_on,
        "answer_channel": channel,
        "answer_signatory": cleaned["signatory"],
        "answer_text": cleaned["text"],
        "answer_delay_days": max((answered_on - sent_on).days, 0),
        "answered_late": answered_on > interpellation.answer_due_on,
        "answer_recorded_by": by,
    }


def _notify_answer(interpellation: Interpellation) -> None:
    # The instance's secretariat, together: they run it side by side.
    emails = _manager_emails(interpellation)
    if emails:
        _email(
            emails,
            f"L'institution a répondu à « {interpellation.title} »",
            "interpellations/emails/answered.txt",
            {
                "interpellation": interpellation,
                "public_url": notifications.absolute_url(interpellation.get_absolute_url()),
            },
        )


def answer_by_link(token: str, *, text: str, signatory: str, now=None) -> Interpellation:
    """The institution answers through its link (the link is who acts): once. A second answer
    is refused."""
    now = now or timezone.now()
    interpellation = find_by_token(token)
    if interpellation is None:
        raise PermissionDenied("Ce lien n'est pas valable.")
    if not normalize_text(signatory):
        raise ValidationError({"signatory": "Indiquez le nom et la fonction du signataire."})
    with transaction.atomic():
        locked = Interpellation.objects.select_for_update().get(pk=interpellation.pk)
        # Checked again under the lock: the link is the permission to answer.
        if locked.answer_token_hash != token_hash(token):
            raise PermissionDenied("Ce lien n'est pas valable.")
        answered = apply_transition(
            locked,
            INTERPELLATION_WORKFLOW,
            "answer",
            by=None,
            summary=f"Réponse de l'institution à l'interpellation : {locked}",
            data={"channel": AnswerChannel.LINK},
            also_update=_answer_fields(
                locked,
                text=text,
                signatory=signatory,
                answered_on=timezone.localdate(now),
                channel=AnswerChannel.LINK,
                by=None,
                now=now,
            ),
        )
        _notify_answer(answered)
    return answered


def record_postal_answer(
    interpellation: Interpellation, *, by, received_on: date, text: str, signatory: str = "",
    now=None,
) -> Interpellation:  # fmt: skip
    now = now or timezone.now()
    with transaction.atomic():
        locked = Interpellation.objects.select_for_update().get(pk=interpellation.pk)
        # State and permission first: an interpellation never sent has no date to answer by.
        if refusal := INTERPELLATION_WORKFLOW.refusal(locked, by, "record_postal_answer"):
            raise refusal.exception()
        if received_on < timezone.localdate(locked.sent_at):
            raise ValidationError(
                {"received_on": "La réponse ne peut pas être antérieure à l'envoi."}
            )
        RECEPTION_DAY.check(received_on, field="received_on", today=timezone.localdate(now))
        answered = apply_transition(
            locked,
            INTERPELLATION_WORKFLOW,
            "record_postal_answer",
            by=by,
            data={"channel": AnswerChannel.POST, "received_on": received_on},
            also_update=_answer_fields(
                locked,
                text=text,
                signatory=signatory,
                answered_on=received_on,
                channel=AnswerChannel.POST,
                by=by,
                now=now,
            ),
        )
    return answered


# The daily job -------------------------------------------------------------------------------


def send_reminders(*, now=None) -> tuple[int, int]:
    """Remind institutions whose deadline comes (settings: 14 and 3 days before), and mark the
    interpellations whose deadline has passed. Returns (reminders sent, marked overdue).

    Each reminder is claimed by a conditional update before its message is queued, so it goes
    out once however often (or concurrently) this runs; a job that missed a day sends only the
    latest reminder due, not every one it missed (the nearest deadline window is served first)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    reminders = 0
    waiting = Interpellation.objects.filter(state=State.SENT, answer_due_on__gte=today)
    for days in reminder_days():
        due = waiting.filter(answer_due_on__lte=today + timedelta(days=days)).exclude(
            last_reminder_days__lte=days
        )
        for interpellation in due.select_related("instance", "institution").iterator(
            chunk_size=500
        ):
            with transaction.atomic():
                claimed = (
                    Interpellation.objects.filter(pk=interpellation.pk, state=State.SENT)
                    .exclude(last_reminder_days__lte=days)
                    .update(last_reminder_days=days)
                )
                if not claimed:
                    continue
                _email(
                    interpellation.contact_email,
                    f"Rappel : réponse attendue avant le {interpellation.answer_due_on:%d/%m/%Y}",
                    "interpellations/emails/reminder.txt",
                    {
                        "interpellation": interpellation,
                        "days_left": (interpellation.answer_due_on - today).days,
                        "answer_url": answer_url(interpellation),
                    },
                )
            reminders += 1
    expired = 0
    late = Interpellation.objects.filter(state=State.SENT, answer_due_on__lt=today)
    for interpellation in late.iterator(chunk_size=500):
        try:
            apply_transition(
                interpellation,
                INTERPELLATION_WORKFLOW,
                "expire",
                by=None,
                summary=f"Délai de réponse dépassé : {interpellation}",
                data={"due_on": interpellation.answer_due_on},
            )
        except ValidationError:
            # Answered between the read and the lock: nothing to mark.
            continue
        expired += 1
    return reminders, expired
