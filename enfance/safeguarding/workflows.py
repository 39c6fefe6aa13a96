from enfance.core.workflow import Transition, Workflow, abilities_for

from .enums import DangerReportState
from .models import DangerReport
from .perms import can_handle_report

# Neither transition is public: a report of danger and what became of it are never published.
DANGER_REPORT_WORKFLOW = Workflow(
    state_field="state",
    transitions=[
        Transition(
            "transmit",
            {DangerReportState.OPEN},
            DangerReportState.TRANSMITTED,
            "confirmer le danger et transmettre",
            can_handle_report,
        ),
        Transition(
            "restore",
            {DangerReportState.OPEN},
            DangerReportState.RESTORED,
            "rétablir le contenu (pas de danger)",
            can_handle_report,
        ),
    ],
)


@abilities_for(DangerReport)
def report_abilities(user, report) -> dict[str, bool]:
    return DANGER_REPORT_WORKFLOW.abilities(report, user)
