"""Writing, reporting and moderating comments, for every module: each function checks, writes
and logs in one transaction; the module's own service calls it after checking who may write
where, and keeps its own counters."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from enfance.accounts.naming import is_minor
from enfance.core.access import get_visible_or_404
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text, model_limit
from enfance.core.workflow import apply_transition

from .enums import CommentState
from .models import ABUSE_REASON_MAX_LENGTH, MODERATION_REASON_MAX_LENGTH, AbstractComment
from .perms import can_moderate_comment
from .workflows import COMMENT_WORKFLOW

EMPTY_COMMENT = "Votre commentaire est vide : écrivez quelques mots."
ALREADY_REMOVED = "Ce commentaire a déjà été retiré par la modération : merci de votre vigilance."


class AlreadyReported(ValidationError):
    """This person had already reported this comment: the first report stands."""


def _action(comment: AbstractComment, verb: str) -> str:
    # The names the workflow engine gives its transitions: "proposals.comment.remove".
    return f"{comment._meta.label_lower}.{verb}"


def post(thread, *, by, body: str, moderated: bool = False, **fields) -> AbstractComment:
    """A comment in ``thread``, the related manager of what it is written on
    (``proposal.comments``, ``article.comments``), with the module's other ``fields`` (a parent).
    Published at once, or held for a moderator when ``moderated`` or when the author is a minor
    (PRODUCT.md: spaces where minors write are moderated before publication)."""
    body = bounded_text(
        body, limit=model_limit(thread.model, "body"), field="body", required=EMPTY_COMMENT
    )
    held = moderated or is_minor(by)
    with transaction.atomic():
        comment = thread.create(
            author=by,
            body=body,
            state=CommentState.PENDING_MODERATION if held else CommentState.PUBLISHED,
            **fields,
        )
        record_event(
            by=by,
            action=_action(comment, "post"),
            summary=f"{comment} écrit" + (", en attente de modération" if held else ""),
            target=comment,
        )
    return comment


def report(comment: AbstractComment, *, by, reason: str, reportable: QuerySet):
    """A report of abuse, once per person (a unique index: ``AlreadyReported`` the second time).

    ``reportable`` is what this person may report, as the module's pages show it to them: a
    comment outside it is answered 404, as the pages answer; one inside it but removed since the
    page was read is refused with a message."""
    if not by.is_authenticated:
        raise PermissionDenied
    reason = bounded_text(
        reason,
        limit=ABUSE_REASON_MAX_LENGTH,
        field="reason",
        label="Le motif",
        required="Dites en quelques mots ce qui pose problème.",
    )
    try:
        with transaction.atomic():
            # The state is read by the statement that counts the report: a removal or a flag
            # committed meanwhile is seen without a lock.
            counted = (
                type(comment)
                .objects.published()
                .filter(pk=comment.pk, pk__in=reportable.values("pk"))
                .update(report_count=F("report_count") + 1)
            )
            if not counted:
                get_visible_or_404(reportable, pk=comment.pk)
                raise ValidationError(ALREADY_REMOVED)
            created = comment.reports.create(reported_by=by, reason=reason)
            record_event(
                by=by,
                action=_action(comment, "report"),
                summary=f"Signalement d'abus sur le {str(comment).lower()}",
                target=comment,
            )
    except IntegrityError:
        raise AlreadyReported("Vous aviez déjà signalé ce commentaire.") from None
    return created


def publish(comment: AbstractComment, *, by) -> AbstractComment:
    """A held comment goes into the thread."""
    return apply_transition(
        comment,
        COMMENT_WORKFLOW,
        "publish",
        by=by,
        summary=f"{comment} publié après modération",
        also_update={"moderated_by": by, "moderated_at": timezone.now()},
    )


def remove(comment: AbstractComment, *, by, reason: str) -> AbstractComment:
    """The moderation removes a comment, held or published; the public reason takes its place."""
    if not can_moderate_comment(by, comment):
        raise PermissionDenied("Vous n'avez pas le droit de modérer.")
    reason = bounded_text(
        reason,
        limit=MODERATION_REASON_MAX_LENGTH,
        field="reason",
        label="Le motif",
        required="Donnez le motif public, qui sera affiché à la place du commentaire.",
    )
    return apply_transition(
        comment,
        COMMENT_WORKFLOW,
        "remove",
        by=by,
        summary=f"{comment} retiré par la modération",
        data={"reason": reason},
        also_update={
            "moderation_reason": reason,
            "moderated_by": by,
            "moderated_at": timezone.now(),
        },
    )
