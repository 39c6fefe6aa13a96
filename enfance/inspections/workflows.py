from django.utils import timezone

from enfance.core.workflow import Transition, Workflow, abilities_for

from . import perms
from .enums import ActionKind, ActionStatus, InspectionStatus
from .grading import IncompleteScores
from .models import Inspection, RequiredAction
from .reports import grade_of, imperatives_without_action, names_in_report, unanswered


def visit_day_reached(inspection, *, at) -> str | None:
    if timezone.localdate(at) < inspection.visit_on:
        return "La visite commence le jour prévu, pas avant."
    return None


def findings_complete(inspection) -> str | None:
    """Every criterion answered (scored, or « non concerné ») and the scores gradable."""
    missing = unanswered(inspection)
    if missing:
        return (
            f"Notez chaque critère, ou marquez-le « non concerné » : {missing} "
            f"{'restent' if missing > 1 else 'reste'} à remplir."
        )
    try:
        grade_of(inspection)
    except IncompleteScores as error:
        return error.args[0]
    missing = imperatives_without_action(inspection)
    if missing:
        return (
            "Chaque impératif non respecté appelle une action exigée, avec son échéance : "
            f"ajoutez-en une pour {', '.join(missing)}."
        )
    return None


def contradictory_period_over(inspection, *, at) -> str | None:
    """The rapport définitif waits for the gestionnaire's observations or the end of their time."""
    if inspection.observations_at is None and timezone.localdate(at) <= inspection.observations_due:
        return (
            "Le gestionnaire a jusqu'au "
            f"{inspection.observations_due:%d/%m/%Y} pour envoyer ses observations : "
            "le rapport définitif attend ses observations ou la fin de ce délai."
        )
    return None


def publishable(inspection) -> str | None:
    found = names_in_report(inspection)
    if found:
        return (
            "Le rapport cite encore un nom propre des dossiers de la structure "
            f"({', '.join(found)}) : anonymisez-le avant de le publier."
        )
    return None


def _lead(user, inspection) -> bool:
    return perms.is_lead(user, inspection)


def _member(user, inspection) -> bool:
    return perms.is_member(user, inspection)


def every_required_action_accepted(inspection) -> str | None:
    pending = inspection.actions.filter(kind=ActionKind.REQUIRED).exclude(
        status=ActionStatus.ACCEPTED
    )
    count = pending.count()
    if count:
        return (
            f"Le suivi se clôt quand chaque action exigée est acceptée : {count} "
            f"{'restent' if count > 1 else 'reste'} à accepter."
        )
    return None


# The French contradictory procedure: the visit, the rapport provisoire to the structure, its
# observations within a set time (settings.INSPECTION_OBSERVATION_DAYS), the rapport définitif,
# then its anonymised publication; the follow-up closes once every required action is accepted.
INSPECTION_WORKFLOW = Workflow(
    state_field="status",
    transitions=[
        Transition(
            "start",
            {InspectionStatus.SCHEDULED},
            InspectionStatus.IN_PROGRESS,
            "commencer la visite",
            _member,
            guard=visit_day_reached,
        ),
        Transition(
            "send_provisional",
            {InspectionStatus.IN_PROGRESS},
            InspectionStatus.PROVISIONAL,
            "envoyer le rapport provisoire",
            _lead,
            guard=findings_complete,
        ),
        Transition(
            "finalise",
            {InspectionStatus.PROVISIONAL},
            InspectionStatus.FINAL,
            "arrêter le rapport définitif",
            _lead,
            guard=contradictory_period_over,
        ),
        Transition(
            "publish",
            {InspectionStatus.FINAL},
            InspectionStatus.PUBLISHED,
            "publier le rapport",
            _lead,
            public=True,
            guard=publishable,
        ),
        Transition(
            "close",
            {InspectionStatus.PUBLISHED},
            InspectionStatus.CLOSED,
            "clore le suivi",
            _lead,
            public=True,
            guard=every_required_action_accepted,
        ),
        Transition(
            "cancel",
            {InspectionStatus.SCHEDULED},
            InspectionStatus.CANCELLED,
            "annuler l'inspection",
            _lead,
        ),
    ],
)


def observations_open(inspection, *, at) -> str | None:
    if inspection.status != InspectionStatus.PROVISIONAL:
        return "Les observations se font sur le rapport provisoire."
    if inspection.observations_at is not None:
        return "Vos observations sont déjà envoyées."
    if timezone.localdate(at) > inspection.observations_due:
        return f"Le délai des observations a pris fin le {inspection.observations_due:%d/%m/%Y}."
    return None


@abilities_for(Inspection)
def inspection_abilities(user, inspection) -> dict[str, bool]:
    return {
        **INSPECTION_WORKFLOW.abilities(inspection, user),
        "read": perms.can_read_inspection(user, inspection),
        "see_visit_date": perms.sees_visit_date(user, inspection),
        "see_findings": perms.sees_findings(user, inspection),
        "read_journal": perms.controls(user, inspection.structure),
        "join": perms.can_join_team(user, inspection),
        "write_findings": perms.can_write_findings(user, inspection),
        "write_report": perms.can_write_report(user, inspection),
        "send_observations": perms.can_send_observations(user, inspection)
        and observations_open(inspection, at=timezone.now()) is None,
    }


def _answers(user, action) -> bool:
    return perms.manages(user, action.inspection) and action.inspection.status in (
        InspectionStatus.PROVISIONAL,
        InspectionStatus.FINAL,
        InspectionStatus.PUBLISHED,
    )


def _judges(user, action) -> bool:
    return perms.is_member(user, action.inspection)


# The follow-up of what a report asks: the gestionnaire answers, the team accepts or asks more.
ACTION_WORKFLOW = Workflow(
    state_field="status",
    transitions=[
        Transition(
            "answer",
            {ActionStatus.OPEN, ActionStatus.TO_REDO},
            ActionStatus.ANSWERED,
            "répondre à l'action demandée",
            _answers,
        ),
        Transition(
            "accept", {ActionStatus.ANSWERED}, ActionStatus.ACCEPTED, "accepter la réponse", _judges
        ),
        Transition(
            "ask_more",
            {ActionStatus.ANSWERED},
            ActionStatus.TO_REDO,
            "demander un complément",
            _judges,
        ),
    ],
)


@abilities_for(RequiredAction)
def action_abilities(user, action) -> dict[str, bool]:
    return ACTION_WORKFLOW.abilities(action, user)
