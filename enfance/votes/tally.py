"""Pure tallies on counts: no database, fast, tested with hypothesis.

Every function takes counts already aggregated (by the database, see ``aggregation.py``) and
returns plain data. Options are identified by any hashable key (the option's id in production).

Majority judgment (Balinski & Laraki). For an option graded by n voters, write its grades sorted
from worst to best x_1 ≤ … ≤ x_n. Its *majority grade* is the lower median x_m, m = ⌊(n+1)/2⌋
(for an even n, the lower of the two middle grades). Two options with the same majority grade are
separated by removing that grade once from each and comparing again, and so on: the exact
iterative-removal rule. Removing the lower median repeatedly yields the sequence (the "majority
value") x_m, then alternately one grade from below and one from above the median: below first
when n is odd, above first when n is even. Comparing two options by iterative removal is
comparing their majority values lexicographically, which ``_compare_mj`` does on run-lengths in
O(number of grades), whatever the number of voters.
"""

from collections.abc import Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cmp_to_key


@dataclass(frozen=True)
class MajorityOutcome:
    pour: int
    contre: int
    abstention: int
    quorum_reached: bool
    adopted: bool

    @property
    def expressed(self) -> int:
        """Suffrages exprimés: abstentions are not counted."""
        return self.pour + self.contre


def majority(pour: int, contre: int, abstention: int, *, quorum_reached: bool = True):
    """Adopted by a majority of the votes cast (« majorité des suffrages exprimés »): more
    « pour » than « contre », abstentions left out; a tie rejects. Nothing is adopted when the
    quorum is not reached."""
    return MajorityOutcome(
        pour=pour,
        contre=contre,
        abstention=abstention,
        quorum_reached=quorum_reached,
        adopted=quorum_reached and pour > contre,
    )


def majority_grade(counts: Sequence[int]) -> int | None:
    """The lower median grade of a distribution (counts[g] voters gave grade g); None if empty."""
    total = sum(counts)
    if total == 0:
        return None
    position = (total - 1) // 2  # 0-based, from the worst grade
    seen = 0
    for grade, count in enumerate(counts):
        seen += count
        if seen > position:
            return grade
    raise AssertionError("unreachable")


def _runs_below(counts: Sequence[int], median_position: int) -> Iterator[tuple[int, int]]:
    """The grades strictly before the median position, from the closest to the worst, as
    (grade, run length)."""
    seen = 0
    cumulative = []
    for count in counts:
        cumulative.append(seen)
        seen += count
    for grade in range(len(counts) - 1, -1, -1):
        start = cumulative[grade]
        end = start + counts[grade]
        take = max(0, min(end, median_position) - start)
        if take:
            yield grade, take


def _runs_above(counts: Sequence[int], median_position: int) -> Iterator[tuple[int, int]]:
    """The grades strictly after the median position, from the closest to the best."""
    seen = 0
    for grade, count in enumerate(counts):
        start, end = seen, seen + count
        seen = end
        take = max(0, end - max(start, median_position + 1))
        if take:
            yield grade, take


def _first_difference(
    left: Iterator[tuple[int, int]], right: Iterator[tuple[int, int]]
) -> tuple[int, int, int] | None:
    """The first index where two run-length sequences of equal length differ, with both
    values there; None if they are equal."""
    index = 0
    left_run, right_run = next(left, None), next(right, None)
    while left_run is not None and right_run is not None:
        (lg, ln), (rg, rn) = left_run, right_run
        if lg != rg:
            return index, lg, rg
        step = min(ln, rn)
        index += step
        left_run = (lg, ln - step) if ln > step else next(left, None)
        right_run = (rg, rn - step) if rn > step else next(right, None)
    return None


