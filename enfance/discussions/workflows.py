"""The moderation of a comment as a workflow: held comments are published, published or held
ones removed with a public reason. A comment flagged « danger pour un enfant » is the référents'
(safeguarding), not the moderators'."""

from enfance.core.workflow import Transition, Workflow, abilities_for

from .enums import CommentState
from .models import AbstractComment
from .perms import can_flag_comment, can_moderate_comment, can_report_comment

S = CommentState


def not_flagged(comment) -> str | None:
    if comment.danger_hidden_at is not None:
        return (
            "Ce commentaire a été signalé comme un danger pour un enfant : un référent "
            "protection de l'enfance s'en occupe."
        )
    return None


COMMENT_WORKFLOW = Workflow(
    state_field="state",
    transitions=[
        Transition(
            "publish",
            {S.PENDING_MODERATION},
            S.PUBLISHED,
            "publier",
            can_moderate_comment,
            guard=not_flagged,
        ),
        Transition(
            "remove",
            {S.PENDING_MODERATION, S.PUBLISHED},
            S.REMOVED,
            "retirer",
            can_moderate_comment,
            public=True,
            guard=not_flagged,
        ),
    ],
)


@abilities_for(AbstractComment)
def comment_abilities(user, comment) -> dict[str, bool]:
    """What a person may do with a comment of any module. ``reply`` is False here: a module
    with replies registers its own function for its model and says when."""
    return {
        **COMMENT_WORKFLOW.abilities(comment, user),
        "report": can_report_comment(user, comment),
        "flag_danger": can_flag_comment(user, comment),
        "reply": False,
    }
