"""The public figures of waiting times, by département, by type and month by month.

Computed by the database: counts with conditional aggregates; the median and the 90th
percentile with PostgreSQL's ``percentile_cont``. SQLite has no percentile: there the database
counts the measures of each delay (a GROUP BY on the delay in days, a few hundred rows per
group) and the percentile is read from those counts here, with the same linear interpolation as
``percentile_cont``, so that both give the same figures.

**Statistical secrecy.** A count from 1 to 4 is never shown (« secret »), nor a second one when
the first could be deduced from a published total (complementary suppression), and no delay is
given for a group of fewer than 5 measures started, or whose count is hidden: ``Cell`` holds None
in their place, so that no page, file or cache ever carries them.
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db import connection
from django.db.models import Aggregate, Count, FloatField, Q
from django.db.models.functions import TruncMonth

from .enums import SHORT_LABELS, MeasureKind
from .models import Measure

SECRECY_THRESHOLD = 5
WINDOW_MONTHS = 12
WITHIN_DAYS = 30
# How long measures not started have waited: the upper bound (days) of each band.
WAIT_BANDS = (
    (30, "moins d'un mois"),
    (90, "1 à 3 mois"),
    (180, "3 à 6 mois"),
    (None, "plus de 6 mois"),
)


class PercentileCont(Aggregate):
    """PostgreSQL's ordered-set aggregate: the ``fraction`` percentile, interpolated."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def shown(count: int, hidden: bool = False) -> int | None:
    """The count as the public sees it: None (« secret ») from 1 to 4, or when hidden to
    protect another (``suppressed``)."""
    return None if hidden or 0 < count < SECRECY_THRESHOLD else count


def suppressed(counts: list[int], hidden: list[bool] | None = None) -> list[bool]:
    """Which of these counts, whose total is published, the public must not see: those from 1 to
    4 (or already ``hidden``) and, when only one of them would be hidden, the next smallest as
    well, or the total minus the others would give it back (complementary suppression)."""
    hidden = [
        (hidden[i] if hidden else False) or 0 < count < SECRECY_THRESHOLD
        for i, count in enumerate(counts)
    ]
    total_published = not 0 < sum(counts) < SECRECY_THRESHOLD
    if total_published and sum(hidden) == 1 and len(counts) > 1:
        others = [i for i, is_hidden in enumerate(hidden) if not is_hidden]
        hidden[min(others, key=lambda i: (counts[i], i))] = True
    return hidden


def protect(cells: dict, raw: dict) -> dict:
    """``cells`` (key -> Cell) that add up to a published total, with their waiting and started
    counts hidden where one group alone would be (``suppressed``). ``raw`` gives each key's
    (started, waiting) counts before any hiding."""
    keys = list(cells)
    for index, attr in ((0, "started"), (1, "waiting")):
        already = [getattr(cells[k], attr) is None for k in keys]
        counts = [raw[k][index] for k in keys]
        for key, hide in zip(keys, suppressed(counts, already), strict=True):
            if hide and getattr(cells[key], attr) is not None:
                cells[key] = cells[key].hidden(attr)
    return cells


@dataclass(frozen=True)
class Cell:
    """The public figures of one group. None: secret (counts) or not computed (delays)."""

    waiting: int | None = 0
    waiting_bands: tuple[int | None, ...] = (0, 0, 0, 0)
    started: int | None = 0
    median: float | None = None
    p90: float | None = None
    within_share: int | None = None

    @property
    def delays_secret(self) -> bool:
        return self.started is None

    @property
    def has_delays(self) -> bool:
        return self.median is not None

    def hidden(self, attr: str) -> "Cell":
        """The same cell with ``attr`` (« started » or « waiting ») hidden; hiding how many
        started hides their delays too."""
        if attr == "started":
            return replace(self, started=None, median=None, p90=None, within_share=None)
        return replace(self, waiting=None)


def percentile(histogram: list[tuple[int, int]], fraction: float) -> float:
    """``percentile_cont(fraction)`` of the values described by ``(value, count)`` pairs, sorted
    by value."""
    total = sum(count for _, count in histogram)
    position = fraction * (total - 1)
    low_rank = int(position)
    high_rank = min(low_rank + 1, total - 1)

    def value_at(rank: int) -> int:
        seen = 0
        for value, count in histogram:
            seen += count
            if rank < seen:
                return value
        return histogram[-1][0]

    low = value_at(low_rank)
    high = value_at(high_rank)
    return low + (high - low) * (position - low_rank)


