"""The grading of an inspection: pure functions, no database.

The rules, in plain English (a public page explains them in French from the constants below):

1. The inspector scores each criterion of the référentiel from 1 to 4, or marks it
   « non concerné ». A « non concerné » criterion counts for nothing: it is left out of every mean.
2. Means are exact fractions, and they are compared with the thresholds exactly (no rounding).
3. A mean gives a judgement: from 7/2 « très bien », from 3 « bien », from 2 « à améliorer »,
   below 2 « insuffisant » (TRES_BIEN_FROM, BIEN_FROM, A_AMELIORER_FROM).
4. Each theme is judged on the mean of its scored criteria.
5. The overall judgement is that of the mean of all the scored criteria, except that it is
   « insuffisant » whenever the limiting theme (how well children are helped and protected) is
   judged « insuffisant », however good the other themes are.
6. An imperative criterion (« impératif ») is met when it is scored 3 or 4 (IMPERATIVE_MET_FROM),
   or when it is « non concerné »; scored 1 or 2, it is not met.
7. The level of the home, from A (best) to D:
   D if the overall mean is below 2 or if any imperative criterion is scored 1 (LEVEL_D_SCORE);
   otherwise C if the overall mean is below 3 or if any imperative criterion is not met;
   otherwise B if the overall mean is below 7/2; otherwise A.
8. A grade is refused when no criterion is scored, when the limiting theme has no scored
   criterion, when a score is not 1 to 4 (nor « non concerné »), or when a criterion is scored
   twice.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from enfance.inspections.enums import Judgement, Level

MIN_SCORE = 1
MAX_SCORE = 4

# The lowest mean for each judgement (rule 3); the level uses the same thresholds (rule 7).
TRES_BIEN_FROM = Fraction(7, 2)
BIEN_FROM = Fraction(3)
A_AMELIORER_FROM = Fraction(2)
JUDGEMENT_THRESHOLDS: tuple[tuple[Fraction, Judgement], ...] = (
    (TRES_BIEN_FROM, Judgement.TRES_BIEN),
    (BIEN_FROM, Judgement.BIEN),
    (A_AMELIORER_FROM, Judgement.A_AMELIORER),
)
BELOW_THRESHOLDS = Judgement.INSUFFISANT

# Rule 5: the judgement of the limiting theme that makes the overall judgement « insuffisant ».
LIMITING_JUDGEMENT = Judgement.INSUFFISANT

# Rule 6: an imperative criterion is met from this score (or when it is « non concerné »).
IMPERATIVE_MET_FROM = 3

# Rule 7: an imperative criterion scored this puts the home at level D.
LEVEL_D_SCORE = 1
LEVEL_D_BELOW = A_AMELIORER_FROM
LEVEL_C_BELOW = BIEN_FROM
LEVEL_B_BELOW = TRES_BIEN_FROM

# Rule 8: why a grade is refused.
NO_SCORE = "Aucun critère n'est noté : notez au moins un critère."
LIMITING_THEME_NOT_SCORED = "Le thème limitant doit avoir au moins un critère noté."
SCORE_OUT_OF_RANGE = "Une note va de 1 à 4, ou « non concerné »."
SCORED_TWICE = "Un critère est noté deux fois."


class IncompleteScores(ValueError):
    """The scores cannot be graded; args[0] says why, in French."""


@dataclass(frozen=True)
class Score:
    theme: str  # theme code
    criterion: str  # criterion code
    imperative: bool
    value: int | None  # 1..4, None = non concerné


@dataclass(frozen=True)
class ThemeGrade:
    theme: str
    mean: Fraction | None  # exact mean of the scored criteria of the theme; None if none scored
    judgement: Judgement | None


@dataclass(frozen=True)
class Grade:
    themes: tuple[ThemeGrade, ...]  # in the order themes first appear in the scores
    mean: Fraction  # exact mean of all scored criteria
    judgement: Judgement  # overall
    level: Level  # A-D
    imperatives_not_met: tuple[str, ...]  # criterion codes, in input order
    limited: bool  # the limiting theme made the judgement « insuffisant », the mean alone would not


def judgement_of(mean: Fraction) -> Judgement:
    """Rule 3: the judgement that a mean gives."""
    for threshold, judgement in JUDGEMENT_THRESHOLDS:
        if mean >= threshold:
            return judgement
    return BELOW_THRESHOLDS


def imperative_met(score: Score) -> bool:
    """Rule 6 (whether the criterion is imperative or not)."""
    return score.value is None or score.value >= IMPERATIVE_MET_FROM


def _mean(values: list[int]) -> Fraction | None:
    return Fraction(sum(values), len(values)) if values else None


def _check(scores: list[Score]) -> None:
    seen: set[str] = set()
    for score in scores:
        value = score.value
        if value is not None and (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not MIN_SCORE <= value <= MAX_SCORE
        ):
            raise IncompleteScores(SCORE_OUT_OF_RANGE)
        if score.criterion in seen:
            raise IncompleteScores(SCORED_TWICE)
        seen.add(score.criterion)


def _level(mean: Fraction, imperatives: list[Score]) -> Level:
    if mean < LEVEL_D_BELOW or any(s.value == LEVEL_D_SCORE for s in imperatives):
        return Level.D
    if mean < LEVEL_C_BELOW or not all(imperative_met(s) for s in imperatives):
        return Level.C
    if mean < LEVEL_B_BELOW:
        return Level.B
    return Level.A


def grade(scores: Iterable[Score], *, limiting_theme: str) -> Grade:
    """Grade an inspection (rules 1 to 8); raise IncompleteScores when it cannot be graded."""
    scores = list(scores)
    _check(scores)
    by_theme: dict[str, list[int]] = {}
    for score in scores:
        values = by_theme.setdefault(score.theme, [])
        if score.value is not None:
            values.append(score.value)
    all_values = [value for values in by_theme.values() for value in values]
    if not all_values:
        raise IncompleteScores(NO_SCORE)
    if not by_theme.get(limiting_theme):
        raise IncompleteScores(LIMITING_THEME_NOT_SCORED)

    themes = []
    for theme, values in by_theme.items():
        theme_mean = _mean(values)
        themes.append(
            ThemeGrade(
                theme=theme,
                mean=theme_mean,
                judgement=None if theme_mean is None else judgement_of(theme_mean),
            )
        )
    limiting_judgement = judgement_of(_mean(by_theme[limiting_theme]))

    mean = _mean(all_values)
    by_mean = judgement_of(mean)
    judgement = LIMITING_JUDGEMENT if limiting_judgement == LIMITING_JUDGEMENT else by_mean
    imperatives = [score for score in scores if score.imperative]
    return Grade(
        themes=tuple(themes),
        mean=mean,
        judgement=judgement,
        level=_level(mean, imperatives),
        imperatives_not_met=tuple(s.criterion for s in imperatives if not imperative_met(s)),
        limited=judgement != by_mean,
    )


WORKED_EXAMPLE_LIMITING_THEME = "securite"


def worked_example() -> tuple[list[Score], Grade]:
    """A small inspection for the public page, in the référentiel's own codes, showing the
    limiting rule and the imperative rule.

    The overall mean is exactly 3 (« bien » by the mean alone), but the limiting theme « securite »
    has a mean of 3/2 (« insuffisant »), so the overall judgement is « insuffisant ». The imperative
    criterion securite.2 is scored 2, so it is not met and the level is C rather than B. The
    « non concerné » criterion cadre.4 counts for nothing.
    """
    scores = [
        Score(theme="securite", criterion="securite.1", imperative=False, value=1),
        Score(theme="securite", criterion="securite.2", imperative=True, value=2),
        Score(theme="parcours", criterion="parcours.1", imperative=False, value=4),
        Score(theme="parcours", criterion="parcours.2", imperative=False, value=4),
        Score(theme="parcours", criterion="parcours.3", imperative=False, value=3),
        Score(theme="cadre", criterion="cadre.2", imperative=False, value=4),
        Score(theme="cadre", criterion="cadre.3", imperative=False, value=3),
        Score(theme="cadre", criterion="cadre.4", imperative=False, value=None),
    ]
    return scores, grade(scores, limiting_theme=WORKED_EXAMPLE_LIMITING_THEME)
