"""Whether an instance is *constituée* on a given day, and what is missing or over, in French.

``evaluate`` is pure arithmetic on counts and bounds (tested with hypothesis); ``composition``
reads the counts of one instance from the database.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils import timezone

from .models import College, CompositionRule, Membership


def _members(n: int) -> str:
    return f"{n} membre{'s' if n > 1 else ''}"


@dataclass(frozen=True)
class CollegeBounds:
    code: str
    label: str
    of_label: str
    min_members: int
    max_members: int


@dataclass(frozen=True)
class CollegeLine:
    college: CollegeBounds
    count: int

    @property
    def missing(self) -> int:
        return max(self.college.min_members - self.count, 0)

    @property
    def excess(self) -> int:
        return max(self.count - self.college.max_members, 0)

    @property
    def free_seats(self) -> int:
        return max(self.college.max_members - self.count, 0)

    @property
    def is_within_bounds(self) -> bool:
        return not self.missing and not self.excess

    @property
    def message(self) -> str:
        if self.missing:
            return f"il manque {_members(self.missing)} au collège {self.college.of_label}"
        if self.excess:
            return f"le collège {self.college.of_label} compte {_members(self.excess)} de trop"
        return ""


@dataclass(frozen=True)
class CompositionReport:
    on: date
    lines: tuple[CollegeLine, ...]
    min_total: int
    max_total: int

    @property
    def total(self) -> int:
        return sum(line.count for line in self.lines)

    @property
    def total_missing(self) -> int:
        return max(self.min_total - self.total, 0)

    @property
    def total_excess(self) -> int:
        return max(self.total - self.max_total, 0)

    @property
    def is_constituted(self) -> bool:
        return (
            all(line.is_within_bounds for line in self.lines)
            and not self.total_missing
            and not self.total_excess
        )

    @property
    def messages(self) -> list[str]:
        messages = [line.message for line in self.lines if line.message]
        if self.total_missing:
            messages.append(
                f"il manque {_members(self.total_missing)} à l'instance "
                f"({self.min_total} au minimum)"
            )
        if self.total_excess:
            messages.append(
                f"l'instance compte {_members(self.total_excess)} de trop "
                f"({self.max_total} au maximum)"
            )
        return messages

    @property
    def summary(self) -> str:
        if self.is_constituted:
            return f"Composition complète : {_members(self.total)}."
        return "Composition incomplète : " + " ; ".join(self.messages) + "."

    def line(self, code: str) -> CollegeLine:
        return next(line for line in self.lines if line.college.code == code)


def evaluate(
    counts: Mapping[str, int],
    colleges: Iterable[CollegeBounds],
    min_total: int,
    max_total: int,
    on: date,
) -> CompositionReport:
    lines = tuple(CollegeLine(college, counts.get(college.code, 0)) for college in colleges)
    return CompositionReport(on=on, lines=lines, min_total=min_total, max_total=max_total)


def college_bounds() -> list[CollegeBounds]:
    return [
        CollegeBounds(c.code, c.label, c.of_label, c.min_members, c.max_members)
        for c in College.objects.order_by("position", "code")
    ]


def composition(instance, on: date | None = None) -> CompositionReport:
    """Three queries: the colleges, the total rule and the counts."""
    on = on or timezone.localdate()
    rows = (
        Membership.objects.filter(instance=instance)
        .active_on(on)
        .values("seat__college__code")
        .annotate(n=Count("pk"))
    )
    counts = {row["seat__college__code"]: row["n"] for row in rows}
    rule = CompositionRule.objects.get(code="national")
    return evaluate(counts, college_bounds(), rule.min_total, rule.max_total, on)
