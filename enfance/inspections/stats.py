"""The public figures of the control body: the levels of the structures (their latest published
report), by département and nationally, and, per département and year, what seed 003 asks to
watch: the share of reactive inspections (after an alert) against planned ones, the share of
joint inspections, and the required actions overdue. Computed from the published reports only,
kept in the shared cache until a report is published or an action changes (``VERSION``)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from enfance.core.cache import rebuilt_once, version
from enfance.territories.models import Departement

from .enums import ActionKind, ActionStatus, Level, Origin
from .models import Inspection, RequiredAction

# Bumped when a report is published or closed, and when an action of a published one changes.
VERSION = "inspections-public"
FRESH_SECONDS = 600


@dataclass
class Row:
    """The figures of one département (or of the country), one year or all years."""

    levels: Counter = field(default_factory=Counter)
    reports: int = 0
    reactive: int = 0
    planned: int = 0
    follow_up: int = 0
    joint: int = 0
    overdue: int = 0

    @property
    def graded(self) -> int:
        return sum(self.levels.values())

    def share(self, count: int) -> int | None:
        """A whole percentage of the reports (None when there is none)."""
        return round(100 * count / self.reports) if self.reports else None

    @property
    def reactive_share(self):
        return self.share(self.reactive)

    @property
    def joint_share(self):
        return self.share(self.joint)

    def level_rows(self) -> list[dict]:
        """Each level with its count and its share of the graded structures (the bar chart and
        its table)."""
        total = self.graded
        return [
            {
                "level": level,
                "count": self.levels[level],
                "percent": round(100 * self.levels[level] / total) if total else 0,
            }
            for level in Level.values
        ]


@dataclass
class Figures:
    national: Row
    by_departement: list[tuple[Departement, Row]]
    years: list[int]
    # (département code, year) -> Row
    by_year: dict[tuple[str, int], Row]


def _latest_levels():
    """The level of each structure's latest published report, with its département."""
    ranked = Inspection.objects.published().annotate(
        rank=Window(
            RowNumber(), partition_by=[F("structure_id")], order_by=F("published_at").desc()
        )
    )
    return ranked.filter(rank=1).values_list("structure__departement__code", "level")


def compute(today=None) -> Figures:
    today = today or timezone.localdate()
    national = Row()
    rows: dict[str, Row] = defaultdict(Row)
    for code, level in _latest_levels():
        rows[code].levels[level] += 1
        national.levels[level] += 1
    by_year: dict[tuple[str, int], Row] = defaultdict(Row)
    reports = Inspection.objects.published().values_list(
        "pk", "structure__departement__code", "visit_on", "origin", "joint_with"
    )
    year_of = {}
    for pk, code, visit_on, origin, joint_with in reports:
        year_of[pk] = (code, visit_on.year)
        for row in (rows[code], by_year[(code, visit_on.year)], national):
            row.reports += 1
            row.reactive += origin == Origin.ALERT
            row.planned += origin == Origin.PLANNED
            row.follow_up += origin == Origin.FOLLOW_UP
            row.joint += bool(joint_with)
    overdue = RequiredAction.objects.filter(
        kind=ActionKind.REQUIRED, inspection_id__in=year_of, due_on__lt=today
    ).exclude(status=ActionStatus.ACCEPTED)
    for inspection_id in overdue.values_list("inspection_id", flat=True):
        code, year = year_of[inspection_id]
        for row in (rows[code], by_year[(code, year)], national):
            row.overdue += 1
    departements = Departement.objects.filter(code__in=rows).order_by("code")
    return Figures(
        national=national,
        by_departement=[(d, rows[d.code]) for d in departements],
        years=sorted({year for _, year in by_year}, reverse=True),
        by_year=dict(by_year),
    )


def figures() -> Figures:
    """The figures as the public pages show them, shared by every visitor."""
    return rebuilt_once(
        "inspections-figures",
        compute,
        fresh_for=FRESH_SECONDS,
        token=(version(VERSION), timezone.localdate().isoformat()),
    )


def history(structure) -> list[Inspection]:
    """A structure's published reports, the latest first."""
    return list(
        Inspection.objects.published()
        .filter(structure=structure)
        .select_related("referentiel")
        .order_by("-published_at")
    )
