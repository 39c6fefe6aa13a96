"""Who may do what with a comment, whatever the module: pure predicates, composed with
``rules``. Who moderates is the comment's own answer (``can_be_moderated_by``)."""

import rules

from enfance.safeguarding.perms import can_flag_danger

from .enums import CommentState


@rules.predicate
def can_moderate_comment(user, comment) -> bool:
    return comment is not None and comment.can_be_moderated_by(user)


@rules.predicate
def can_report_comment(user, comment) -> bool:
    """A comment published in the thread may be reported, once per person (services.report)."""
    return (
        user.is_authenticated
        and comment is not None
        and comment.state == CommentState.PUBLISHED
        and comment.danger_hidden_at is None
    )


@rules.predicate
def can_flag_comment(user, comment) -> bool:
    return (
        comment is not None and comment.danger_hidden_at is None and can_flag_danger(user, comment)
    )
