from enfance.core.workflow import Transition, Workflow

from .enums import AmendmentState, ProposalState
from .perms import (
    can_manage_amendment,
    can_manage_deliberation,
    can_moderate_proposal,
    can_publish_directly,
    can_submit_for_moderation,
    can_take_up,
)

S = ProposalState

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
        ),
        Transition(
            "reject",
            {S.UNDER_DELIBERATION},
            S.REJECTED,
            "rejeter",
            can_manage_deliberation,
            public=True,
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

AMENDMENT_WORKFLOW = Workflow(
    state_field="state",
    transitions=[
        Transition(
            "open_vote", {A.PROPOSED}, A.VOTING, "mettre au vote", can_manage_amendment, public=True
        ),
        Transition("accept", {A.VOTING}, A.ACCEPTED, "accepter", can_manage_amendment, public=True),
        Transition("reject", {A.VOTING}, A.REJECTED, "rejeter", can_manage_amendment, public=True),
    ],
)
