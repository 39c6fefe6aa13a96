"""Generator step: the control body at national scale (issue of the control body): 30,000
inspections over the 10,000 generated structures across five years (three each, in three
different years), with their findings on every criterion (about 1.26 million), their grades,
required actions for the impératifs not met, the yearly plans of every département and the
alerts behind the reactive inspections. Most are published; those of the last weeks are under
way or waiting for observations.

Reproducible from the seed and resumable: structures are taken in chunks, each in one
transaction, and a structure that already has generated inspections is skipped. COPY on
PostgreSQL.
"""

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.db import transaction

from enfance.accounts.models import Role, User
from enfance.care.national_data import generated_structures
from enfance.core.national_data import (
    GENERATED_EMAIL_DOMAIN,
    analyze,
    format_count,
    insert_rows,
    step,
)

from . import grading
from .enums import ActionKind, ActionStatus, EntrySource, InspectionStatus, Origin
from .models import (
    Alert,
    ControlPlan,
    Criterion,
    Finding,
    Inspection,
    InspectionMember,
    PlanEntry,
    RequiredAction,
)
from .services import current_referentiel

PER_STRUCTURE = 3
YEARS = (2022, 2023, 2024, 2025, 2026)
CONTROLEURS = 60
CHUNK = 250
# The last visits: still under way or waiting for the structure's observations.
LAST_VISITS = date(2026, 10, 15)
CONTROLEUR_EMAIL = "controleur.genere.{n}@" + GENERATED_EMAIL_DOMAIN
REPORT = "Rapport généré pour le banc d'essai : constats, appréciations et suites demandées."


def generated_inspections():
    return Inspection.objects.filter(created_by__email__startswith="controleur.genere.")


def _controleurs() -> list[int]:
    ids = []
    for n in range(1, CONTROLEURS + 1):
        user, _ = User.objects.get_or_create(
            email=CONTROLEUR_EMAIL.format(n=n),
            defaults={"first_name": "Contrôle", "last_name": f"Généré {n}"},
        )
        Role.objects.get_or_create(user=user, kind="controleur", scope_level="national")
        ids.append(user.pk)
    return ids


def _scores(rng, criteria, quality: float) -> list[tuple[Criterion, int | None]]:
    scores = []
    for criterion in criteria:
        if not criterion.theme.limiting and rng.random() < 0.03:
            scores.append((criterion, None))
            continue
        scores.append((criterion, max(1, min(4, round(rng.gauss(quality, 0.7))))))
    return scores


def _visit(rng, year: int) -> date:
    last = date(year, 12, 15) if year < 2026 else date(2026, 11, 30)
    first = date(year, 1, 10)
    return first + timedelta(days=rng.randrange((last - first).days))


def _at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class _Chunk:
    """The rows of one chunk of structures, written together."""

    def __init__(self):
        self.inspections: list[tuple[Inspection, list, dict]] = []
        self.entries: dict[tuple[int, int], PlanEntry] = {}
        self.alerts: list[Alert] = []


def _plan_entry(chunk, plans, structure, year, by) -> PlanEntry:
    key = (structure.pk, year)
    if key not in chunk.entries:
        chunk.entries[key] = PlanEntry(
            plan=plans[(structure.departement_id, year)],
            structure=structure,
            source=EntrySource.PROPOSED,
            risk_score=30,
            risk_reasons=["jamais inspectée (+30)"],
            added_by_id=by,
        )
    return chunk.entries[key]


def _inspection(rng, structure, year, referentiel, criteria, lead, quality, chunk, plans):
    visit = _visit(rng, year)
    draw = rng.random()
    origin = Origin.ALERT if draw < 0.2 else Origin.PLANNED
    scores = _scores(rng, criteria, quality)
    grade = grading.grade(
        (grading.Score(c.theme.code, c.code, c.imperative, v) for c, v in scores),
        limiting_theme=next(c.theme.code for c in criteria if c.theme.limiting),
    )
    status = InspectionStatus.PUBLISHED
    if visit > LAST_VISITS:
        status = rng.choice([InspectionStatus.IN_PROGRESS, InspectionStatus.PROVISIONAL])
    reported = status != InspectionStatus.IN_PROGRESS
    inspection = Inspection(
        structure=structure,
        referentiel=referentiel,
        origin=origin,
        announced=origin == Origin.PLANNED and rng.random() < 0.7,
        joint_with=["departement"] if rng.random() < 0.12 else [],
        visit_on=visit,
        status=status,
        created_by_id=lead,
        created_at=_at(visit - timedelta(days=30)),
        started_at=_at(visit),
        report=REPORT if reported else "",
        provisional_at=_at(visit + timedelta(days=7)) if reported else None,
        observations_due=visit + timedelta(days=22) if reported else None,
        final_at=_at(visit + timedelta(days=35)) if status == InspectionStatus.PUBLISHED else None,
        published_at=_at(visit + timedelta(days=40))
        if status == InspectionStatus.PUBLISHED
        else None,
        mean=Decimal(grade.mean.numerator / grade.mean.denominator).quantize(Decimal("0.01"))
        if reported
        else None,
        judgement=grade.judgement if reported else "",
        level=grade.level if reported else "",
        limited=grade.limited if reported else False,
    )
    if origin == Origin.ALERT:
        alert = Alert(
            structure=structure,
            source=rng.choice(["signalement", "interpellation", "plainte"]),
            summary="Alerte générée pour le banc d'essai.",
            received_on=visit - timedelta(days=rng.randint(3, 20)),
            recorded_by_id=lead,
        )
        chunk.alerts.append(alert)
        sources = {"alert": alert}
    else:
        sources = {"entry": _plan_entry(chunk, plans, structure, year, lead)}
    not_met = set(grade.imperatives_not_met) if reported else set()
    chunk.inspections.append((inspection, scores, {**sources, "not_met": not_met}))


