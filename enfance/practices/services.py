"""Every write on practices: one function per thing a person does.

What happens when a committee member publishes a practice is in ``publish_practice``.
"""

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from enfance.core import notifications
from enfance.core.cache import bump
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text, bounded_texts, model_limit
from enfance.core.workflow import apply_transition

from .enums import (
    CONDITIONS_VERSION,
    CONFLICT_NOTE_MAX_LENGTH,
    MARK_COMMENT_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    QUEUE_STATES,
    REVIEW_INTERVAL_YEARS,
    EvidenceStage,
    MarkCriterion,
    PracticeLevel,
    PracticeState,
    StructureKind,
)
from .library import CACHE_NAME, index_practice, unindex_practice
from .models import (
    AGREEMENT_DAY,
    REVIEW_DAY,
    ConflictOfInterest,
    Practice,
    PracticeMark,
    PracticeMessage,
    ReferenceOption,
)
from .perms import (
    can_decide_on_practice,
    can_edit_practice,
    can_manage_options,
    can_mark_practice,
    can_rate_evidence,
    can_write_in_thread,
    can_write_onpe_fiche,
    is_committee_member,
)
from .tasks import reindex_fiches_of_option
from .workflows import PRACTICE_WORKFLOW

SUBJECT_PREFIX = "[Pratiques inspirantes]"
# What the declarant and the rédacteurs type freely on a fiche, each within its column's limit.
FREE_TEXT_FIELDS = frozenset(
    field.name
    for field in Practice._meta.concrete_fields
    if isinstance(field, models.CharField | models.TextField)
    and not field.choices
    and field.editable
)


def review_due_date(reviewed_on: datetime.date) -> datetime.date:
    """Two years after the review (a 29 February is due on the 28th)."""
    year = reviewed_on.year + REVIEW_INTERVAL_YEARS
    try:
        return reviewed_on.replace(year=year)
    except ValueError:
        return reviewed_on.replace(year=year, day=28)


def practice_follow_path(practice: Practice) -> str:
    return reverse("practices:review", args=[practice.pk])


def _email(practice: Practice, template: str, subject: str, **context) -> None:
    """The declarant hears of every step of the committee's examination (unless they have
    deleted their account since)."""
    declarant = practice.declarant
    if declarant is None:
        return
    notifications.send(
        template,
        {
            "person": declarant,
            "practice": practice,
            "follow_url": notifications.absolute_url(practice_follow_path(practice)),
            **context,
        },
        subject=f"{SUBJECT_PREFIX} {subject}",
        to=declarant.email,
    )


def _email_reviewer(practice: Practice, subject: str) -> None:
    """The committee member in charge hears when the declarant answers."""
    # Read from the database: the caller's object may predate the member taking the review.
    reviewer = Practice.objects.select_related("reviewer").get(pk=practice.pk).reviewer
    if reviewer is None:
        return
    notifications.send(
        "practices/emails/declarant_answered.txt",
        {
            "person": reviewer,
            "practice": practice,
            "follow_url": notifications.absolute_url(practice_follow_path(practice)),
        },
        subject=f"{SUBJECT_PREFIX} {subject}",
        to=reviewer.email,
    )


def _index(practice: Practice, *, published: bool) -> None:
    # The library's search index (library.py) follows publication.
    if published:
        index_practice(practice)
    else:
        unindex_practice(practice)


# Declaring ------------------------------------------------------------------------------------


def start_declaration(*, by, accepted: bool, token: uuid.UUID | None = None) -> Practice:
    """The declarant accepts seed 004's conditions: a draft is created, with the acceptance.

    ``token`` names the page of conditions that was accepted. The same page posted again (a
    double click, a reload) gives back the draft it made, as long as it is a draft; the
    database holds one practice per declarant and token, so two POSTs at once give one draft.
    """
    if not by.is_authenticated:
        raise PermissionDenied("Connectez-vous pour déclarer une pratique.")
    if not accepted:
        raise ValidationError(
            {"accept": "Cochez la case pour confirmer que vous acceptez les conditions."}
        )
    if token is not None:
        earlier = Practice.objects.filter(declarant=by, acceptance_token=token).first()
        if earlier is not None and earlier.state == PracticeState.DRAFT:
            return earlier
        if earlier is not None:
            # That practice was transmitted since: accepting again starts another one.
            token = None
    try:
        return _create_draft(by=by, token=token)
    except IntegrityError:
        if token is None:
            raise
        # The other POST of the same click made the draft first.
        return Practice.objects.get(declarant=by, acceptance_token=token)


