"""Every write on texts and law proposals: one function per thing a person does (the object
first, keyword-only ``by=``). By sub-domain: a text and its first version (``texts``), its next
versions and the proposed wordings they take or decline (``versions``), what people write on an
article (``taking_part``), and the path of a law proposal (``laws``)."""

from .laws import (
    close_consultation,
    end_due_consultations,
    open_consultation,
    record_follow_up,
    record_transmission,
)
from .taking_part import (
    comment_article,
    propose_wording,
    publish_comment,
    remove_comment,
    report_comment,
)
from .texts import STALE_VERSION, ArticleDraft, consolidate_law_proposal, create_text
from .versions import decline_proposal, integrate_proposal, publish_version

__all__ = [
    "STALE_VERSION",
    "ArticleDraft",
    "close_consultation",
    "comment_article",
    "consolidate_law_proposal",
    "create_text",
    "decline_proposal",
    "end_due_consultations",
    "integrate_proposal",
    "open_consultation",
    "propose_wording",
    "publish_comment",
    "publish_version",
    "record_follow_up",
    "record_transmission",
    "remove_comment",
    "report_comment",
]
