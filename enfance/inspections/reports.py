"""What an inspection's report is made of: its scores, its grade, and the check that its public
text names nobody. Read by the workflow's guards and by the services."""

from django.utils import timezone

from enfance.care.models import StructureManager
from enfance.territories.models import normalize_name

from . import grading
from .enums import ActionKind
from .models import Criterion, Inspection

# A name shorter than this is not looked for in a report (it would match ordinary words).
NAME_MIN = 2


def criteria(inspection: Inspection) -> list[Criterion]:
    """The criteria of the inspection's version, with their themes, read once per object."""
    if not hasattr(inspection, "_criteria"):
        inspection._criteria = list(
            Criterion.objects.filter(referentiel_id=inspection.referentiel_id).select_related(
                "theme"
            )
        )
    return inspection._criteria


def scores(inspection: Inspection) -> list[grading.Score]:
    """One score per criterion of the inspection's version, None where it is not answered or
    « non concerné »."""
    findings = {f.criterion_id: f for f in inspection.findings.all()}
    return [
        grading.Score(
            theme=criterion.theme.code,
            criterion=criterion.code,
            imperative=criterion.imperative,
            value=findings[criterion.pk].value if criterion.pk in findings else None,
        )
        for criterion in criteria(inspection)
    ]


def unanswered(inspection: Inspection) -> int:
    """How many criteria have neither a score nor « non concerné »."""
    answered = {f.criterion_id for f in inspection.findings.all() if f.answered}
    return sum(1 for criterion in criteria(inspection) if criterion.pk not in answered)


def imperatives_without_action(inspection: Inspection) -> list[str]:
    """The impératifs not met (scored 1 or 2) that no required action of the report answers."""
    findings = {f.criterion_id: f for f in inspection.findings.all()}
    covered = set(
        inspection.actions.filter(kind=ActionKind.REQUIRED).values_list("criterion_id", flat=True)
    )
    return [
        c.code
        for c in criteria(inspection)
        if c.imperative
        and c.pk in findings
        and not grading.imperative_met(
            grading.Score(c.theme.code, c.code, True, findings[c.pk].value)
        )
        and c.pk not in covered
    ]


def limiting_theme_code(inspection: Inspection) -> str:
    return next(c.theme.code for c in criteria(inspection) if c.theme.limiting)


def grade_of(inspection: Inspection) -> grading.Grade:
    """The grade of the findings (grading.IncompleteScores when they cannot be graded)."""
    return grading.grade(scores(inspection), limiting_theme=limiting_theme_code(inspection))


def _names(inspection: Inspection) -> list[str]:
    """The proper names of the structure's records: its own name, its gestionnaires'."""
    structure = inspection.structure
    names = [structure.name]
    for first, last in StructureManager.objects.filter(structure=structure).values_list(
        "user__first_name", "user__last_name"
    ):
        names += [f"{first} {last}", last]
    return [name for name in names if len(normalize_name(name)) >= NAME_MIN]


def names_in_report(inspection: Inspection) -> list[str]:
    """The names of the structure's records that its public text (the report, the actions it
    asks) still cites, as written in the records (accents, case and punctuation ignored)."""
    public = [inspection.report, *inspection.actions.values_list("text", flat=True)]
    text = f" {normalize_name(' '.join(public))} "
    found = []
    for name in _names(inspection):
        if f" {normalize_name(name)} " in text and name not in found:
            found.append(name)
    return found


def actions(inspection: Inspection, today=None) -> list:
    """What the report asks, each marked ``overdue_now`` when past its deadline."""
    today = today or timezone.localdate()
    listed = list(inspection.actions.select_related("criterion"))
    for action in listed:
        action.overdue_now = action.is_overdue(today)
    return listed


def detail(inspection: Inspection) -> dict:
    """What a report shows of its grade: each theme's mean and judgement, the impératifs not
    met (the grade kept with the report is recomputed here for its detail)."""
    grade = grade_of(inspection)
    by_code = {c.code: c for c in criteria(inspection)}
    themes = {c.theme.code: c.theme for c in by_code.values()}
    return {
        "themes": [{"grade": t, "theme": themes[t.theme]} for t in grade.themes],
        "imperatives_not_met": [by_code[code] for code in grade.imperatives_not_met],
        "limited": grade.limited,
    }