def _create_draft(*, by, token: uuid.UUID | None) -> Practice:
    with transaction.atomic():
        practice = Practice.objects.create(
            declarant=by,
            level=PracticeLevel.DECLARED,
            conditions_accepted_at=timezone.now(),
            conditions_version=CONDITIONS_VERSION,
            acceptance_token=token,
        )
        record_event(
            by=by,
            action="practices.practice.accept_conditions",
            summary="Conditions du recueil acceptées",
            target=practice,
            data={"version": CONDITIONS_VERSION},
        )
    return practice


def save_practice(practice: Practice, *, by, fields: dict) -> Practice:
    """Save what the declarant (or the rédacteur ONPE) typed, complete or not."""
    if not can_edit_practice(by, practice):
        raise PermissionDenied("Vous ne pouvez pas modifier cette fiche.")
    texts = {name: value for name, value in fields.items() if name in FREE_TEXT_FIELDS}
    fields = {
        **fields,
        **bounded_texts(texts, {name: (model_limit(Practice, name), "", None) for name in texts}),
    }
    with transaction.atomic():
        locked = Practice.objects.select_for_update(of=("self",)).get(pk=practice.pk)
        if not can_edit_practice(by, locked):
            state = locked.get_state_display()
            raise ValidationError(f"Cette fiche ne peut plus être modifiée : elle est « {state} ».")
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*fields, "updated_at"])
        if locked.state == PracticeState.PUBLISHED:
            _index(locked, published=True)
    return locked


def submit_practice(practice: Practice, *, by) -> Practice:
    with transaction.atomic():
        practice = apply_transition(
            practice,
            PRACTICE_WORKFLOW,
            "submit",
            by=by,
            summary=f"Pratique transmise au comité : {practice}",
            also_update={"submitted_at": timezone.now()},
        )
        _email(practice, "practices/emails/submitted.txt", "Votre pratique a bien été transmise")
    return practice


def resubmit_practice(practice: Practice, *, by, message: str = "") -> Practice:
    with transaction.atomic():
        if message.strip():
            _post(practice, by=by, body=message, from_committee=False, notify=False)
        practice = apply_transition(
            practice,
            PRACTICE_WORKFLOW,
            "resubmit",
            by=by,
            summary=f"Pratique complétée et renvoyée au comité : {practice}",
            also_update={"submitted_at": timezone.now()},
        )
        _email_reviewer(practice, f"« {practice} » a été complétée par le déclarant")
    return practice


# The selection committee --------------------------------------------------------------------


def take_for_review(practice: Practice, *, by) -> Practice:
    with transaction.atomic():
        practice = apply_transition(
            practice, PRACTICE_WORKFLOW, "take_for_review", by=by, also_update={"reviewer": by}
        )
        _email(
            practice, "practices/emails/under_review.txt", "Votre pratique est en cours d'examen"
        )
    return practice


def request_information(practice: Practice, *, by, message: str) -> Practice:
    message = bounded_text(
        message,
        limit=MESSAGE_MAX_LENGTH,
        field="body",
        required="Écrivez au déclarant ce qu'il doit compléter.",
    )
    with transaction.atomic():
        practice = apply_transition(
            practice,
            PRACTICE_WORKFLOW,
            "request_information",
            by=by,
            also_update={"reviewer": practice.reviewer or by},
        )
        _post(practice, by=by, body=message, from_committee=True, notify=False)
        _email(
            practice,
            "practices/emails/information_requested.txt",
            "Le comité vous demande des compléments",
            message=message,
        )
    return practice


def _message_body(body: str) -> str:
    return bounded_text(
        body, limit=MESSAGE_MAX_LENGTH, field="body", required="Votre message est vide."
    )


def _post(practice, *, by, body, from_committee, notify=True) -> PracticeMessage:
    body = _message_body(body)
    message = PracticeMessage.objects.create(
        practice=practice, author=by, body=body, from_committee=from_committee
    )
    record_event(
        by=by,
        action="practices.practice.message",
        summary=f"Message sur « {practice} »",
        target=practice,
        data={"from_committee": from_committee},
    )
    if from_committee and notify:
        _email(
            practice,
            "practices/emails/message.txt",
            "Nouveau message du comité de sélection",
            message=message.body,
        )
    elif not from_committee and notify:
        _email_reviewer(practice, f"Nouveau message du déclarant de « {practice} »")
    return message


def post_message(practice: Practice, *, by, body: str) -> PracticeMessage:
    body = _message_body(body)
    if not can_write_in_thread(by, practice):
        raise PermissionDenied("Vous ne pouvez pas écrire sur cette fiche.")
    with transaction.atomic():
        return _post(
            practice,
            by=by,
            body=body,
            from_committee=practice.declarant_id != by.pk,
        )