def _delay_rows(queryset, group: list[str]) -> dict[tuple, tuple[int, float, float, int]]:
    """(started, median, p90, started within 30 days) of each group of started measures."""
    within = Count("pk", filter=Q(delay_days__lte=WITHIN_DAYS))
    if connection.vendor == "postgresql":
        aggregates = {
            "n": Count("pk"),
            "median": PercentileCont("delay_days", 0.5),
            "p90": PercentileCont("delay_days", 0.9),
            "within": within,
        }
        if not group:
            row = queryset.aggregate(**aggregates)
            return {(): (row["n"], row["median"], row["p90"], row["within"])} if row["n"] else {}
        return {
            tuple(row[name] for name in group): (row["n"], row["median"], row["p90"], row["within"])
            for row in queryset.values(*group).annotate(**aggregates).order_by()
        }
    histograms = defaultdict(list)
    for row in (
        queryset.values(*group, "delay_days").annotate(n=Count("pk")).order_by(*group, "delay_days")
    ):
        histograms[tuple(row[name] for name in group)].append((row["delay_days"], row["n"]))
    result = {}
    for key, histogram in histograms.items():
        total = sum(count for _, count in histogram)
        inside = sum(count for value, count in histogram if value <= WITHIN_DAYS)
        # Secret groups: no delay is computed at all.
        if total < SECRECY_THRESHOLD:
            result[key] = (total, None, None, None)
        else:
            result[key] = (total, percentile(histogram, 0.5), percentile(histogram, 0.9), inside)
    return result


def _waiting_rows(queryset, group: list[str], today: date) -> dict[tuple, tuple[int, ...]]:
    """(waiting, then the count of each band of WAIT_BANDS) of each group of waiting measures."""
    aggregates = {"n": Count("pk")}
    previous = None
    for index, (days, _) in enumerate(WAIT_BANDS):
        # Waited fewer than ``days`` days: ordered after today - days.
        condition = Q()
        if days is not None:
            condition &= Q(ordered_on__gt=today - timedelta(days=days))
        if previous is not None:
            condition &= Q(ordered_on__lte=today - timedelta(days=previous))
        aggregates[f"band{index}"] = Count("pk", filter=condition)
        previous = days
    waiting = queryset.waiting().filter(ordered_on__lte=today)
    names = ["n", *(f"band{i}" for i in range(len(WAIT_BANDS)))]
    if not group:
        row = waiting.aggregate(**aggregates)
        return {(): tuple(row[name] for name in names)} if row["n"] else {}
    return {
        tuple(row[name] for name in group): tuple(row[name] for name in names)
        for row in waiting.values(*group).annotate(**aggregates).order_by()
    }


def _raw(delays: tuple | None, waiting: tuple | None) -> tuple[int, int]:
    """(started, waiting) before any hiding."""
    return ((delays or (0,))[0], (waiting or (0,))[0])


def _cell(delays: tuple | None, waiting: tuple | None) -> Cell:
    waiting = waiting or (0,) * (len(WAIT_BANDS) + 1)
    started, median, p90, within = delays or (0, None, None, None)
    public = started >= SECRECY_THRESHOLD
    bands = list(waiting[1:])
    return Cell(
        waiting=shown(waiting[0]),
        # The bands add up to the waiting total: one hidden alone would be given back by it.
        waiting_bands=tuple(
            shown(n, hide) for n, hide in zip(bands, suppressed(bands), strict=True)
        ),
        started=shown(started),
        median=round(median, 1) if public and median is not None else None,
        p90=round(p90, 1) if public and p90 is not None else None,
        within_share=round(100 * within / started) if public and within is not None else None,
    )


