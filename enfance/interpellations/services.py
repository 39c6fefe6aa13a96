"""Every write on interpellations: one function per thing a person (or the daily job) does.

The path: the secretary drafts → the members vote (the votes engine, electorate = the current
members) → adopted or rejected → sent to the institution with a deadline → answered through the
secret link or by post, or past its deadline. Every state change is a named transition of
``WORKFLOW`` (enums.py): locked, permission-checked, logged.
"""

import calendar
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format

from enfance.assemblies.perms import can_manage_instance
from enfance.core.eventlog import record_event
from enfance.core.tasks import enqueue_email
from enfance.core.workflow import apply_transition
from enfance.territories.models import normalize_name

from .enums import WORKFLOW, AnswerChannel, InstitutionKind, State
from .models import Institution, Interpellation
from .perms import can_manage_interpellation

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


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _email(to: list[str], subject: str, template: str, **context) -> None:
    body = render_to_string(f"interpellations/emails/{template}.txt", context)
    enqueue_email(EmailMessage(subject=f"[Interpellation] {subject}", body=body, to=to))


def _manager_emails(interpellation: Interpellation) -> list[str]:
    memberships = interpellation.instance.memberships.current().managers().select_related("user")
    return sorted({m.user.email for m in memberships if m.user.email})


# Drafting ------------------------------------------------------------------------------------


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


def _too_long(model, field: str, value: str) -> str | None:
    """The French message of a value longer than its column allows, checked here and not only in
    the forms (PostgreSQL does not bound a TEXT column; SQLite bounds nothing)."""
    limit = model._meta.get_field(field).max_length
    if limit and len(value) > limit:
        message = f"Ce texte fait {len(value):,} caractères : il en faut au plus {limit:,}."
        return message.replace(",", "\u202f")
    return None


def _clean_fields(fields: dict) -> dict:
    cleaned = {key: (fields.get(key) or "").strip() for key in TEXT_FIELDS}
    errors = {key: "Ce champ est obligatoire." for key, value in cleaned.items() if not value}
    for key, value in cleaned.items():
        if key not in errors and (message := _too_long(Interpellation, key, value)):
            errors[key] = message
    if cleaned["contact_email"] and not _is_email(cleaned["contact_email"]):
        errors["contact_email"] = "Saisissez une adresse de courriel valide."
    if fields.get("institution_kind") not in InstitutionKind.values:
        errors["institution_kind"] = "Choisissez un type d'institution de la liste."
    institution_name = " ".join((fields.get("institution_name") or "").split())
    if not institution_name:
        errors["institution_name"] = "Ce champ est obligatoire."
    elif message := _too_long(Institution, "name", institution_name):
        errors["institution_name"] = message
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
    *, by, instance, institution_kind: str, institution_name: str, **fields
) -> Interpellation:
    if not can_manage_instance(by, instance):
        raise PermissionDenied("Seul le secrétariat de l'instance rédige ses interpellations.")
    cleaned = _clean_fields(
        {**fields, "institution_kind": institution_kind, "institution_name": institution_name}
    )
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
    *, by, interpellation: Interpellation, institution_kind: str, institution_name: str, **fields
) -> Interpellation:
    cleaned = _clean_fields(
        {**fields, "institution_kind": institution_kind, "institution_name": institution_name}
    )
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