def record_departement_agreement(
    practice: Practice, *, by, given_by: str, given_on: datetime.date
) -> Practice:
    """The prior agreement of a representative of the département (seed 004): who, when.
    Recorded once, while the committee examines the fiche; publishing requires it."""
    errors = {}
    try:
        given_by = bounded_text(
            given_by,
            limit=model_limit(Practice, "departement_agreement_by"),
            required="Indiquez le nom et la fonction du représentant du département.",
        )
    except ValidationError as error:
        errors["given_by"] = error.messages
    if given_on is None:
        errors["given_on"] = "Indiquez la date de l'accord."
    else:
        try:
            AGREEMENT_DAY.check(given_on)
        except ValidationError as error:
            errors["given_on"] = error.messages
    if errors:
        raise ValidationError(errors)
    if not can_decide_on_practice(by, practice):
        raise PermissionDenied("Vous ne pouvez pas décider sur cette fiche.")
    with transaction.atomic():
        locked = Practice.objects.select_for_update(of=("self",)).get(pk=practice.pk)
        if locked.state not in QUEUE_STATES:
            raise ValidationError("L'accord se recueille pendant l'examen de la fiche.")
        if locked.has_departement_agreement:
            raise ValidationError("L'accord du département est déjà enregistré.")
        locked.departement_agreement_by = given_by
        locked.departement_agreement_on = given_on
        locked.departement_agreement_recorded_by = by
        locked.save(
            update_fields=[
                "departement_agreement_by",
                "departement_agreement_on",
                "departement_agreement_recorded_by",
            ]
        )
        record_event(
            by=by,
            action="practices.practice.departement_agreement",
            summary=f"Accord du département enregistré pour « {locked} »",
            target=locked,
            data={"given_by": given_by, "given_on": given_on},
        )
    return locked


def publish_practice(practice: Practice, *, by) -> Practice:
    """Refused without the département's agreement: the transition's guard reads it on the
    locked row (it may have been recorded since the page was loaded)."""
    if not can_decide_on_practice(by, practice):
        raise PermissionDenied("Vous ne pouvez pas publier cette fiche.")
    today = timezone.localdate()
    with transaction.atomic():
        practice = apply_transition(
            practice,
            PRACTICE_WORKFLOW,
            "publish",
            by=by,
            summary=f"Pratique publiée : {practice}",
            also_update={
                "published_at": timezone.now(),
                "evidence_stage": EvidenceStage.REVIEWED,
                "reviewed_on": today,
                "review_due_on": review_due_date(today),
            },
        )
        _index(practice, published=True)
        _email(practice, "practices/emails/published.txt", "Votre pratique est publiée")
    return practice


def refuse_practice(practice: Practice, *, by, reason: str) -> Practice:
    reason = bounded_text(
        reason,
        limit=MESSAGE_MAX_LENGTH,
        field="reason",
        required="Expliquez au déclarant le motif du refus.",
    )
    with transaction.atomic():
        practice = apply_transition(
            practice,
            PRACTICE_WORKFLOW,
            "refuse",
            by=by,
            also_update={"refusal_reason": reason, "refused_at": timezone.now()},
        )
        _email(
            practice,
            "practices/emails/refused.txt",
            "Votre pratique n'a pas été retenue",
            reason=reason,
        )
    return practice


def declare_conflict(practice: Practice, *, by, note: str = "") -> ConflictOfInterest:
    """A member declares an interest: from then on they no longer decide on this fiche."""
    if not is_committee_member(by):
        raise PermissionDenied("Seuls les membres du comité déclarent un conflit d'intérêts.")
    note = bounded_text(note, limit=CONFLICT_NOTE_MAX_LENGTH, field="note")
    with transaction.atomic():
        conflict, created = ConflictOfInterest.objects.get_or_create(
            practice=practice, member=by, defaults={"note": note}
        )
        if created:
            record_event(
                by=by,
                action="practices.practice.conflict_of_interest",
                summary=f"Conflit d'intérêts déclaré sur « {practice} »",
                target=practice,
            )
    practice.__dict__.pop("_conflicted_member_ids", None)
    return conflict


def set_evidence(
    practice: Practice, *, by, stage: str, level: int | None, reviewed_on: datetime.date
) -> Practice:
    """Place a fiche on the evidence ladder; it is due for review two years later."""
    if not can_rate_evidence(by, practice):
        raise PermissionDenied("Vous ne pouvez pas évaluer cette fiche.")
    REVIEW_DAY.check(reviewed_on, field="reviewed_on")
    with transaction.atomic():
        locked = Practice.objects.select_for_update(of=("self",)).get(pk=practice.pk)
        locked.evidence_stage = stage
        locked.evidence_level = level
        locked.reviewed_on = reviewed_on
        locked.review_due_on = review_due_date(reviewed_on)
        locked.save(
            update_fields=["evidence_stage", "evidence_level", "reviewed_on", "review_due_on"]
        )
        record_event(
            by=by,
            action="practices.practice.evidence",
            summary=f"Niveau de preuve mis à jour pour « {locked} »",
            target=locked,
            data={"stage": stage, "level": level, "reviewed_on": reviewed_on},
            public=locked.state == PracticeState.PUBLISHED,
        )
        if locked.state == PracticeState.PUBLISHED:
            _index(locked, published=True)
    return locked


