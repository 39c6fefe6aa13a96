"""The paths of a text, of a law proposal and of a proposed wording, and what a person may do
with each: what their pages offer (``abilities``), from the same predicates and guards as the
services."""

from datetime import datetime

from django.utils import timezone

from enfance.core.workflow import Transition, Workflow, abilities_for

from .enums import ArticleProposalState, TextState
from .models import ArticleProposal, Text
from .perms import (
    can_decide_wording,
    can_edit_text,
    can_manage_law_proposals,
    can_moderate,
    can_take_part,
    is_the_platform,
)


def consultation_not_over(text, *, at: datetime) -> str | None:
    """A consultation ends by itself only once its closing day is past."""
    closes_on = text.consultation_closes_on
    if closes_on is None or closes_on >= timezone.localdate(at):
        return "La date de clôture de cette consultation n'est pas passée."
    return None


# The platform closes a consultation whose closing day is past (close_due_consultations).
END_CONSULTATION = Transition(
    "end_consultation",
    {TextState.CONSULTATION},
    TextState.DRAFTING,
    "clore la consultation à sa date",
    is_the_platform,
    public=True,
    guard=consultation_not_over,
)

# The participatory texts (the charter): drafted by their editors, then opened for comments.
TEXT_WORKFLOW = Workflow(
    state_field="state",
    transitions=[
        Transition(
            "open_consultation",
            {TextState.DRAFTING},
            TextState.CONSULTATION,
            "ouvrir la consultation",
            can_edit_text,
            public=True,
        ),
        Transition(
            "close_consultation",
            {TextState.CONSULTATION},
            TextState.DRAFTING,
            "clore la consultation",
            can_edit_text,
            public=True,
        ),
        END_CONSULTATION,
    ],
)

# Law proposals: en rédaction → en consultation → transmise → suites données.
LAW_WORKFLOW = Workflow(
    state_field="state",
    transitions=[
        Transition(
            "open_consultation",
            {TextState.DRAFTING},
            TextState.CONSULTATION,
            "ouvrir la consultation",
            can_manage_law_proposals,
            public=True,
        ),
        Transition(
            "close_consultation",
            {TextState.CONSULTATION},
            TextState.DRAFTING,
            "clore la consultation",
            can_manage_law_proposals,
            public=True,
        ),
        END_CONSULTATION,
        Transition(
            "transmit",
            {TextState.DRAFTING, TextState.CONSULTATION},
            TextState.TRANSMITTED,
            "transmettre",
            can_manage_law_proposals,
            public=True,
        ),
        Transition(
            "record_follow_up",
            {TextState.TRANSMITTED},
            TextState.FOLLOWED_UP,
            "enregistrer les suites données",
            can_manage_law_proposals,
            public=True,
        ),
    ],
)


def workflow_of(text: Text) -> Workflow:
    return LAW_WORKFLOW if text.is_law_proposal else TEXT_WORKFLOW


def wording_refusal(proposal) -> str | None:
    """Why no decision may be taken on a proposed wording now, its state aside."""
    if not proposal.text.is_editable:
        return "Ce texte a été transmis : les propositions de rédaction ne se traitent plus."
    if proposal.is_hidden_for_safeguarding:
        return "Cette proposition n'est plus affichée : elle ne peut plus être traitée."
    return None


P = ArticleProposalState

# A proposed wording: integrated into a version, or not retained with a reason.
ARTICLE_PROPOSAL_WORKFLOW = Workflow(
    state_field="state",
    transitions=[
        Transition(
            "integrate",
            {P.PENDING},
            P.INTEGRATED,
            "intégrer",
            can_decide_wording,
            public=True,
            guard=wording_refusal,
        ),
        Transition(
            "decline",
            {P.PENDING},
            P.NOT_RETAINED,
            "ne pas retenir",
            can_decide_wording,
            public=True,
            guard=wording_refusal,
        ),
    ],
)


@abilities_for(Text)
def text_abilities(user, text) -> dict[str, bool]:
    workflow = workflow_of(text).abilities(text, user)
    manages_law = text.is_law_proposal and can_manage_law_proposals(user)
    return {
        "open_consultation": workflow["open_consultation"],
        "close_consultation": workflow["close_consultation"],
        "edit": text.is_editable and can_edit_text(user, text),
        "take_part": can_take_part(user, text),
        "moderate_comments": can_moderate(user),
        # The first sending moves a law proposal to « transmise » (LAW_WORKFLOW); the next ones,
        # in any state after it, are further sendings.
        "record_transmission": manages_law,
        # The first follow-up moves it to « suites données »; the next ones add to them.
        "record_follow_up": manages_law
        and text.state in (TextState.TRANSMITTED, TextState.FOLLOWED_UP),
    }


@abilities_for(ArticleProposal)
def wording_abilities(user, proposal) -> dict[str, bool]:
    workflow = ARTICLE_PROPOSAL_WORKFLOW.abilities(proposal, user)
    return {
        **workflow,
        # In one click, into a new version: the article must still be in the text.
        "integrate": workflow["integrate"]
        and proposal.article.key in proposal.text.current_article_keys(),
        "flag_danger": user.is_authenticated and not proposal.is_hidden_for_safeguarding,
    }
