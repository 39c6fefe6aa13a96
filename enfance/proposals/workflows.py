"""The paths of a proposal and of an amendment, with the rules of the object that a transition
needs (guards), and what a person may do with a proposal, an amendment or a comment: what their
pages offer (``abilities``), from the same predicates as the services."""

from enfance.core.workflow import Transition, Workflow, abilities_for
from enfance.discussions.workflows import comment_abilities as discussion_abilities

from .enums import ADOPTED_STATES, AmendmentState, ProposalState
from .models import Amendment, Comment, Proposal
from .perms import (
    can_comment,
    can_edit_proposal,
    can_manage_amendment,
    can_manage_deliberation,
    can_moderate,
    can_moderate_proposal,
    can_propose_amendment,
    can_publish_directly,
    can_submit_for_moderation,
    can_support,
    can_take_up,
)

S = ProposalState


def decision_vote_opened(proposal) -> str | None:
    if proposal.decision_ballot_id is None:
        return "Le vote final n'a pas été ouvert."
    return None


def decision_vote_refusal(proposal) -> str | None:
    """Why the final vote cannot open now (the state aside): it is open already, or amendments
    still wait for their vote."""
    if proposal.decision_ballot_id is not None:
        return "Le vote final est déjà ouvert."
    # all(): the amendments the page read already, when it did.
    waiting = [
        a.number
        for a in proposal.amendments.all()
        if a.state in (AmendmentState.PROPOSED, AmendmentState.VOTING)
    ]
    if waiting:
        numbers = ", ".join(str(n) for n in sorted(waiting))
        return (
            f"Des amendements attendent encore leur vote (n° {numbers}) : "
            "concluez-les avant le vote final."
        )
    return None


PROPOSAL_WORKFLOW = Workflow(
    state_field="state",
    transitions=[
        Transition("publish", {S.DRAFT}, S.PUBLISHED, "publier", can_publish_directly, public=True),
        # A minor's proposal waits for a moderator before anyone else reads it.
        Transition(
            "submit",
            {S.DRAFT},
            S.PENDING_MODERATION,
            "envoyer à la modération",
            can_submit_for_moderation,
        ),
        Transition(
            "approve",
            {S.PENDING_MODERATION},
            S.PUBLISHED,
            "valider et publier",
            can_moderate_proposal,
            public=True,
        ),
        Transition(
            "send_back",
            {S.PENDING_MODERATION},
            S.DRAFT,
            "renvoyer au brouillon",
            can_moderate_proposal,
        ),
        Transition(
            "take_up",
            {S.PUBLISHED},
            S.UNDER_DELIBERATION,
            "mettre en délibération",
            can_take_up,
            public=True,
        ),
        Transition(
            "adopt",
            {S.UNDER_DELIBERATION},
            S.ADOPTED,
            "adopter",
            can_manage_deliberation,
            public=True,
            guard=decision_vote_opened,
        ),
        Transition(
            "reject",
            {S.UNDER_DELIBERATION},
            S.REJECTED,
            "rejeter",
            can_manage_deliberation,
            public=True,
            guard=decision_vote_opened,
        ),
        Transition(
            "transmit",
            {S.ADOPTED},
            S.TRANSMITTED,
            "transmettre au national",
            can_manage_deliberation,
            public=True,
        ),
    ],
)

A = AmendmentState


def proposal_under_deliberation(amendment) -> str | None:
    if amendment.proposal.state != S.UNDER_DELIBERATION:
        return "La proposition n'est plus en délibération."
    return None


def amendment_put_to_the_vote(amendment) -> str | None:
    if amendment.ballot_id is None:
        return "Cet amendement n'a pas été mis au vote."
    return None


AMENDMENT_WORKFLOW = Workflow(
    state_field="state",
    transitions=[
        Transition(
            "open_vote",
            {A.PROPOSED},
            A.VOTING,
            "mettre au vote",
            can_manage_amendment,
            public=True,
            guard=proposal_under_deliberation,
        ),
        Transition(
            "accept",
            {A.VOTING},
            A.ACCEPTED,
            "accepter",
            can_manage_amendment,
            public=True,
            guard=amendment_put_to_the_vote,
        ),
        Transition(
            "reject",
            {A.VOTING},
            A.REJECTED,
            "rejeter",
            can_manage_amendment,
            public=True,
            guard=amendment_put_to_the_vote,
        ),
    ],
)


def can_open_decision_vote(user, proposal) -> bool:
    return (
        proposal.state == S.UNDER_DELIBERATION
        and can_manage_deliberation(user, proposal)
        and decision_vote_refusal(proposal) is None
    )


@abilities_for(Proposal)
def proposal_abilities(user, proposal) -> dict[str, bool]:
    workflow = PROPOSAL_WORKFLOW.abilities(proposal, user)
    return {
        **workflow,
        # The « Publier » button: published at once, or sent to the moderation for a minor
        # (services.publish_proposal chooses).
        "publish": workflow["publish"] or workflow["submit"],
        "edit": can_edit_proposal(user, proposal),
        "support": can_support(user, proposal),
        "comment": can_comment(user, proposal),
        "moderate_comments": can_moderate(user),
        # Amendments are put forward until the final vote opens.
        "amend": proposal.decision_ballot_id is None and can_propose_amendment(user, proposal),
        "open_decision": can_open_decision_vote(user, proposal),
        "conclude_decision": workflow["adopt"],
        # Consolidated into a proposition de loi by the texts app, whose permission this is:
        # asked by name, so that this app does not import the one above it.
        "consolidate": proposal.state in ADOPTED_STATES
        and user.has_perm("texts.manage_law_proposals", proposal),
        "flag_danger": user.is_authenticated and proposal.is_public,
    }


@abilities_for(Amendment)
def amendment_abilities(user, amendment) -> dict[str, bool]:
    workflow = AMENDMENT_WORKFLOW.abilities(amendment, user)
    # The vote decides between accepted and rejected: one button closes it.
    return {**workflow, "conclude_vote": workflow["accept"]}


@abilities_for(Comment)
def comment_abilities(user, comment) -> dict[str, bool]:
    """A comment of the shared module, and one level of replies: to a published top-level
    comment, by whoever may comment on the proposal."""
    return {
        **discussion_abilities(user, comment),
        "reply": comment.parent_id is None
        and comment.is_published
        and comment.danger_hidden_at is None
        and can_comment(user, comment.proposal),
    }