# Level 2: fiches dispositifs ONPE --------------------------------------------------------------


def create_onpe_fiche(*, by, fields: dict) -> Practice:
    if not can_write_onpe_fiche(by):
        raise PermissionDenied("Seuls les rédacteurs ONPE écrivent les fiches dispositifs.")
    with transaction.atomic():
        practice = Practice.objects.create(
            declarant=by,
            level=PracticeLevel.ONPE,
            evidence_stage=EvidenceStage.ONPE,
            structure_kind=StructureKind.ONPE,
            structure_name="Observatoire national de la protection de l'enfance",
            **fields,
        )
        record_event(
            by=by,
            action="practices.practice.create_onpe",
            summary=f"Fiche dispositif ONPE créée : {practice}",
            target=practice,
        )
    return practice


def publish_onpe_fiche(practice: Practice, *, by) -> Practice:
    today = timezone.localdate()
    with transaction.atomic():
        practice = apply_transition(
            practice,
            PRACTICE_WORKFLOW,
            "publish_onpe",
            by=by,
            summary=f"Fiche dispositif ONPE publiée : {practice}",
            also_update={
                "published_at": timezone.now(),
                "reviewed_on": practice.reviewed_on or today,
                "review_due_on": practice.review_due_on or review_due_date(today),
            },
        )
        _index(practice, published=True)
    return practice


def unpublish_onpe_fiche(practice: Practice, *, by) -> Practice:
    with transaction.atomic():
        practice = apply_transition(
            practice, PRACTICE_WORKFLOW, "unpublish", by=by, also_update={"published_at": None}
        )
        _index(practice, published=False)
    return practice


# Valorisation -------------------------------------------------------------------------------


def mark_practice(practice: Practice, *, by, criterion: str, comment: str = "") -> PracticeMark:
    """A committee member highlights a published fiche for one criterion, once."""
    if not can_mark_practice(by, practice):
        raise PermissionDenied("Seuls les membres du comité distinguent une fiche.")
    if practice.state != PracticeState.PUBLISHED:
        raise ValidationError("Seule une fiche publiée peut être distinguée.")
    if criterion not in MarkCriterion.values:
        raise ValidationError({"criterion": "Choisissez un critère de la liste."})
    comment = bounded_text(comment, limit=MARK_COMMENT_MAX_LENGTH, field="comment")
    try:
        with transaction.atomic():
            mark = PracticeMark.objects.create(
                practice=practice,
                member=by,
                criterion=criterion,
                comment=comment,
                year=timezone.localdate().year,
            )
            record_event(
                by=by,
                action="practices.practice.mark",
                summary=f"Fiche distinguée ({mark.get_criterion_display()}) : {practice}",
                target=practice,
                data={"criterion": criterion},
                public=True,
            )
    except IntegrityError:
        label = MarkCriterion(criterion).label.lower()
        raise ValidationError(
            {"criterion": f"Vous avez déjà distingué cette fiche pour sa {label}."}
        ) from None
    return mark


def unmark_practice(practice: Practice, *, by, criterion: str) -> None:
    with transaction.atomic():
        deleted, _ = PracticeMark.objects.filter(
            practice=practice, member=by, criterion=criterion
        ).delete()
        if deleted:
            record_event(
                by=by,
                action="practices.practice.unmark",
                summary=f"Distinction retirée : {practice}",
                target=practice,
                data={"criterion": criterion},
                public=True,
            )


# The option lists ---------------------------------------------------------------------------


def save_option(option: ReferenceOption, *, by, fields: dict) -> ReferenceOption:
    """An administrator renames, reorders or withdraws an option. Fiches point to it by id:
    they show the new label at once, and a withdrawn option stays on the fiches that use it."""
    if not can_manage_options(by):
        raise PermissionDenied("Seuls les administrateurs nationaux modifient les listes.")
    is_new = option.pk is None
    before = {} if is_new else {name: getattr(option, name) for name in fields}
    for name, value in fields.items():
        setattr(option, name, value)
    try:
        with transaction.atomic():
            option.save()
            record_event(
                by=by,
                action="practices.option.create" if is_new else "practices.option.update",
                summary=f"Liste « {option.get_list_display()} » : option « {option.label} »",
                target=option,
                data={"before": before, "after": fields},
            )
    except IntegrityError:
        raise ValidationError({"label": "Cette liste a déjà une option de ce libellé."}) from None
    bump(CACHE_NAME)
    if not is_new and before.get("label") != option.label:
        option_id = option.pk
        transaction.on_commit(lambda: reindex_fiches_of_option.enqueue(option_id=option_id))
    return option