def window_start(today: date) -> date:
    """The first day of the month WINDOW_MONTHS - 1 months before today's: twelve months of
    starts, this one included."""
    months = today.year * 12 + today.month - 1 - (WINDOW_MONTHS - 1)
    return date(months // 12, months % 12 + 1, 1)


def months(today: date) -> list[date]:
    first = window_start(today)
    return [
        date((first.year * 12 + first.month - 1 + n) // 12, (first.month - 1 + n) % 12 + 1, 1)
        for n in range(WINDOW_MONTHS)
    ]


@dataclass(frozen=True)
class Month:
    month: date
    cell: Cell
    current: bool


@dataclass(frozen=True)
class Figures:
    """What a public page shows: ``today`` is the date of the figures, the delays are those of
    the measures started from ``since`` to ``today``."""

    today: date
    since: date
    total: Cell
    by_kind: list[tuple[str, str, Cell]]
    by_month: list[Month]
    # Département id -> its cell (national figures only).
    by_departement: dict[int, Cell]


def figures(today: date, departement=None) -> Figures:
    """The public figures of France (``departement`` None) or of one département."""
    measures = Measure.objects.all()
    if departement is not None:
        measures = measures.filter(departement=departement)
    since = window_start(today)
    started = measures.filter(started_on__gte=since, started_on__lte=today)
    total = _cell(_delay_rows(started, []).get(()), _waiting_rows(measures, [], today).get(()))
    kind_delays = _delay_rows(started, ["kind"])
    kind_waiting = _waiting_rows(measures, ["kind"], today)
    kinds = {
        kind: _cell(kind_delays.get((kind,)), kind_waiting.get((kind,))) for kind in MeasureKind
    }
    raw = {kind: _raw(kind_delays.get((kind,)), kind_waiting.get((kind,))) for kind in kinds}
    kinds = protect(kinds, raw)
    by_kind = [(kind.value, SHORT_LABELS[kind], kinds[kind]) for kind in MeasureKind]
    month_delays = _delay_rows(started.annotate(month=TruncMonth("started_on")), ["month"])
    month_cells = {month: _cell(_month_row(month_delays, month), None) for month in months(today)}
    month_cells = protect(
        month_cells, {month: _raw(_month_row(month_delays, month), None) for month in month_cells}
    )
    by_month = [
        Month(month, cell, month.month == today.month) for month, cell in month_cells.items()
    ]
    by_departement = {}
    if departement is None:
        dep_delays = _delay_rows(started, ["departement_id"])
        dep_waiting = _waiting_rows(measures, ["departement_id"], today)
        keys = sorted(set(dep_delays) | set(dep_waiting))
        cells = {key: _cell(dep_delays.get(key), dep_waiting.get(key)) for key in keys}
        raw = {key: _raw(dep_delays.get(key), dep_waiting.get(key)) for key in keys}
        by_departement = {key[0]: cell for key, cell in protect(cells, raw).items()}
    return Figures(today, since, total, by_kind, by_month, by_departement)


def _month_row(rows: dict, month: date):
    """TruncMonth gives a date on SQLite and may give a datetime elsewhere: match by month."""
    for (value,), row in rows.items():
        if value is not None and (value.year, value.month) == (month.year, month.month):
            return row
    return None


@dataclass(frozen=True)
class WaitingRow:
    kind: str
    label: str
    waiting: int
    bands: tuple[int, ...]


def waiting_by_kind(departement, today: date) -> list[WaitingRow]:
    """For the people who follow the département's measures (no secrecy: they are entitled to
    the detail): the measures waiting now, by type and by how long they have waited."""
    rows = _waiting_rows(Measure.objects.filter(departement=departement), ["kind"], today)
    empty = (0,) * (len(WAIT_BANDS) + 1)
    result = []
    for kind in MeasureKind:
        counts = rows.get((kind.value,), empty)
        result.append(WaitingRow(kind.value, SHORT_LABELS[kind], counts[0], counts[1:]))
    return result


def by_departement_and_kind(today: date) -> dict[tuple[int, str], Cell]:
    """The cell of each département and type (the open data files)."""
    measures = Measure.objects.all()
    started = measures.filter(started_on__gte=window_start(today), started_on__lte=today)
    delays = _delay_rows(started, ["departement_id", "kind"])
    waiting = _waiting_rows(measures, ["departement_id", "kind"], today)
    keys = set(delays) | set(waiting)
    cells = {key: _cell(delays.get(key), waiting.get(key)) for key in keys}
    raw = {key: _raw(delays.get(key), waiting.get(key)) for key in keys}
    # Each département's types add up to its total, each type's départements to France's:
    # protect the rows then the columns, until a pass hides nothing more.
    while True:
        before = dict(cells)
        for position in (0, 1):
            groups = defaultdict(list)
            for key in keys:
                groups[key[position]].append(key)
            for members in groups.values():
                cells.update(protect({k: cells[k] for k in members}, raw))
        if cells == before:
            return cells
