"""Every write on proposals: one function per thing a person does (the object first, keyword-only
``by=``), atomic, checking permission, writing the event log, telling followers through the
daily digest. By sub-domain: writing and moderating a proposal, supports and follows, comments,
deliberation by an instance."""

from .comments import add_comment, publish_comment, remove_comment, report_abuse
from .deliberation import (
    conclude_amendment_vote,
    conclude_decision,
    open_amendment_vote,
    open_decision_vote,
    propose_amendment,
    take_up,
    transmit,
)
from .following import set_following, support, withdraw_support
from .writing import (
    MODERATION_REASON_MAX_LENGTH,
    create_proposal,
    moderate_proposal,
    publish_proposal,
    reindex,
    update_proposal,
)

__all__ = [
    "MODERATION_REASON_MAX_LENGTH",
    "add_comment",
    "conclude_amendment_vote",
    "conclude_decision",
    "create_proposal",
    "moderate_proposal",
    "open_amendment_vote",
    "open_decision_vote",
    "propose_amendment",
    "publish_comment",
    "publish_proposal",
    "reindex",
    "remove_comment",
    "report_abuse",
    "set_following",
    "support",
    "take_up",
    "transmit",
    "update_proposal",
    "withdraw_support",
]
