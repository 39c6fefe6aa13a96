"""The transition tables of instances, applications and minutes (enfance.core.workflow).

Instance: *en création* ⇄ *constituée* follow the composition: they are applied by
``services.refresh_constitution`` after every change of membership, never by a person (their
predicate is the composition itself). *active*, *suspendue* and *dissoute* are decisions:
activated by the administrateur or the instance's secretary once constituted, suspended, resumed
and dissolved by the administrateur national. An active instance that loses a member stays active
(it works while it recruits); its page says what is missing.
"""

import rules

from enfance.core.workflow import Transition, Workflow

from .enums import ApplicationStatus as A
from .enums import InstanceProposalStatus as P
from .enums import InstanceStatus as S
from .enums import MinutesStatus as M
from .perms import can_create_instance, can_govern_instance, can_manage_instance


@rules.predicate
def composition_is_complete(user, instance) -> bool:
    from .composition import composition

    return composition(instance).is_constituted


@rules.predicate
def composition_is_incomplete(user, instance) -> bool:
    return not composition_is_complete(user, instance)


# Transitions applied by the platform itself, not offered as buttons.
AUTOMATIC = frozenset({"constituer", "reprendre_la_constitution"})

INSTANCE_WORKFLOW = Workflow(
    state_field="status",
    transitions=[
        Transition(
            "constituer",
            {S.EN_CREATION},
            S.CONSTITUEE,
            "constater la constitution",
            composition_is_complete,
            public=True,
        ),
        Transition(
            "reprendre_la_constitution",
            {S.CONSTITUEE},
            S.EN_CREATION,
            "revenir en création",
            composition_is_incomplete,
            public=True,
        ),
        Transition(
            "activer",
            {S.CONSTITUEE},
            S.ACTIVE,
            "déclarer l'instance active",
            can_manage_instance & composition_is_complete,
            public=True,
        ),
        Transition(
            "suspendre",
            {S.CONSTITUEE, S.ACTIVE},
            S.SUSPENDUE,
            "suspendre l'instance",
            can_govern_instance,
            public=True,
        ),
        Transition(
            "reprendre",
            {S.SUSPENDUE},
            S.ACTIVE,
            "reprendre l'activité de l'instance",
            can_govern_instance,
            public=True,
        ),
        Transition(
            "dissoudre",
            {S.EN_CREATION, S.CONSTITUEE, S.ACTIVE, S.SUSPENDUE},
            S.DISSOUTE,
            "dissoudre l'instance",
            can_govern_instance,
            public=True,
        ),
    ],
)


@rules.predicate
def can_manage_application(user, application) -> bool:
    return can_manage_instance(user, application.instance)


APPLICATION_WORKFLOW = Workflow(
    state_field="status",
    transitions=[
        Transition(
            "retenir", {A.DEPOSEE}, A.RETENUE, "retenir la candidature", can_manage_application
        ),
        Transition(
            "ecarter",
            {A.DEPOSEE, A.RETENUE},
            A.NON_RETENUE,
            "écarter la candidature",
            can_manage_application,
        ),
        Transition(
            "tirer_au_sort",
            {A.RETENUE},
            A.TIREE_AU_SORT,
            "déclarer tirée au sort",
            can_manage_application,
        ),
        Transition("elire", {A.RETENUE}, A.ELUE, "déclarer élue", can_manage_application),
        Transition("coopter", {A.RETENUE}, A.COOPTEE, "déclarer cooptée", can_manage_application),
        Transition(
            "installer",
            {A.TIREE_AU_SORT, A.ELUE, A.COOPTEE},
            A.MEMBRE,
            "installer comme membre",
            can_manage_application,
        ),
    ],
)


@rules.predicate
def can_manage_minutes(user, minutes) -> bool:
    return can_manage_instance(user, minutes.meeting.instance)


MINUTES_WORKFLOW = Workflow(
    state_field="status",
    transitions=[
        Transition(
            "publier",
            {M.BROUILLON},
            M.PUBLIE,
            "publier le compte rendu",
            can_manage_minutes,
            public=True,
        ),
    ],
)


@rules.predicate
def can_decide_instance_proposal(user, proposal) -> bool:
    """The administrator whose territory covers the proposed instance's département."""
    from .models import Instance

    return can_create_instance(user, Instance(departement=proposal.departement))


INSTANCE_PROPOSAL_WORKFLOW = Workflow(
    state_field="status",
    transitions=[
        Transition(
            "accepter",
            {P.PROPOSEE},
            P.ACCEPTEE,
            "accepter la proposition d'instance",
            can_decide_instance_proposal,
            public=True,
        ),
        Transition(
            "refuser",
            {P.PROPOSEE},
            P.REFUSEE,
            "refuser la proposition d'instance",
            can_decide_instance_proposal,
            public=True,
        ),
    ],
)