def submit_to_vote(*, by, interpellation: Interpellation, closes_at: datetime, now=None):
    """A secret majority ballot of the current members, open at once; the quorum is the
    instance's."""
    from enfance.votes import services as votes
    from enfance.votes.enums import Method

    now = now or timezone.now()
    if closes_at <= now:
        raise ValidationError({"closes_at": "La clôture du vote doit être dans le futur."})
    electors = interpellation.ballot_electorate()
    if not electors:
        raise ValidationError("L'instance n'a aucun membre en fonction : personne ne peut voter.")
    with transaction.atomic():
        interpellation = apply_transition(interpellation, WORKFLOW, "submit_to_vote", by=by)
        ballot = votes.create_ballot(
            by=by,
            context=interpellation,
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
    for email in sorted({u.email for u in electors if u.email}):
        _email(
            [email],
            f"Vote : « {interpellation.title} »",
            "vote_opened",
            interpellation=interpellation,
            ballot_url=_absolute(ballot.get_absolute_url()),
            closes_at=closes_at,
        )
    return ballot


@dataclass(frozen=True)
class VoteProgress:
    """Where the instance's vote stands, as the votes engine counts it: the electors frozen when
    the ballot opened and the ballots cast (online and on paper). ``moment`` is the time that
    decides whether the vote may close: now while the ballot is open, the closing itself once it
    was closed. The votes engine applies the same rule (Interpellation.ballot_closing_refusal)."""

    state: str
    electors: int
    cast: int
    closes_at: datetime
    moment: datetime

    @property
    def everyone_voted(self) -> bool:
        return self.cast >= self.electors

    @property
    def time_is_up(self) -> bool:
        return self.moment >= self.closes_at

    @property
    def may_close(self) -> bool:
        """The rule the secretariat is told: closed early only once every member has voted."""
        return self.everyone_voted or self.time_is_up

    @property
    def turnout(self) -> str:
        if self.cast == 0:
            return "aucun membre n'a encore voté"
        plural = self.cast > 1
        return (
            f"{self.cast} membre{'s' if plural else ''} sur {self.electors} "
            f"{'ont' if plural else 'a'} voté"
        )

    @property
    def refusal(self) -> str | None:
        """Why the vote may not decide the interpellation now; None when it may."""
        from enfance.votes.enums import BallotState

        if self.may_close:
            return None
        closes_at = date_format(timezone.localtime(self.closes_at), "j F Y à H:i")
        if self.state == BallotState.CLOSED:
            return (
                f"Le scrutin a été clos avant le {closes_at} alors que tous les membres n'avaient "
                f"pas voté ({self.turnout}) : son résultat ne peut pas décider de "
                "l'interpellation. Reprenez le brouillon pour la soumettre à un nouveau vote."
            )
        return (
            f"Le vote ne peut pas encore être clos : {self.turnout}. Vous pourrez le clore dès "
            f"que tous les membres auront voté, ou à partir du {closes_at}."
        )


def vote_progress(ballot, *, now=None) -> VoteProgress:
    from enfance.votes import services as votes
    from enfance.votes.enums import BallotState
    from enfance.votes.models import Result

    counts = votes.participation_counts(ballot)
    moment = now or timezone.now()
    if ballot.state == BallotState.CLOSED:
        closed_at = Result.objects.filter(ballot=ballot).values_list("computed_at", flat=True)
        moment = closed_at.first() or moment
    return VoteProgress(
        state=ballot.state,
        electors=counts["electors"],
        cast=counts["online"] + counts["paper"],
        closes_at=ballot.closes_at,
        moment=moment,
    )


def conclude_vote(*, by, interpellation: Interpellation, now=None) -> Interpellation:
    """Close the ballot (if still open) and apply its result: adopted or rejected. Before its
    closing time, only once every member has voted. A cancelled ballot brings the text back to
    draft."""
    from enfance.votes import services as votes
    from enfance.votes.enums import BallotState
    from enfance.votes.models import Ballot

    now = now or timezone.now()
    interpellation.refresh_from_db(fields=["state", "ballot"])
    if not can_manage_interpellation(by, interpellation):
        raise PermissionDenied("Seul le secrétariat de l'instance clôt le vote.")
    if interpellation.state != State.VOTING or interpellation.ballot is None:
        raise ValidationError("Aucun vote n'est en cours pour cette interpellation.")
    with transaction.atomic():
        # Locked before counting: a closing or a cancellation from the ballot's page waits, so
        # the count, the rule and the result are about the same ballot.
        ballot = Ballot.objects.select_for_update().get(pk=interpellation.ballot_id)
        if ballot.state == BallotState.CANCELLED:
            return apply_transition(
                interpellation, WORKFLOW, "back_to_draft", by=by, data={"ballot": ballot.pk}
            )
        if ballot.state == BallotState.OPEN:
            # The votes engine asks the interpellation (ballot_closing_refusal): an early
            # closing is refused with the reason, here as on the ballot's own page.
            result = votes.close_ballot(ballot, by=by, now=now)
        else:
            # A ballot closed early before the engine asked its context is held to the same
            # rule: its result does not decide the interpellation.
            if refusal := vote_progress(ballot, now=now).refusal:
                raise ValidationError(refusal)
            result = votes.tally(ballot)
        data = {
            "ballot": ballot.pk,
            "pour": result.data["pour"],
            "contre": result.data["contre"],
            "abstention": result.data["abstention"],
            "quorum_reached": result.data["quorum_reached"],
        }
        if result.data["adopted"]:
            return apply_transition(
                interpellation,
                WORKFLOW,
                "adopt",
                by=by,
                data=data,
                also_update={"adopted_at": now},
            )
        return apply_transition(interpellation, WORKFLOW, "reject", by=by, data=data)


def back_to_draft(*, by, interpellation: Interpellation) -> Interpellation:
    """A rejected text is reworked; a vote in progress is cancelled first."""
    from enfance.votes import services as votes
    from enfance.votes.enums import BallotState

    with transaction.atomic():
        ballot = interpellation.ballot
        voting = interpellation.state == State.VOTING and ballot is not None
        if voting and ballot.state in (BallotState.DRAFT, BallotState.OPEN):
            votes.cancel_ballot(ballot, by=by)
        return apply_transition(interpellation, WORKFLOW, "back_to_draft", by=by)


# Sending and answering -----------------------------------------------------------------------


def answer_token(interpellation: Interpellation) -> str:
    return salted_hmac(
        TOKEN_SALT, f"{interpellation.pk}:{interpellation.answer_link_nonce}", algorithm="sha256"
    ).hexdigest()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def answer_url(interpellation: Interpellation) -> str:
    return _absolute(reverse("interpellations:answer", args=[answer_token(interpellation)]))


def send(*, by, interpellation: Interpellation, due_on: date | None = None, now=None):
    """Send the adopted text to the institution, with its secret link and deadline."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due_on = due_on or add_months(today, answer_months())
    if due_on <= today:
        raise ValidationError({"due_on": "La date limite de réponse doit être dans le futur."})
    nonce = secrets.token_hex(16)
    with transaction.atomic():
        probe = Interpellation(pk=interpellation.pk, answer_link_nonce=nonce)
        token = answer_token(probe)
        sent = apply_transition(
            interpellation,
            WORKFLOW,
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
            [sent.contact_email],
            f"{sent.instance} vous adresse une interpellation",
            "sent",
            interpellation=sent,
            answer_url=answer_url(sent),
            public_url=_absolute(sent.get_absolute_url()),
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


def _answer_fields(interpellation, *, text, signatory, answered_on, channel, by, now):
    text = (text or "").strip()
    signatory = (signatory or "").strip()
    if not text:
        raise ValidationError({"text": "Écrivez la réponse de l'institution."})
    errors = {
        field: message
        for field, column, value in (("text", "answer_text", text),
                                     ("signatory", "answer_signatory", signatory))
        if (message := _too_long(Interpellation, column, value))
    }  # fmt: skip
    if errors:
        raise ValidationError(errors)
    sent_on = timezone.localdate(interpellation.sent_at)
    return {
        "answered_at": now,
        "answered_on": answered_on,
        "answer_channel": channel,
        "answer_signatory": signatory,
        "answer_text": text,
        "answer_delay_days": max((answered_on - sent_on).days, 0),
        "answered_late": answered_on > interpellation.answer_due_on,
        "answer_recorded_by": by,
    }


def _notify_answer(interpellation: Interpellation) -> None:
    emails = _manager_emails(interpellation)
    if emails:
        _email(
            emails,
            f"L'institution a répondu à « {interpellation.title} »",
            "answered",
            interpellation=interpellation,
            public_url=_absolute(interpellation.get_absolute_url()),
        )


def answer_by_link(*, token: str, text: str, signatory: str, now=None) -> Interpellation:
    """The institution answers through its link: once. A second answer is refused."""
    now = now or timezone.now()
    interpellation = find_by_token(token)
    if interpellation is None:
        raise PermissionDenied("Ce lien n'est pas valable.")
    if not (signatory or "").strip():
        raise ValidationError({"signatory": "Indiquez le nom et la fonction du signataire."})
    with transaction.atomic():
        locked = Interpellation.objects.select_for_update().get(pk=interpellation.pk)
        # Checked again under the lock: the link is the permission to answer.
        if locked.answer_token_hash != token_hash(token):
            raise PermissionDenied("Ce lien n'est pas valable.")
        answered = apply_transition(
            locked,
            WORKFLOW,
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
    *, by, interpellation: Interpellation, received_on: date, text: str, signatory: str = "",
    now=None,
) -> Interpellation:  # fmt: skip
    now = now or timezone.now()
    sent_on = timezone.localdate(interpellation.sent_at) if interpellation.sent_at else None
    if sent_on is not None and received_on < sent_on:
        raise ValidationError({"received_on": "La réponse ne peut pas être antérieure à l'envoi."})
    if received_on > timezone.localdate(now):
        raise ValidationError({"received_on": "La date de réception ne peut pas être future."})
    with transaction.atomic():
        locked = Interpellation.objects.select_for_update().get(pk=interpellation.pk)
        answered = apply_transition(
            locked,
            WORKFLOW,
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
                left = (interpellation.answer_due_on - today).days
                _email(
                    [interpellation.contact_email],
                    f"Rappel : réponse attendue avant le {interpellation.answer_due_on:%d/%m/%Y}",
                    "reminder",
                    interpellation=interpellation,
                    days_left=left,
                    answer_url=answer_url(interpellation),
                )
            reminders += 1
    expired = 0
    late = Interpellation.objects.filter(state=State.SENT, answer_due_on__lt=today)
    for interpellation in late.iterator(chunk_size=500):
        try:
            apply_transition(
                interpellation,
                WORKFLOW,
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
