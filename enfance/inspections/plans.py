"""Yearly control plans and alerts: which structures of a département to inspect this year,
proposed by a risk score that the page explains, adjusted by hand with a reason; and the alerts
that open an unplanned inspection. Every change is checked against the person's rights and
recorded in the event log."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from enfance.care.enums import StructureStatus
from enfance.care.models import PlaceCategory, Structure
from enfance.core.access import permit
from enfance.core.cache import rebuilt_once
from enfance.core.eventlog import record_event
from enfance.core.templatetags.ui import pluriel
from enfance.core.text import bounded_text

from . import perms
from .enums import PUBLIC_STATUSES, AlertSource, EntrySource, InspectionStatus, Level
from .models import (
    ALERT_DAY,
    ALERT_TEXT_MAX,
    FIRST_PLAN_YEAR,
    REASON_MAX,
    Alert,
    ControlPlan,
    Inspection,
    PlanEntry,
    RequiredAction,
)

# The risk score, out of 100 (the plan's page explains each part from these constants).
LEVEL_POINTS = {Level.D: 40, Level.C: 25, Level.B: 10, Level.A: 0}
NEVER_INSPECTED_POINTS = 30
YEARS_SINCE_POINTS = ((3, 20), (2, 10))  # at least 3 years: 20; at least 2: 10
ALERT_POINTS, ALERT_MAX = 15, 30
ALERT_WINDOW_DAYS = 365
STALE_MAX = 20  # the share of place figures unknown now, out of 20
OVERDUE_POINTS, OVERDUE_MAX = 10, 30
# From this day of the plan's year, a structure of the plan without an inspection is late.
LATE_FROM = (7, 1)


@dataclass
class Risk:
    structure_id: int
    structure_name: str
    score: int = 0
    reasons: list[str] = field(default_factory=list)

    def add(self, points: int, reason: str) -> None:
        if points:
            self.score += points
            self.reasons.append(f"{reason} (+{points})")


def _history(structures) -> tuple[dict[int, tuple[str, date]], dict[int, int]]:
    """Each structure's latest published report (level, day of the visit), and which structure
    each of its inspections is of: one query over the département's inspections."""
    latest: dict[int, tuple[str, date]] = {}
    structure_of: dict[int, int] = {}
    rows = (
        Inspection.objects.filter(structure__in=structures)
        .order_by()
        .values_list("pk", "structure_id", "status", "level", "visit_on")
    )
    for pk, structure_id, status, level, visit_on in rows:
        structure_of[pk] = structure_id
        if status in PUBLIC_STATUSES and (
            structure_id not in latest or visit_on > latest[structure_id][1]
        ):
            latest[structure_id] = (level, visit_on)
    return latest, structure_of


def risks(departement, *, today=None) -> list[Risk]:
    """Every validated structure of the département with its risk score, the highest first."""
    today = today or timezone.localdate()
    structures = list(
        Structure.objects.filter(
            departement=departement, status=StructureStatus.VALIDATED
        ).order_by("name")
    )
    latest, structure_of = _history(structures)
    alerts = Counter(
        dict(
            Alert.objects.filter(
                structure__in=structures,
                received_on__gte=today - timedelta(days=ALERT_WINDOW_DAYS),
            )
            .values_list("structure")
            .annotate(n=Count("pk"))
        )
    )
    categories, stale = Counter(), Counter()
    for structure_id, total, unknown in (
        PlaceCategory.objects.filter(structure__in=structures)
        .values_list("structure")
        .annotate(
            total=Count("pk"),
            unknown=Count("pk", filter=~PlaceCategory.objects.fresh_q(timezone.now())),
        )
    ):
        categories[structure_id], stale[structure_id] = total, unknown
    overdue = Counter(
        structure_of[pk]
        for pk in RequiredAction.objects.overdue(today)
        .filter(inspection_id__in=list(structure_of))
        .order_by()
        .values_list("inspection_id", flat=True)
    )
    result = []
    for structure in structures:
        risk = Risk(structure.pk, structure.name)
        if structure.pk in latest:
            level, visited = latest[structure.pk]
            risk.add(LEVEL_POINTS[level], f"dernier niveau {level}")
            years = (today - visited).days / 365.25
            for at_least, points in YEARS_SINCE_POINTS:
                if years >= at_least:
                    risk.add(points, f"dernière inspection il y a plus de {at_least} ans")
                    break
        else:
            risk.add(NEVER_INSPECTED_POINTS, "jamais inspectée")
        if alerts[structure.pk]:
            risk.add(
                min(ALERT_POINTS * alerts[structure.pk], ALERT_MAX),
                f"{alerts[structure.pk]} alerte{pluriel(alerts[structure.pk])} en un an",
            )
        if categories[structure.pk]:
            share = stale[structure.pk] / categories[structure.pk]
            risk.add(round(STALE_MAX * share), f"{round(100 * share)} % de places inconnues")
        if overdue[structure.pk]:
            risk.add(
                min(OVERDUE_POINTS * overdue[structure.pk], OVERDUE_MAX),
                f"{overdue[structure.pk]} action{pluriel(overdue[structure.pk])} "
                f"exigée{pluriel(overdue[structure.pk])} en retard",
            )
        result.append(risk)
    return sorted(result, key=lambda r: (-r.score, r.structure_name))


