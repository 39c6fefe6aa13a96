"""The grading of an inspection (enfance.inspections.grading): each rule, then its properties."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from enfance.inspections.enums import Judgement, Level
from enfance.inspections.grading import (
    IncompleteScores,
    Score,
    ThemeGrade,
    grade,
    judgement_of,
    worked_example,
)

LIMITING = "securite"

# Rank: the higher, the better.
JUDGEMENT_RANK = {
    Judgement.INSUFFISANT: 0,
    Judgement.A_AMELIORER: 1,
    Judgement.BIEN: 2,
    Judgement.TRES_BIEN: 3,
}
LEVEL_RANK = {Level.D: 0, Level.C: 1, Level.B: 2, Level.A: 3}


def scores_of(*rows):
    """Scores from (theme, value) or (theme, value, imperative) rows, coded C1, C2..."""
    return [
        Score(
            theme=row[0],
            criterion=f"C{i}",
            imperative=row[2] if len(row) > 2 else False,
            value=row[1],
        )
        for i, row in enumerate(rows, start=1)
    ]


def graded(*rows):
    return grade(scores_of(*rows), limiting_theme=LIMITING)


# --- Judgement of a mean ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mean", "judgement"),
    [
        (Fraction(4), Judgement.TRES_BIEN),
        (Fraction(7, 2), Judgement.TRES_BIEN),
        (Fraction(7, 2) - Fraction(1, 10**9), Judgement.BIEN),
        (Fraction(3), Judgement.BIEN),
        (Fraction(3) - Fraction(1, 10**9), Judgement.A_AMELIORER),
        (Fraction(2), Judgement.A_AMELIORER),
        (Fraction(2) - Fraction(1, 10**9), Judgement.INSUFFISANT),
        (Fraction(1), Judgement.INSUFFISANT),
    ],
)
def test_the_judgement_of_a_mean_at_and_around_each_threshold(mean, judgement):
    assert judgement_of(mean) == judgement


def test_means_are_exact_fractions():
    # 7/2 reached exactly by 3 criteria out of 6 at 3 and 3 at 4; 10/3 is not rounded up to 7/2.
    result = graded(*[(LIMITING, 3)] * 3, *[(LIMITING, 4)] * 3)
    assert result.mean == Fraction(7, 2)
    assert result.judgement == Judgement.TRES_BIEN
    result = graded((LIMITING, 3), (LIMITING, 3), (LIMITING, 4))
    assert result.mean == Fraction(10, 3)
    assert result.judgement == Judgement.BIEN


def test_each_theme_is_judged_on_its_own_scored_criteria_in_order_of_appearance():
    result = graded(("projet", 4), (LIMITING, 2), ("projet", 3), ("vie", None), (LIMITING, 3))
    assert result.themes == (
        ThemeGrade("projet", Fraction(7, 2), Judgement.TRES_BIEN),
        ThemeGrade(LIMITING, Fraction(5, 2), Judgement.A_AMELIORER),
        ThemeGrade("vie", None, None),
    )
    assert result.mean == Fraction(3)
    assert result.judgement == Judgement.BIEN


def test_non_concerne_criteria_are_left_out_of_the_means():
    assert graded((LIMITING, 4), (LIMITING, None), ("projet", None)).mean == Fraction(4)


# --- The limiting theme -------------------------------------------------------------------------


def test_an_insuffisant_limiting_theme_makes_the_overall_judgement_insuffisant():
    result = graded((LIMITING, 1), (LIMITING, 2), *[("projet", 4)] * 6)
    assert result.mean == Fraction(27, 8)
    assert judgement_of(result.mean) == Judgement.BIEN
    assert result.judgement == Judgement.INSUFFISANT
    assert result.limited


def test_a_limiting_theme_at_exactly_2_does_not_limit():
    result = graded((LIMITING, 2), ("projet", 4))
    assert result.themes[0].judgement == Judgement.A_AMELIORER
    assert result.judgement == Judgement.BIEN
    assert not result.limited


def test_limited_is_false_when_the_mean_alone_is_already_insuffisant():
    result = graded((LIMITING, 1), ("projet", 2))
    assert result.judgement == Judgement.INSUFFISANT
    assert not result.limited


def test_another_insuffisant_theme_does_not_limit():
    result = graded((LIMITING, 4), (LIMITING, 4), ("projet", 1))
    assert result.themes[1].judgement == Judgement.INSUFFISANT
    assert result.judgement == Judgement.BIEN
    assert not result.limited


# --- Imperative criteria and the level ----------------------------------------------------------


@pytest.mark.parametrize(("value", "met"), [(1, False), (2, False), (3, True), (4, True)])
def test_an_imperative_is_met_from_3(value, met):
    result = graded((LIMITING, 4), ("projet", value, True))
    assert result.imperatives_not_met == (() if met else ("C2",))


def test_a_non_concerne_imperative_is_met():
    result = graded((LIMITING, 4), ("projet", None, True))
    assert result.imperatives_not_met == ()
    assert result.level == Level.A


def test_imperatives_not_met_are_listed_in_input_order():
    result = graded(("projet", 2, True), (LIMITING, 4, True), (LIMITING, 1, True), ("vie", 2))
    assert result.imperatives_not_met == ("C1", "C3")


@pytest.mark.parametrize(
    ("rows", "level"),
    [
        # By the mean alone, at and around 2, 3 and 7/2.
        ([(LIMITING, 4)], Level.A),
        ([(LIMITING, 3), (LIMITING, 4)], Level.A),  # 7/2
        ([(LIMITING, 3), (LIMITING, 3), (LIMITING, 4)], Level.B),  # 10/3
        ([(LIMITING, 3)], Level.B),  # 3
        ([(LIMITING, 2), (LIMITING, 3), (LIMITING, 3)], Level.C),  # 8/3
        ([(LIMITING, 2)], Level.C),  # 2
        ([(LIMITING, 1), (LIMITING, 2), (LIMITING, 2)], Level.D),  # 5/3
        # An imperative not met caps the level at C, one scored 1 puts it at D.
        ([(LIMITING, 4), ("projet", 2, True)] + [("projet", 4)] * 10, Level.C),
        ([(LIMITING, 4), ("projet", 1, True)] + [("projet", 4)] * 10, Level.D),
        ([(LIMITING, 4), ("projet", 3, True)], Level.A),
        # An imperative not met with a mean below 2 is D.
        ([(LIMITING, 1), ("projet", 2, True)], Level.D),
    ],
)
def test_the_level(rows, level):
    assert graded(*rows).level == level


def test_the_level_does_not_follow_the_limiting_rule():
    # As specified, the level looks at the mean and the imperatives only: a limiting theme judged
    # « insuffisant » makes the judgement « insuffisant » but leaves the level as the mean gives it.
    result = graded((LIMITING, 1), *[("projet", 4)] * 5)
    assert result.mean == Fraction(7, 2)
    assert result.judgement == Judgement.INSUFFISANT
    assert result.limited
    assert result.level == Level.A


# --- Refusals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([], "Aucun critère n'est noté : notez au moins un critère."),
        (
            [(LIMITING, None), ("projet", None)],
            "Aucun critère n'est noté : notez au moins un critère.",
        ),
        ([("projet", 4)], "Le thème limitant doit avoir au moins un critère noté."),
        (
            [(LIMITING, None), ("projet", 4)],
            "Le thème limitant doit avoir au moins un critère noté.",
        ),
        ([(LIMITING, 0)], "Une note va de 1 à 4, ou « non concerné »."),
        ([(LIMITING, 5)], "Une note va de 1 à 4, ou « non concerné »."),
        ([(LIMITING, 4), ("projet", -1)], "Une note va de 1 à 4, ou « non concerné »."),
        ([(LIMITING, 3.5)], "Une note va de 1 à 4, ou « non concerné »."),
        ([(LIMITING, True)], "Une note va de 1 à 4, ou « non concerné »."),
    ],
)
def test_scores_that_cannot_be_graded_are_refused_in_french(rows, message):
    with pytest.raises(IncompleteScores) as raised:
        graded(*rows)
    assert raised.value.args[0] == message
    assert isinstance(raised.value, ValueError)


def test_a_criterion_scored_twice_is_refused():
    scores = [
        Score(LIMITING, "S1", imperative=False, value=3),
        Score("projet", "S1", imperative=False, value=None),
    ]
    with pytest.raises(IncompleteScores) as raised:
        grade(scores, limiting_theme=LIMITING)
    assert raised.value.args[0] == "Un critère est noté deux fois."


def test_scores_may_be_any_iterable():
    assert grade(iter(scores_of((LIMITING, 4))), limiting_theme=LIMITING).level == Level.A


# --- The worked example of the public page -----------------------------------------------------


def test_the_worked_example_shows_the_limiting_rule_and_the_imperative_rule():
    scores, result = worked_example()
    assert result == grade(scores, limiting_theme=LIMITING)
    assert len({s.theme for s in scores}) == 3
    assert sum(s.imperative and s.value == 2 for s in scores) == 1
    limiting = next(t for t in result.themes if t.theme == LIMITING)
    assert limiting.mean < 2
    assert limiting.judgement == Judgement.INSUFFISANT
    assert judgement_of(result.mean) != Judgement.INSUFFISANT
    assert result.judgement == Judgement.INSUFFISANT
    assert result.limited
    assert result.imperatives_not_met
    assert result.level == Level.C
    assert result.mean == Fraction(3)


# --- Properties ---------------------------------------------------------------------------------

THEMES = st.sampled_from([LIMITING, "projet", "vie", "sante"])
VALUES = st.one_of(st.none(), st.integers(min_value=1, max_value=4))


@st.composite
def score_lists(draw):
    """Scores with unique criterion codes, the limiting theme scored at least once, shuffled."""
    rows = draw(st.lists(st.tuples(THEMES, st.booleans(), VALUES), max_size=14))
    anchor = (LIMITING, draw(st.booleans()), draw(st.integers(min_value=1, max_value=4)))
    rows = draw(st.permutations([*rows, anchor]))
    return [
        Score(theme=theme, criterion=f"C{i}", imperative=imperative, value=value)
        for i, (theme, imperative, value) in enumerate(rows)
    ]


PROPERTIES = settings(max_examples=200, deadline=None)


@PROPERTIES
@given(score_lists(), st.data())
def test_raising_one_score_never_lowers_the_level_nor_the_judgement(scores, data):
    raisable = [i for i, s in enumerate(scores) if s.value is not None and s.value < 4]
    if not raisable:
        return
    index = data.draw(st.sampled_from(raisable))
    raised = list(scores)
    raised[index] = Score(
        scores[index].theme,
        scores[index].criterion,
        scores[index].imperative,
        scores[index].value + 1,
    )
    before = grade(scores, limiting_theme=LIMITING)
    after = grade(raised, limiting_theme=LIMITING)
    assert LEVEL_RANK[after.level] >= LEVEL_RANK[before.level]
    assert JUDGEMENT_RANK[after.judgement] >= JUDGEMENT_RANK[before.judgement]
    assert after.mean > before.mean


@PROPERTIES
@given(score_lists())
def test_the_overall_judgement_follows_the_mean_unless_the_limiting_theme_is_insuffisant(scores):
    result = grade(scores, limiting_theme=LIMITING)
    limiting = next(t for t in result.themes if t.theme == LIMITING)
    if limiting.judgement == Judgement.INSUFFISANT:
        assert result.judgement == Judgement.INSUFFISANT
        assert result.limited == (judgement_of(result.mean) != Judgement.INSUFFISANT)
    else:
        assert result.judgement == judgement_of(result.mean)
        assert not result.limited


@PROPERTIES
@given(score_lists())
def test_level_a_needs_every_imperative_met_and_an_imperative_at_1_means_d(scores):
    result = grade(scores, limiting_theme=LIMITING)
    if result.level == Level.A:
        assert result.imperatives_not_met == ()
        assert result.mean >= Fraction(7, 2)
        assert all(s.value is None or s.value >= 3 for s in scores if s.imperative)
    if any(s.imperative and s.value == 1 for s in scores):
        assert result.level == Level.D
    if result.imperatives_not_met:
        assert result.level in (Level.C, Level.D)


@PROPERTIES
@given(score_lists(), st.data())
def test_a_non_concerne_criterion_changes_nothing(scores, data):
    scored_themes = sorted({s.theme for s in scores if s.value is not None})
    theme = data.draw(st.sampled_from(scored_themes))
    extra = Score(theme, "NC", imperative=data.draw(st.booleans()), value=None)
    position = data.draw(st.integers(min_value=0, max_value=len(scores)))
    before = grade(scores, limiting_theme=LIMITING)
    after = grade([*scores[:position], extra, *scores[position:]], limiting_theme=LIMITING)
    assert (after.mean, after.judgement, after.level, after.limited) == (
        before.mean,
        before.judgement,
        before.level,
        before.limited,
    )
    assert after.imperatives_not_met == before.imperatives_not_met
    assert set(after.themes) == set(before.themes)


@PROPERTIES
@given(score_lists(), st.randoms(use_true_random=False))
def test_the_grade_does_not_depend_on_the_order_of_the_scores(scores, random):
    shuffled = list(scores)
    random.shuffle(shuffled)
    before = grade(scores, limiting_theme=LIMITING)
    after = grade(shuffled, limiting_theme=LIMITING)
    assert (after.mean, after.judgement, after.level, after.limited) == (
        before.mean,
        before.judgement,
        before.level,
        before.limited,
    )
    assert set(after.themes) == set(before.themes)
    assert sorted(after.imperatives_not_met) == sorted(before.imperatives_not_met)
    assert [t.theme for t in after.themes] == list(dict.fromkeys(s.theme for s in shuffled))
    assert after.imperatives_not_met == tuple(
        s.criterion for s in shuffled if s.imperative and s.value is not None and s.value < 3
    )


@PROPERTIES
@given(score_lists())
def test_the_means_are_exact(scores):
    result = grade(scores, limiting_theme=LIMITING)
    values = [s.value for s in scores if s.value is not None]
    assert result.mean == Fraction(sum(values), len(values))
    for theme in result.themes:
        theme_values = [s.value for s in scores if s.theme == theme.theme and s.value is not None]
        if theme_values:
            assert theme.mean == Fraction(sum(theme_values), len(theme_values))
            assert theme.judgement == judgement_of(theme.mean)
        else:
            assert theme.mean is None and theme.judgement is None
