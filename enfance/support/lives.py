"""Questions for the lives (events of kind « live »): a signed-in person asks under a pseudonym,
before or during the live; a host reads each question before anyone else sees it; others support
the shown ones; the hosts mark them answered; afterwards, the replay and an anonymised summary
are published. Rules here; views in live_views.py."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from enfance.core.access import permit
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text
from enfance.events.enums import EventKind, EventStatus
from enfance.events.perms import is_host

from .enums import QuestionStatus
from .models import (
    PSEUDONYM_MAX,
    QUESTION_MAX,
    SUMMARY_MAX,
    LiveQuestion,
    LiveRecord,
    QuestionSupport,
)

REPLAY_URL = URLValidator(schemes=["https", "http"])
REPLAY_URL_MAX = LiveRecord._meta.get_field("replay_url").max_length


def is_live(event) -> bool:
    return event.kind == EventKind.LIVE


def open_for_questions(event, now=None) -> bool:
    """Questions are taken from its publication until its end."""
    return (
        is_live(event)
        and event.status == EventStatus.PUBLISHED
        and (now or timezone.now()) < event.ends_at
    )


def ask(event, *, by, pseudonym: str, text: str) -> LiveQuestion:
    permit(by.is_authenticated, "Connectez-vous pour poser une question.")
    if not open_for_questions(event):
        raise ValidationError("Ce live ne prend plus de questions.")
    pseudonym = bounded_text(
        pseudonym,
        limit=PSEUDONYM_MAX,
        field="pseudonym",
        label="Le pseudonyme",
        required="Choisissez un pseudonyme : c'est lui qui s'affiche, pas votre nom.",
    )
    text = bounded_text(
        text,
        limit=QUESTION_MAX,
        field="text",
        label="La question",
        required="Écrivez votre question.",
    )
    with transaction.atomic():
        question = LiveQuestion.objects.create(
            event=event, author=by, pseudonym=pseudonym, text=text
        )
        record_event(
            by=by,
            action="support.live_question",
            summary=f"Question posée pour le live n° {event.pk}",
            target=question,
        )
    return question


def _move(question: LiveQuestion, source: str, changes: dict, refusal: str) -> None:
    """From ``source`` only, in one conditional UPDATE: two hosts clicking at once (or one
    clicking twice) change it once, the second is told."""
    if not LiveQuestion.objects.filter(pk=question.pk, status=source).update(**changes):
        raise ValidationError(refusal)
    for name, value in changes.items():
        setattr(question, name, value)


def moderate(question: LiveQuestion, *, by, show: bool) -> LiveQuestion:
    """A host shows the question, or keeps it out (a name, a child identifiable, off topic)."""
    permit(is_host(by, question.event), "Seuls les animateurs du live relisent les questions.")
    changes = {
        "status": QuestionStatus.SHOWN if show else QuestionStatus.REJECTED,
        "moderated_by": by,
        "moderated_at": timezone.now(),
    }
    _move(question, QuestionStatus.PENDING, changes, "Cette question est déjà relue.")
    return question


def mark_answered(question: LiveQuestion, *, by) -> LiveQuestion:
    permit(is_host(by, question.event), "Seuls les animateurs du live marquent les réponses.")
    changes = {"status": QuestionStatus.ANSWERED, "answered_at": timezone.now()}
    _move(
        question,
        QuestionStatus.SHOWN,
        changes,
        "Seule une question affichée peut être marquée répondue.",
    )
    return question


def support(question: LiveQuestion, *, by) -> None:
    """Once per person (the database refuses a second), on a shown question."""
    permit(by.is_authenticated, "Connectez-vous pour soutenir une question.")
    if question.status != QuestionStatus.SHOWN:
        raise ValidationError("Seule une question affichée et pas encore répondue se soutient.")
    if question.author_id == by.pk:
        raise ValidationError("Vous ne pouvez pas soutenir votre propre question.")
    try:
        with transaction.atomic():
            QuestionSupport.objects.create(question=question, user=by)
            LiveQuestion.objects.filter(pk=question.pk).update(supports=F("supports") + 1)
    except IntegrityError:
        raise ValidationError("Vous soutenez déjà cette question.") from None


def publish_record(event, *, by, replay_url: str, summary: str) -> LiveRecord:
    """After the live, a host publishes its replay link and a written summary, without any
    name."""
    permit(is_host(by, event), "Seuls les animateurs du live en publient la synthèse.")
    if not is_live(event) or timezone.now() < event.ends_at:
        raise ValidationError("La synthèse se publie une fois le live terminé.")
    # The link is shown to everyone: an address on the web only, as the form says.
    replay_url = (replay_url or "").strip()
    if replay_url:
        try:
            REPLAY_URL(replay_url)
            if len(replay_url) > REPLAY_URL_MAX:
                raise ValidationError("trop longue")
        except ValidationError:
            raise ValidationError(
                {
                    "replay_url": "Saisissez l'adresse du replay, qui commence par https:// "
                    f"(au plus {REPLAY_URL_MAX} caractères)."
                }
            ) from None
    summary = bounded_text(
        summary,
        limit=SUMMARY_MAX,
        field="summary",
        label="La synthèse",
        required="Écrivez la synthèse des réponses, sans aucun nom.",
    )
    with transaction.atomic():
        record, _ = LiveRecord.objects.update_or_create(
            event=event,
            defaults={"replay_url": replay_url, "summary": summary, "published_by": by},
        )
        record_event(
            by=by,
            action="support.live_record",
            summary=f"Replay et synthèse du live n° {event.pk} publiés",
            target=event,
            public=True,
        )
    return record