# The scores a plan's page proposes are shared for this long: they move with each place
# declaration, and a few minutes' lag does not change what a contrôleur plans for the year.
RISKS_FRESH_SECONDS = 600


def shared_risks(departement) -> tuple[list[Risk], str]:
    """The département's risk scores as the plan's page shows them, computed once for every
    contrôleur who opens it within RISKS_FRESH_SECONDS, with the time they were computed."""

    def build():
        return risks(departement), timezone.localtime().strftime("%H:%M")

    return rebuilt_once(
        f"inspections-risks:{departement.pk}",
        build,
        fresh_for=RISKS_FRESH_SECONDS,
        token=timezone.localdate().isoformat(),
    )


def _require_controleur_of(user, departement) -> None:
    permit(
        any(r.covers(departement.region, departement) for r in perms.controleur_roles(user)),
        "Seuls les contrôleurs du département établissent son plan de contrôle.",
    )


def plan_for(departement, year: int, *, by) -> ControlPlan:
    """The département's plan of the year, made the first time a contrôleur opens it."""
    _require_controleur_of(by, departement)
    if not FIRST_PLAN_YEAR <= year <= timezone.localdate().year + 1:
        raise ValidationError("Un plan se prépare pour l'année en cours ou la suivante.")
    plan, created = ControlPlan.objects.get_or_create(
        departement=departement, year=year, defaults={"created_by": by}
    )
    if created:
        record_event(
            by=by,
            action="inspections.plan",
            summary=f"Plan de contrôle {year} ouvert : {departement}",
            target=plan,
        )
    return plan


def add_to_plan(plan: ControlPlan, structure, *, by, reason: str = "") -> PlanEntry:
    """Put a structure in the plan: as the risk score proposes, or by hand with a reason."""
    _require_controleur_of(by, plan.departement)
    if structure.departement_id != plan.departement_id:
        raise ValidationError("Cette structure n'est pas dans le département du plan.")
    if plan.entries.filter(structure=structure).exists():
        raise ValidationError("Cette structure est déjà au plan.")
    risk = next((r for r in risks(plan.departement) if r.structure_id == structure.pk), None)
    if risk is None:
        raise ValidationError("Seules les structures validées entrent dans un plan.")
    proposed = {r.structure_id for r in proposals(plan)}
    reason = bounded_text(
        reason,
        limit=REASON_MAX,
        field="reason",
        label="La raison",
        required=None
        if structure.pk in proposed
        else "Dites pourquoi vous ajoutez cette structure que le score ne propose pas.",
    )
    try:
        with transaction.atomic():
            entry = PlanEntry.objects.create(
                plan=plan,
                structure=structure,
                source=EntrySource.PROPOSED if structure.pk in proposed else EntrySource.BY_HAND,
                risk_score=risk.score,
                risk_reasons=risk.reasons,
                reason=reason,
                added_by=by,
            )
            record_event(
                by=by,
                action="inspections.plan_add",
                summary=f"Ajoutée au plan {plan.year} : {structure} (score {risk.score})",
                target=plan,
                data={"structure": structure.pk, "score": risk.score, "source": entry.source},
            )
    except IntegrityError:
        raise ValidationError("Cette structure est déjà au plan.") from None
    return entry


