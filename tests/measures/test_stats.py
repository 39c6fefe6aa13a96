"""The public figures: median and 90th percentile as PostgreSQL's percentile_cont gives them
(the same on SQLite), the share started within 30 days, month by month, and the secrecy."""

from datetime import timedelta

import pytest
from django.utils import timezone

from enfance.measures import stats

from .conftest import add_measure, add_started

pytestmark = pytest.mark.django_db


def test_percentile_interpolates_as_percentile_cont():
    # 1, 2, 3, 4, 10: median 3; 90th percentile 4 + 0.6 × (10 - 4).
    histogram = [(1, 1), (2, 1), (3, 1), (4, 1), (10, 1)]
    assert stats.percentile(histogram, 0.5) == 3
    assert stats.percentile(histogram, 0.9) == pytest.approx(7.6)
    # 10, 10, 20, 40: median between the 2nd and 3rd values.
    assert stats.percentile([(10, 2), (20, 1), (40, 1)], 0.5) == 15
    assert stats.percentile([(7, 1)], 0.9) == 7


def test_median_p90_and_share_within_30_days(rhone):
    today = timezone.localdate()
    start = today.replace(day=1)
    add_started(rhone, [1, 2, 3, 4, 10, 30, 31, 90], started_on=start)
    figures = stats.figures(today, rhone)
    total = figures.total
    # Sorted: 1 2 3 4 10 30 31 90 → median (4 + 10) / 2; p90 at 6.3: 31 + 0.3 × 59.
    assert (total.started, total.median, total.p90) == (8, 7.0, pytest.approx(48.7))
    assert total.within_share == 75  # 6 of 8 within 30 days (30 included)
    aemo = {kind: cell for kind, _, cell in figures.by_kind}["aemo"]
    assert aemo == total  # every measure is an AEMO
    current = figures.by_month[-1]
    assert current.current and current.cell.median == 7.0 and current.cell.started == 8
    assert [m.cell.started for m in figures.by_month[:-1]] == [0] * 11


def test_the_same_figures_nationally_and_by_departement(rhone, gironde):
    today = timezone.localdate()
    start = today.replace(day=1)
    add_started(rhone, [10, 20, 30, 40, 50], started_on=start)
    add_started(gironde, [100, 100, 100, 100, 100], started_on=start)
    figures = stats.figures(today)
    assert figures.by_departement[rhone.pk].median == 30
    assert figures.by_departement[gironde.pk].median == 100
    assert figures.total.median == 75  # 10 20 30 40 50 100 100 100 100 100
    assert figures.total.within_share == 30


def test_counts_under_5_are_secret_and_their_delays_not_given(rhone, gironde):
    today = timezone.localdate()
    start = today.replace(day=1)
    add_started(rhone, [10, 20, 30, 40], started_on=start)
    for n in range(4):
        add_measure(gironde, f"w{n}", ordered_on=today - timedelta(days=5))
    figures = stats.figures(today)
    rhone_cell = figures.by_departement[rhone.pk]
    assert rhone_cell.started is None and rhone_cell.delays_secret
    assert (rhone_cell.median, rhone_cell.p90, rhone_cell.within_share) == (None, None, None)
    assert figures.by_departement[gironde.pk].waiting is None
    # Nothing at all is not a secret: 0 is shown.
    assert rhone_cell.waiting == 0
    assert figures.total.started is None and figures.total.waiting is None


def test_waiting_measures_by_how_long_they_have_waited(rhone):
    today = timezone.localdate()
    for n, days in enumerate([1, 29, 30, 89, 90, 179, 180, 400]):
        add_measure(rhone, f"w{n}", ordered_on=today - timedelta(days=days), kind="aed")
    add_measure(rhone, "started", ordered_on=today - timedelta(days=3), started_on=today)
    rows = {row.kind: row for row in stats.waiting_by_kind(rhone, today)}
    assert rows["aed"].waiting == 8 and rows["aed"].bands == (2, 2, 2, 2)
    assert rows["aemo"].waiting == 0


def test_delays_of_measures_started_before_the_twelve_months_are_left_out(rhone):
    today = timezone.localdate()
    old = stats.window_start(today) - timedelta(days=1)
    add_started(rhone, [300] * 5, started_on=old)
    add_started(rhone, [10] * 5, started_on=today)
    assert stats.figures(today, rhone).total.median == 10
    assert len(stats.months(today)) == 12 and stats.months(today)[-1] == today.replace(day=1)


def test_a_hidden_count_cannot_be_deduced_from_a_published_total(rhone, gironde):
    # The Rhône's 3 placements are secret; with every other type shown, France's total would
    # give them back: the next smallest type is hidden too (here one with none).
    today = timezone.localdate()
    start = today.replace(day=1)
    add_started(rhone, [5, 10, 20], started_on=start, kind="placement")
    add_started(rhone, [10, 20, 30, 40, 50, 60], started_on=start)
    add_started(gironde, [30] * 7, started_on=start)
    figures = stats.figures(today)
    kinds = {kind: cell for kind, _, cell in figures.by_kind}
    assert figures.total.started == 16
    assert kinds["placement"].started is None
    assert kinds["aemo"].started == 13
    assert sum(cell.started is None for cell in kinds.values()) == 2
    # Across départements: nothing hidden, nothing to protect.
    assert figures.by_departement[rhone.pk].started == 9
    assert figures.by_departement[gironde.pk].started == 7
    # Within the wait bands of a cell, the same rule.
    assert stats.suppressed([3, 12, 0, 7]) == [True, False, True, False]
    assert stats.suppressed([3, 1]) == [True, True]
    assert stats.suppressed([0, 12, 7]) == [False, False, False]
