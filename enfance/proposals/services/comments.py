"""Comments on a proposal, through the shared module (``enfance.discussions``): one level of
replies, a minor's comment held for the moderation, and the proposal's count of published
comments with the news for its followers."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from enfance.accounts.naming import public_name
from enfance.discussions import services as discussions

from ..enums import ActivityKind
from ..models import Comment, CommentReport, Proposal
from ..perms import can_comment
from .following import follow_automatically, record_activity

REPLY_TO_UNKNOWN_COMMENT = (
    "Le commentaire auquel vous répondez n'existe pas sur cette proposition. Votre texte est "
    "conservé ci-dessous : vous pouvez le publier comme nouveau commentaire."
)


def _thread_parent(proposal: Proposal, parent: Comment | int | None) -> Comment | None:
    """The top-level comment a reply goes under, given as a comment or as the id the form
    sent."""
    if parent is None:
        return None
    if isinstance(parent, int):
        parent = Comment.objects.filter(pk=parent).first()
    # A parent elsewhere gets the same answer as one that does not exist: the reply is refused,
    # never turned into a top-level comment, and nothing is told of the other one.
    if parent is None or parent.proposal_id != proposal.pk or parent.danger_hidden_at is not None:
        raise ValidationError(REPLY_TO_UNKNOWN_COMMENT, code="unknown_parent")
    if parent.parent_id is not None:
        # Answer the thread, not the reply: one level keeps conversations readable.
        parent = parent.parent
    if not parent.is_published or parent.danger_hidden_at is not None:
        # A comment awaiting moderation or removed is not in the thread: a reply to it would be
        # counted but shown nowhere.
        raise ValidationError(
            "Ce commentaire n'est pas publié : on ne peut pas y répondre. "
            "Écrivez plutôt un nouveau commentaire."
        )
    return parent


def _counted(comment: Comment) -> None:
    """A comment has just entered the thread."""
    Proposal.objects.filter(pk=comment.proposal_id).update(comment_count=F("comment_count") + 1)
    record_activity(
        comment.proposal,
        ActivityKind.COMMENT,
        f"Nouveau commentaire de {public_name(comment.author)}",
        actor=comment.author,
    )


def add_comment(
    proposal: Proposal, *, by, body: str, parent: Comment | int | None = None
) -> Comment:
    """A comment, or a reply to a top-level comment (one level only). A minor's comment waits
    for the moderation."""
    if not can_comment(by, proposal):
        raise PermissionDenied("On ne peut pas commenter cette proposition.")
    parent = _thread_parent(proposal, parent)
    with transaction.atomic():
        comment = discussions.post(proposal.comments, by=by, body=body, parent=parent)
        if comment.is_published:
            _counted(comment)
        follow_automatically(proposal, by)
    return comment


def publish_comment(comment: Comment, *, by) -> Comment:
    with transaction.atomic():
        comment = discussions.publish(comment, by=by)
        _counted(comment)
    return comment


def remove_comment(comment: Comment, *, by, reason: str) -> Comment:
    """The moderation removes a comment; the public reason takes its place."""
    with transaction.atomic():
        before = Comment.objects.select_for_update().get(pk=comment.pk)
        removed = discussions.remove(before, by=by, reason=reason)
        if before.is_published and before.danger_hidden_at is None:
            Proposal.objects.filter(pk=removed.proposal_id, comment_count__gt=0).update(
                comment_count=F("comment_count") - 1
            )
    return removed


def reportable_by(user):
    """The comments a person may report: published, on a proposal they may read."""
    return Comment.objects.published().filter(
        proposal__in=Proposal.objects.visible_to(user).values("pk")
    )


def report_abuse(comment: Comment, *, by, reason: str) -> CommentReport:
    """Only a comment published in a thread the person may read can be reported: one awaiting
    moderation, removed, flagged or on a proposal they cannot see answers 404."""
    return discussions.report(comment, by=by, reason=reason, reportable=reportable_by(by))