def withdraw(entry: PlanEntry, *, by, reason: str) -> PlanEntry:
    _require_controleur_of(by, entry.plan.departement)
    if entry.withdrawn_at is not None:
        raise ValidationError("Cette structure est déjà retirée du plan.")
    reason = bounded_text(
        reason,
        limit=REASON_MAX,
        field="reason",
        label="La raison",
        required="Dites pourquoi vous retirez cette structure du plan.",
    )
    with transaction.atomic():
        entry.withdrawn_at, entry.withdrawn_reason, entry.withdrawn_by = timezone.now(), reason, by
        entry.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_by"])
        record_event(
            by=by,
            action="inspections.plan_withdraw",
            summary=f"Retirée du plan {entry.plan.year} : {entry.structure}",
            target=entry.plan,
            data={"structure": entry.structure_id},
        )
    return entry


# How many structures the score proposes beyond those already in the plan.
PROPOSALS = 10


def proposals(plan: ControlPlan, *, today=None, scored=None) -> list[Risk]:
    """The structures the risk score proposes that are not in the plan yet, the riskiest first
    (``scored``: risks already computed, the page's shared ones)."""
    taken = set(plan.entries.values_list("structure_id", flat=True))
    scored = risks(plan.departement, today=today) if scored is None else scored
    return [r for r in scored if r.structure_id not in taken][:PROPOSALS]


@dataclass
class Progress:
    done: int = 0
    scheduled: int = 0
    to_schedule: int = 0
    late: int = 0


DONE = (InspectionStatus.PROVISIONAL, InspectionStatus.FINAL, *PUBLIC_STATUSES)


def entry_state(entry: PlanEntry, *, today) -> str:
    """« réalisée », « programmée », « en retard » or « à programmer »."""
    inspections = [i for i in entry.inspections.all() if i.status != InspectionStatus.CANCELLED]
    if any(i.status in DONE for i in inspections):
        return "réalisée"
    late_from = date(entry.plan.year, *LATE_FROM)
    if inspections:
        visit = min(i.visit_on for i in inspections)
        return (
            "en retard"
            if visit < today and all(i.status == InspectionStatus.SCHEDULED for i in inspections)
            else "programmée"
        )
    return "en retard" if today >= late_from or entry.plan.year < today.year else "à programmer"


def progress(entries, *, today) -> Progress:
    counted = Progress()
    for entry in entries:
        state = entry_state(entry, today=today)
        if state == "réalisée":
            counted.done += 1
        elif state == "programmée":
            counted.scheduled += 1
        elif state == "en retard":
            counted.late += 1
        else:
            counted.to_schedule += 1
    return counted


def record_alert(structure, *, by, source: str, summary: str, received_on) -> Alert:
    """An alert about a structure, recorded by a contrôleur of its territory."""
    permit(
        perms.controls(by, structure),
        "Seuls les contrôleurs du territoire de la structure enregistrent ses alertes.",
    )
    summary = bounded_text(
        summary,
        limit=ALERT_TEXT_MAX,
        field="summary",
        label="Le signalement",
        required="Dites ce qui est signalé, sans aucun nom.",
    )
    if source not in AlertSource.values:
        raise ValidationError({"source": "Choisissez l'origine de l'alerte."})
    ALERT_DAY.check(received_on, field="received_on")
    with transaction.atomic():
        alert = Alert.objects.create(
            structure=structure,
            source=source,
            summary=summary,
            received_on=received_on,
            recorded_by=by,
        )
        record_event(
            by=by,
            action="inspections.alert",
            summary=f"Alerte enregistrée : {alert.get_source_display()} — {structure}",
            target=alert,
            data={"source": source},
        )
    return alert