def _compare_mj(a: Sequence[int], b: Sequence[int]) -> int:
    """1 if a ranks above b by iterative removal of majority grades, -1 if below, 0 if tied."""
    total = sum(a)
    if sum(b) != total:
        raise ValueError("Toutes les options doivent avoir reçu le même nombre de mentions.")
    if total == 0:
        return 0
    median_position = (total - 1) // 2
    grade_a, grade_b = majority_grade(a), majority_grade(b)
    if grade_a != grade_b:
        return 1 if grade_a > grade_b else -1
    below = _first_difference(_runs_below(a, median_position), _runs_below(b, median_position))
    above = _first_difference(_runs_above(a, median_position), _runs_above(b, median_position))
    # Position in the majority value of the i-th grade below / above the median.
    below_first = total % 2 == 1
    candidates = []
    if below is not None:
        index, ga, gb = below
        candidates.append((1 + 2 * index + (0 if below_first else 1), ga, gb))
    if above is not None:
        index, ga, gb = above
        candidates.append((1 + 2 * index + (1 if below_first else 0), ga, gb))
    if not candidates:
        return 0
    _, ga, gb = min(candidates)
    return 1 if ga > gb else -1


@dataclass(frozen=True)
class MajorityJudgmentOutcome:
    majority_grades: dict[Hashable, int | None]
    # Groups of options from first to last; options in one group are tied after every
    # tie-break.
    ranking: list[list[Hashable]]


def majority_judgment(counts: Mapping[Hashable, Sequence[int]]) -> MajorityJudgmentOutcome:
    """Rank options by majority grade, ties broken by iterative removal; the order of options
    with equal keys in ``counts`` does not matter (ties are returned as groups, each group in
    key order)."""
    keys = sorted(counts, key=_sort_key)
    ordered = sorted(keys, key=cmp_to_key(lambda x, y: -_compare_mj(counts[x], counts[y])))
    return MajorityJudgmentOutcome(
        majority_grades={key: majority_grade(counts[key]) for key in keys},
        ranking=_group(ordered, lambda x, y: _compare_mj(counts[x], counts[y]) == 0),
    )


def approval(counts: Mapping[Hashable, int]) -> list[list[Hashable]]:
    """Options by number of approvals, most first; equal counts are a tie (a group)."""
    keys = sorted(counts, key=_sort_key)
    ordered = sorted(keys, key=lambda key: -counts[key])
    return _group(ordered, lambda x, y: counts[x] == counts[y])


def _sort_key(key):
    return (str(type(key)), key)


def _group(ordered: list, same) -> list[list]:
    groups: list[list] = []
    for key in ordered:
        if groups and same(groups[-1][0], key):
            groups[-1].append(key)
        else:
            groups.append([key])
    return groups


@dataclass(frozen=True)
class CollegeOutcome:
    """A majority vote weighed by colleges (a SCIC's general assembly, loi du 10 septembre 1947,
    art. 19 octies): one associate one vote inside each college, each college's « pour » and
    « contre » counted as its share of the votes. A college where no one expressed a vote has no
    share: the others' are scaled to fill the whole (the usual clause of SCIC statutes)."""

    # Per college: (pour, contre, abstention) and the share of the votes it carried.
    colleges: dict
    pour: Fraction
    contre: Fraction
    adopted: bool


def weighted_colleges(
    counts: Mapping[Hashable, tuple[int, int, int]],
    weights: Mapping[Hashable, int],
    *,
    quorum_reached: bool = True,
) -> CollegeOutcome:
    """``counts[c]`` = (pour, contre, abstention) in college c; ``weights[c]`` its share of the
    votes (percent). The result's « pour » and « contre » are shares of the whole, exact
    fractions adding up to 1 when anyone expressed a vote; adopted when « pour » exceeds one
    half (a tie rejects), and never without the quorum."""
    expressing = [c for c, (pour, contre, _) in counts.items() if pour + contre]
    total_weight = sum(weights[c] for c in expressing)
    pour = contre = Fraction(0)
    carried = {}
    for college, (p, c, _abstention) in counts.items():
        share = Fraction(weights[college], total_weight) if college in expressing else Fraction(0)
        carried[college] = share
        if share:
            pour += share * Fraction(p, p + c)
            contre += share * Fraction(c, p + c)
    return CollegeOutcome(
        colleges={college: (counts[college], carried[college]) for college in counts},
        pour=pour,
        contre=contre,
        adopted=quorum_reached and pour > Fraction(1, 2),
    )