def _write(chunk: _Chunk) -> None:
    PlanEntry.objects.bulk_create(chunk.entries.values())
    Alert.objects.bulk_create(chunk.alerts)
    for inspection, _, extra in chunk.inspections:
        if "entry" in extra:
            inspection.plan_entry = extra["entry"]
        else:
            inspection.alert = extra["alert"]
    Inspection.objects.bulk_create([i for i, _, _ in chunk.inspections], batch_size=1_000)
    members, findings, actions = [], [], []
    for inspection, scores, extra in chunk.inspections:
        members.append(
            {"inspection_id": inspection.pk, "user_id": inspection.created_by_id, "lead": True}
        )
        for criterion, value in scores:
            findings.append(
                {
                    "inspection_id": inspection.pk,
                    "criterion_id": criterion.pk,
                    "score": value,
                    "not_concerned": value is None,
                    "evidence": "",
                    "voices": "",
                    "updated_by_id": inspection.created_by_id,
                    "updated_at": inspection.started_at,
                }
            )
            if criterion.code in extra["not_met"]:
                due = inspection.visit_on + timedelta(days=90)
                accepted = inspection.visit_on < date(2026, 3, 1)
                actions.append(
                    {
                        "inspection_id": inspection.pk,
                        "criterion_id": criterion.pk,
                        "kind": ActionKind.REQUIRED,
                        "text": f"Mettre en œuvre le critère {criterion.code}.",
                        "due_on": due,
                        "status": ActionStatus.ACCEPTED if accepted else ActionStatus.OPEN,
                        "plan": "Plan généré." if accepted else "",
                        "evidence": "",
                        "decision_note": "",
                        "created_by_id": inspection.created_by_id,
                        "created_at": inspection.provisional_at,
                    }
                )
    insert_rows(
        InspectionMember,
        [{**m, "joined_at": _at(date(2022, 1, 1))} for m in members],
    )
    insert_rows(Finding, findings)
    insert_rows(RequiredAction, actions)


@step("inspections", "organe de contrôle : plans, inspections, constats et suites")
def generate_inspections(rng: random.Random, options: dict) -> None:
    log = options["log"]
    referentiel = current_referentiel()
    criteria = list(Criterion.objects.filter(referentiel=referentiel).select_related("theme"))
    controleurs = _controleurs()
    done = set(generated_inspections().values_list("structure_id", flat=True).distinct())
    structures = list(generated_structures().exclude(pk__in=done).order_by("pk"))
    departements = set(generated_structures().values_list("departement_id", flat=True))
    for year in YEARS:
        ControlPlan.objects.bulk_create(
            [ControlPlan(departement_id=d, year=year) for d in departements],
            ignore_conflicts=True,
        )
    plans = {(p.departement_id, p.year): p for p in ControlPlan.objects.filter(year__in=YEARS)}
    total = len(done) * PER_STRUCTURE
    for start in range(0, len(structures), CHUNK):
        chunk = _Chunk()
        for structure in structures[start : start + CHUNK]:
            quality = rng.uniform(1.9, 3.9)
            lead = rng.choice(controleurs)
            for year in sorted(rng.sample(YEARS, PER_STRUCTURE)):
                _inspection(
                    rng, structure, year, referentiel, criteria, lead, quality, chunk, plans
                )
        with transaction.atomic():
            _write(chunk)
        total += len(chunk.inspections)
        log(f"  {format_count(total)} inspections")
    analyze(Inspection, Finding, RequiredAction, PlanEntry, Alert, InspectionMember)
