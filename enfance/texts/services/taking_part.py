"""What people write on an article of the current version while the consultation is open:
comments (through the shared module, ``enfance.discussions``) and proposed wordings."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from enfance.core.eventlog import record_event
from enfance.core.text import bounded_texts, normalize_text
from enfance.discussions import services as discussions
from enfance.discussions.services import AlreadyReported

from ..enums import ARTICLE_BODY_MAX_LENGTH, PROPOSAL_REASON_MAX_LENGTH
from ..models import Article, ArticleComment, ArticleProposal
from ..perms import can_take_part


def _current_article(article: Article, by) -> Article:
    text = article.version.text
    if not can_take_part(by, text):
        raise PermissionDenied("La consultation sur ce texte n'est pas ouverte.")
    if text.current_version_id != article.version_id:
        raise ValidationError(
            "Cet article appartient à une version ancienne : réagissez sur la version en vigueur."
        )
    return article


def comment_article(article: Article, *, by, body: str) -> ArticleComment:
    """A comment on an article (a minor's waits for the moderation)."""
    _current_article(article, by)
    return discussions.post(article.comments, by=by, body=body)


def propose_wording(article: Article, *, by, body: str, reason: str) -> ArticleProposal:
    _current_article(article, by)
    errors, texts = {}, {}
    try:
        texts = bounded_texts(
            {"body": body, "reason": reason},
            {
                "body": (
                    ARTICLE_BODY_MAX_LENGTH,
                    "La rédaction proposée",
                    "Écrivez la rédaction que vous proposez.",
                ),
                "reason": (
                    PROPOSAL_REASON_MAX_LENGTH,
                    "L'explication",
                    "Expliquez pourquoi vous proposez ce changement.",
                ),
            },
        )
    except ValidationError as error:
        errors = error.message_dict
    if "body" not in errors and normalize_text(body) == normalize_text(article.body):
        errors["body"] = ["Cette rédaction est celle de l'article : modifiez-la."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        proposal = ArticleProposal.objects.create(
            text=article.version.text, article=article, author=by, **texts
        )
        record_event(
            by=by,
            action="texts.article_proposal.create",
            summary=f"Proposition de rédaction de l'{article.label.lower()} de "
            f"« {article.version.text} »",
            target=proposal,
        )
    return proposal


def report_comment(comment: ArticleComment, *, by, reason: str) -> bool:
    """Report abuse once per person; returns False when this person had already reported it.

    Only a comment still shown is reported: one withdrawn by the moderation has nothing left to
    report (refused with a message), and one flagged « danger pour un enfant » does not exist
    for the public (404)."""
    try:
        discussions.report(comment, by=by, reason=reason, reportable=ArticleComment.objects.shown())
    except AlreadyReported:
        return False
    return True


def remove_comment(comment: ArticleComment, *, by, reason: str) -> ArticleComment:
    return discussions.remove(comment, by=by, reason=reason)


def publish_comment(comment: ArticleComment, *, by) -> ArticleComment:
    return discussions.publish(comment, by=by)
