"""The transition tables of instances, applications, minutes and instance proposals
(enfance.core.workflow), the rules of the objects that their services check, and what a person
may do with each (``abilities``), which is what the pages offer.

Instance: *en création* ⇄ *constituée* follow the composition: they are applied by
``services.refresh_constitution`` after every change of membership, never by a person (their
guard is the composition itself). *active*, *suspendue* and *dissoute* are decisions:
activated by the administrateur or the instance's secretary once constituted, suspended, resumed
and dissolved by the administrateur national. An active instance that loses a member stays active
(it works while it recruits); its page says what is missing.
"""

import rules

from enfance.core.workflow import Transition, Workflow, abilities_for

from .composition import composition
from .enums import ApplicationStatus as A
from .enums import InstanceProposalStatus as P
from .enums import InstanceStatus as S
from .enums import MinutesStatus as M
from .models import Application, Instance, InstanceProposal, Membership, Minutes
from .perms import (
    can_apply_to_instance,
    can_create_instance,
    can_govern_instance,
    can_manage_instance,
)

# Rules of the objects (None: the rule holds; otherwise the French reason it does not) ---------


def incomplete_composition(instance) -> str | None:
    report = composition(instance)
    return None if report.is_constituted else report.summary


def complete_composition(instance) -> str | None:
    if composition(instance).is_constituted:
        return "La composition de l'instance est complète : elle reste constituée."
    return None


@rules.predicate
def is_constituted(user, instance) -> bool:
    return incomplete_composition(instance) is None


def refusal_to_seat(instance) -> str | None:
    if instance.status == S.DISSOUTE:
        return "Cette instance est dissoute : elle n'accueille plus de membres."
    return None


def refusal_to_apply(user, instance) -> str | None:
    """Why this person may not apply to this instance (besides its status, a permission)."""
    if Membership.objects.seated().filter(instance=instance, user=user).exists():
        return "Vous siégez déjà dans cette instance."
    if Application.objects.open().filter(instance=instance, applicant=user).exists():
        return "Vous avez déjà une candidature en cours dans cette instance."
    return None


def no_free_seat(application) -> str | None:
    """The application's college has no seat left (or the instance no longer seats anyone)."""
    if reason := refusal_to_seat(application.instance):
        return reason
    college = application.college
    seated = Membership.objects.seated().filter(
        instance_id=application.instance_id, seat__college=college
    )
    if seated.count() >= college.max_members:
        return (
            f"Le collège {college.of_label} compte déjà {college.max_members} membres, "
            "son maximum : il n'y a plus de siège libre."
        )
    return None


def no_cooptation_ballot(application) -> str | None:
    if application.cooptation_ballot_id is None:
        return "Aucun vote de cooptation n'est ouvert pour cette candidature."
    return None


def refusal_to_open_cooptation(application) -> str | None:
    if application.status != A.RETENUE:
        return "Seule une candidature retenue peut être proposée à la cooptation."
    if application.cooptation_ballot_id is not None:
        return "Un vote de cooptation existe déjà pour cette candidature."
    return None


def refusal_to_edit_minutes(minutes) -> str | None:
    if minutes.status == M.PUBLIE:
        return "Ce compte rendu est publié : il ne se modifie plus."
    return None


# Instances ------------------------------------------------------------------------------------


def on_behalf_of_anyone(user, instance) -> bool:
    """The automatic transitions are applied on behalf of whoever changed the composition (or of
    no one, for the daily job): their rule is the composition, not the person."""
    return True


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
            on_behalf_of_anyone,
            public=True,
            guard=incomplete_composition,
        ),
        Transition(
            "reprendre_la_constitution",
            {S.CONSTITUEE},
            S.EN_CREATION,
            "revenir en création",
            on_behalf_of_anyone,
            public=True,
            guard=complete_composition,
        ),
        # The composition is part of the permission here, not a guard: activating an instance
        # that lost members is refused as not permitted (its page says what is missing).
        Transition(
            "activer",
            {S.CONSTITUEE},
            S.ACTIVE,
            "déclarer l'instance active",
            can_manage_instance & is_constituted,
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

# The decisions a person takes on the status, in the order of the management page's buttons.
STATUS_DECISIONS = tuple(t for t in INSTANCE_WORKFLOW.transitions if t.name not in AUTOMATIC)


@abilities_for(Instance)
def instance_abilities(user, instance) -> dict[str, bool]:
    abilities = dict.fromkeys(AUTOMATIC, False)
    for transition in STATUS_DECISIONS:
        abilities[transition.name] = INSTANCE_WORKFLOW.allows(instance, user, transition.name)
    manage = bool(can_manage_instance(user, instance))
    abilities["manage"] = manage
    abilities["add_member"] = manage and refusal_to_seat(instance) is None
    abilities["apply"] = bool(can_apply_to_instance(user, instance)) and (
        refusal_to_apply(user, instance) is None
    )
    return abilities


# Applications ---------------------------------------------------------------------------------


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
        # Applied when the members' co-optation vote closes (services.conclude_cooptation).
        Transition(
            "coopter",
            {A.RETENUE},
            A.COOPTEE,
            "déclarer cooptée",
            can_manage_application,
            guard=no_cooptation_ballot,
        ),
        Transition(
            "installer",
            {A.TIREE_AU_SORT, A.ELUE, A.COOPTEE},
            A.MEMBRE,
            "installer comme membre",
            can_manage_application,
            guard=no_free_seat,
        ),
    ],
)


@abilities_for(Application)
def application_abilities(user, application) -> dict[str, bool]:
    abilities = APPLICATION_WORKFLOW.abilities(application, user)
    manage = bool(can_manage_application(user, application))
    abilities["open_cooptation"] = manage and refusal_to_open_cooptation(application) is None
    # Concluding the vote applies « coopter » or « écarter », as the members decided.
    abilities["conclude_cooptation"] = abilities["coopter"]
    abilities["record_consent"] = manage and application.college.is_age_limited
    return abilities


# Minutes --------------------------------------------------------------------------------------


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


@abilities_for(Minutes)
def minutes_abilities(user, minutes) -> dict[str, bool]:
    """Of saved minutes, or of the draft not written yet (``Minutes(meeting=…)``)."""
    abilities = MINUTES_WORKFLOW.abilities(minutes, user)
    abilities["edit"] = bool(can_manage_minutes(user, minutes)) and (
        refusal_to_edit_minutes(minutes) is None
    )
    return abilities


# Instance proposals ---------------------------------------------------------------------------


@rules.predicate
def can_decide_instance_proposal(user, proposal) -> bool:
    """The administrator whose territory covers the proposed instance's département."""
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


@abilities_for(InstanceProposal)
def instance_proposal_abilities(user, proposal) -> dict[str, bool]:
    return INSTANCE_PROPOSAL_WORKFLOW.abilities(proposal, user)
