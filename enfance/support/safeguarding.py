"""What the support pages show of the danger reports made from a request: to the professional,
that it was passed on; to the parent, that it was transmitted and where, unless the référent
recorded that telling them would endanger the child."""

from dataclasses import dataclass
from datetime import datetime

from enfance.safeguarding.enums import DangerReportState
from enfance.safeguarding.models import DangerReport


@dataclass(frozen=True)
class Disclosure:
    flagged_at: datetime
    transmitted: bool
    transmitted_to: str
    transmitted_at: datetime | None
    family_told: bool


def disclosures_of(request) -> list[Disclosure]:
    # A request never flagged has no report: flag_danger marks it (danger_hidden_at).
    if request.danger_hidden_at is None:
        return []
    return [
        Disclosure(
            flagged_at=report.created_at,
            transmitted=report.state == DangerReportState.TRANSMITTED,
            transmitted_to=report.transmitted_to,
            transmitted_at=report.transmitted_at,
            family_told=report.state == DangerReportState.TRANSMITTED
            and not report.family_not_told_reason,
        )
        for report in DangerReport.objects.for_object(request)
        .only("created_at", "state", "transmitted_to", "transmitted_at", "family_not_told_reason")
        .order_by("created_at")
    ]
