from enfance.core.workflow import Transition, Workflow

from .enums import DangerReportState
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
