"""Generator steps of issue 17: the SCIC, the transfers of competences and the villages de
protection at national scale.

- « scic »: 500 SCIC, each supervised by a generated instance of its département (so about as many
  per département as its population calls for), with its missions, 1 to 5 generated structures of
  its département that it runs (one SCIC at most per structure), four colleges weighing 100 %
  together, 50 to 500 associates in at least four categories (public bodies hold at most half of
  the capital, about 5 % of the associates have left) and 1 to 3 general assemblies.
- « transferts »: 2,000 transfers to the generated instances (some exercised by a SCIC the
  instance supervises), phases 4 and 5, spread over the workflow; the signed ones name a
  convention file; 200,000 € to 40 M€ a year.
- « villages »: 200 validated villages (two or so per département, each département in turn), 3 to
  6 family units each and a year of séjours d'observation around the day of the run, about one a
  week per unit, never two holding the same night of a unit. Past stays are mostly observed (their
  summary encrypted, as a village's would be), some refused or cancelled (their nights given
  back); coming ones are asked for or confirmed.

Nobody is named: associates are numbered lines of a register, families are counts by age band,
no generated row points to a person. The villages carry the care step's generated manager name,
so that they count among its generated structures.

Each SCIC, transfer and village is drawn from its own seeded generator (the step's and its
number): a run stopped halfway completes into what an uninterrupted run makes. The SCIC and the
transfers have fixed dates; the villages' stays follow the day of the run (``options["today"]``
fixes it), as a calendar opened today should show them. Resumable: each step tops up to its
target, one chunk per transaction. COPY on PostgreSQL for the big tables.
"""

import math
import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from enfance.assemblies.national_data import generated_instances
from enfance.core.national_data import analyze, format_count, insert_rows, step
from enfance.territories.models import Commune, Departement

from .enums import (
    SIGNED_TRANSFER_STATUSES,
    AssociateCategory,
    Competence,
    Mission,
    StayRequester,
    StayStatus,
    StructureKind,
    StructureStatus,
    TransferPhase,
    TransferStatus,
)
from .finess import luhn_valid
from .models import (
    Associate,
    College,
    Cooperative,
    CooperativeMission,
    FamilyUnit,
    GeneralAssembly,
    ObservationStay,
    RunStructure,
    StayNight,
    Structure,
    Transfer,
    nights_of,
)
from .national_data import GENERATED_MANAGER, generated_structures

COOPERATIVES = 500
TRANSFERS = 2_000
VILLAGES = 200
COOPERATIVES_CHUNK = 50
TRANSFERS_CHUNK = 500
VILLAGES_CHUNK = 20
COOPERATIVE_PREFIX = "SCIC générée n° "
# The SCIC and transfers are dated before this day (fixed: reproducible whatever the clock).
HISTORY_END = date(2026, 11, 1)
FIRST_REGISTRATION = date(2019, 1, 1)
LAST_REGISTRATION = date(2025, 6, 30)

# Each SCIC's colleges, the categories each takes, and the splits of the votes drawn from (each
# within 10 to 50 %, 100 % together: the law, and PostgreSQL's trigger at commit).
COLLEGES = (
    ("Salariés", (AssociateCategory.EMPLOYEES,)),
    ("Familles et jeunes", (AssociateCategory.BENEFICIARIES,)),
    ("Bénévoles et partenaires", (AssociateCategory.VOLUNTEERS, AssociateCategory.PARTNERS)),
    ("Collectivités et instance", (AssociateCategory.PUBLIC_BODIES, AssociateCategory.INSTANCE)),
)
WEIGHTS = ((30, 30, 20, 20), (25, 35, 20, 20), (30, 25, 25, 20), (40, 30, 15, 15))
# The first lines of every register, never gone: the two categories the law requires and a third.
FIRST_LINES = (
    AssociateCategory.EMPLOYEES,
    AssociateCategory.BENEFICIARIES,
    AssociateCategory.VOLUNTEERS,
)
# The associates drawn freely after them; public bodies and the supervising instance are added
# apart (their shares follow the others').
FREE_CATEGORIES = (
    (AssociateCategory.EMPLOYEES, 35),
    (AssociateCategory.BENEFICIARIES, 45),
    (AssociateCategory.VOLUNTEERS, 12),
    (AssociateCategory.PARTNERS, 8),
)
SHARES = {
    AssociateCategory.EMPLOYEES: (1, 5),
    AssociateCategory.BENEFICIARIES: (1, 1),
    AssociateCategory.VOLUNTEERS: (1, 2),
    AssociateCategory.PARTNERS: (2, 20),
    AssociateCategory.INSTANCE: (1, 5),
}
LINE_NAMES = {
    AssociateCategory.EMPLOYEES: "Salarié n° {n}",
    AssociateCategory.BENEFICIARIES: "Famille accompagnée n° {n}",
    AssociateCategory.VOLUNTEERS: "Bénévole n° {n}",
    AssociateCategory.PARTNERS: "Association partenaire n° {n}",
    AssociateCategory.PUBLIC_BODIES: "Collectivité publique n° {n}",
}
LEFT_SHARE = 0.05
AGENDA = (
    "Approbation des comptes de l'exercice {year} ; rapport d'activité des structures gérées ; "
    "affectation du résultat ; renouvellement du conseil d'administration ; questions diverses."
)

OTHER_COMPETENCES = ("Prévention spécialisée", "Jeunes majeurs", "Médiation familiale")
# In the order of the choices: Competence (foyers first), TransferStatus (proposed first).
COMPETENCE_WEIGHTS = (30, 25, 25, 15, 5)
STATUS_WEIGHTS = (15, 12, 13, 45, 5, 10)
CONVENTION = "transferts/convention-generee.pdf"
BUDGET_MIN, BUDGET_MAX = 200_000, 40_000_000
SUSPENSIONS = (
    "Convention en cours de révision après le contrôle de l'organe de contrôle.",
    "Budget de l'exercice non voté par le département.",
)
ENDINGS = (
    "Compétence reprise par le département à l'échéance de la convention.",
    "Regroupement avec le transfert d'une instance voisine.",
)

TREES = "Tilleuls Érables Noisetiers Chênes Frênes Saules Bouleaux Cerisiers Pommiers Aulnes"
UNIT_NAMES = tuple(f"Maison des {tree}" for tree in TREES.split())
# Coming stays are booked up to this far ahead.
STAYS_AHEAD = timedelta(days=60)
STAYS_BEHIND = timedelta(days=365)
STAY_HOURS = (48, 54, 60, 66, 72)
ARRIVAL_HOURS = (9, 10, 11, 14, 15, 16)
SUMMARIES = (
    "Les échanges entre l'adulte et les enfants ont été chaleureux ; les repas se sont passés "
    "dans le calme. Un accompagnement éducatif à domicile paraît adapté.",
    "Le parent s'est montré attentif aux besoins du plus jeune, plus en difficulté avec l'aîné. "
    "Nous proposons un soutien à la parentalité centré sur l'adolescent.",
    "Les enfants se sont vite sentis en confiance ; les règles de la maison ont été respectées. "
    "Aucun élément n'appelle de mesure de protection en urgence.",
    "Des tensions au coucher, apaisées par l'adulte seul le deuxième soir. Une aide éducative à "
    "domicile et un suivi par la PMI sont recommandés.",
)
REFUSALS = (
    "L'unité est fermée ces jours-là pour des travaux.",
    "La famille compte plus de personnes que l'unité n'en accueille.",
    "L'équipe d'observation n'est pas au complet ces jours-là.",
)


def generated_cooperatives():
    return Cooperative.objects.filter(name__startswith=COOPERATIVE_PREFIX)


def generated_transfers():
    """Transfers to generated instances that nobody proposed: a person's have an author."""
    return Transfer.objects.filter(instance__in=generated_instances(), proposed_by__isnull=True)


def generated_villages():
    return generated_structures().filter(kind=StructureKind.VILLAGE)


def bench_cooperative_id() -> int | None:
    """The generated SCIC with the most associates: the heaviest public page."""
    return (
        generated_cooperatives()
        .annotate(lines=Count("associates"))
        .order_by("-lines", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def bench_village_id(departement_code: str) -> int | None:
    return (
        generated_villages()
        .filter(departement__code=departement_code)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def _with_key(base: str) -> str:
    """``base`` and the one digit that satisfies Luhn's formula (letters of Corsica read as 0)."""
    digits = base.replace("A", "0").replace("B", "0")
    return next(base + str(key) for key in range(10) if luhn_valid(digits + str(key)))


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _seeded(base: int, kind: str, number: int) -> random.Random:
    return random.Random(f"{base}:{kind}:{number}")


# --- SCIC --------------------------------------------------------------------------------------


@step("scic", "SCIC : missions, structures gérées, collèges, sociétaires et assemblées")
def generate_cooperatives(rng: random.Random, options: dict) -> None:
    log = options["log"]
    target = options.get("cooperatives", COOPERATIVES)
    base = rng.getrandbits(64)
    instances = list(
        generated_instances().order_by("slug").values_list("pk", "departement_id", "name")
    )
    if not instances:
        log("  aucune instance générée : lancez d'abord l'étape « instances »")
        return
    done = generated_cooperatives().count()
    # Structures no SCIC runs yet, by département, in a fixed order.
    free: dict[int, list[int]] = {}
    for pk, departement_id in (
        generated_structures()
        .exclude(kind=StructureKind.VILLAGE)
        .filter(run_by__isnull=True)
        .order_by("pk")
        .values_list("pk", "departement_id")
    ):
        free.setdefault(departement_id, []).append(pk)
    names = dict(Departement.objects.values_list("pk", "name"))
    while done < target:
        stop = min(done + COOPERATIVES_CHUNK, target)
        drawn = [
            _draw_cooperative(_seeded(base, "scic", n), n, instances, free, names)
            for n in range(done, stop)
        ]
        with transaction.atomic():
            associates = _write_cooperatives(drawn)
        done = stop
        log(f"  {format_count(done)} SCIC ({format_count(associates)} sociétaires de plus)")
    analyze(Cooperative, CooperativeMission, RunStructure, College, Associate, GeneralAssembly)


def _draw_cooperative(rng, number, instances, free, names) -> dict:
    instance_id, departement_id, instance_name = rng.choice(instances)
    registered_on = _day_between(rng, FIRST_REGISTRATION, LAST_REGISTRATION)
    available = free.get(departement_id, [])
    structures = rng.sample(available, min(rng.randint(1, 5), len(available)))
    for pk in structures:
        available.remove(pk)
    assemblies = []
    for back in range(rng.randint(1, 3)):
        held_on = date(HISTORY_END.year - back, 6, rng.randint(1, 28))
        if held_on > registered_on:
            assemblies.append(held_on)
    return {
        "cooperative": Cooperative(
            name=f"{COOPERATIVE_PREFIX}{number + 1} — {names[departement_id]}",
            siren=_with_key(f"8{number:07d}"),
            registered_on=registered_on,
            departement_id=departement_id,
            instance_id=instance_id,
        ),
        "missions": rng.sample(Mission.values, rng.randint(1, len(Mission.values))),
        "structures": structures,
        "weights": rng.choice(WEIGHTS),
        "associates": _draw_associates(rng, registered_on, instance_name),
        "assemblies": assemblies,
    }


def _draw_associates(rng, registered_on: date, instance_name: str) -> list[dict]:
    """The register: FIRST_LINES, then the others drawn; the supervising instance; public bodies
    last, holding at most a tenth each of what the others hold: never half of the capital."""
    count = rng.randint(50, 500)
    public = rng.randint(1, 4)
    categories, weights = zip(*FREE_CATEGORIES, strict=True)
    free_lines = count - public - 1 - len(FIRST_LINES)
    drawn = [*FIRST_LINES, *rng.choices(categories, weights, k=free_lines)]
    last_joined = HISTORY_END - timedelta(days=60)
    lines, numbers = [], dict.fromkeys(LINE_NAMES, 0)
    for index, category in enumerate(drawn):
        numbers[category] += 1
        joined_on = _day_between(rng, registered_on, last_joined)
        gone = index >= len(FIRST_LINES) and rng.random() < LEFT_SHARE
        low, high = SHARES[category]
        lines.append(
            {
                "category": category,
                "name": LINE_NAMES[category].format(n=numbers[category]),
                "shares": rng.randint(low, high),
                "joined_on": joined_on,
                "left_on": _day_between(rng, joined_on + timedelta(days=30), HISTORY_END)
                if gone
                else None,
            }
        )
    low, high = SHARES[AssociateCategory.INSTANCE]
    lines.append(
        {
            "category": AssociateCategory.INSTANCE,
            "name": instance_name,
            "shares": rng.randint(low, high),
            "joined_on": registered_on,
            "left_on": None,
        }
    )
    others = sum(line["shares"] for line in lines if line["left_on"] is None)
    for n in range(public):
        lines.append(
            {
                "category": AssociateCategory.PUBLIC_BODIES,
                "name": LINE_NAMES[AssociateCategory.PUBLIC_BODIES].format(n=n + 1),
                "shares": max(1, round(others * rng.uniform(0.02, 0.1))),
                "joined_on": registered_on,
                "left_on": None,
            }
        )
    return lines


def _write_cooperatives(drawn: list[dict]) -> int:
    cooperatives = Cooperative.objects.bulk_create([d["cooperative"] for d in drawn])
    CooperativeMission.objects.bulk_create(
        CooperativeMission(cooperative=c, mission=m)
        for c, d in zip(cooperatives, drawn, strict=True)
        for m in d["missions"]
    )
    RunStructure.objects.bulk_create(
        RunStructure(cooperative=c, structure_id=pk)
        for c, d in zip(cooperatives, drawn, strict=True)
        for pk in d["structures"]
    )
    colleges = College.objects.bulk_create(
        College(cooperative=c, name=name, weight=weight)
        for c, d in zip(cooperatives, drawn, strict=True)
        for (name, _), weight in zip(COLLEGES, d["weights"], strict=True)
    )
    college_of = {
        (college.cooperative_id, category): college.pk
        for college, (_, categories) in zip(colleges, COLLEGES * len(drawn), strict=True)
        for category in categories
    }
    rows = [
        {
            "cooperative_id": c.pk,
            "user_id": None,
            "college_id": college_of[c.pk, line["category"]],
            **line,
        }
        for c, d in zip(cooperatives, drawn, strict=True)
        for line in d["associates"]
    ]
    insert_rows(Associate, rows)
    GeneralAssembly.objects.bulk_create(
        GeneralAssembly(
            cooperative=c,
            title=f"Assemblée générale ordinaire {held_on.year}",
            held_on=held_on,
            agenda=AGENDA.format(year=held_on.year - 1),
            convened_at=timezone.make_aware(
                datetime.combine(held_on - timedelta(days=21), time(10))
            ),
        )
        for c, d in zip(cooperatives, drawn, strict=True)
        for held_on in d["assemblies"]
    )
    return len(rows)


# --- Transfers ---------------------------------------------------------------------------------


@step("transferts", "transferts de compétences aux instances et aux SCIC")
def generate_transfers(rng: random.Random, options: dict) -> None:
    log = options["log"]
    target = options.get("transfers", TRANSFERS)
    base = rng.getrandbits(64)
    instances = list(generated_instances().order_by("slug").values_list("pk", "departement_id"))
    if not instances:
        log("  aucune instance générée : lancez d'abord l'étape « instances »")
        return
    supervised: dict[int, list[int]] = {}
    for pk, instance_id in generated_cooperatives().order_by("pk").values_list("pk", "instance"):
        supervised.setdefault(instance_id, []).append(pk)
    done = generated_transfers().count()
    while done < target:
        stop = min(done + TRANSFERS_CHUNK, target)
        with transaction.atomic():
            Transfer.objects.bulk_create(
                _draw_transfer(_seeded(base, "transfert", n), instances, supervised)
                for n in range(done, stop)
            )
        done = stop
        log(f"  {format_count(done)} transferts")
    analyze(Transfer)


def _draw_transfer(rng, instances, supervised) -> Transfer:
    instance_id, departement_id = rng.choice(instances)
    competence = rng.choices(Competence.values, COMPETENCE_WEIGHTS)[0]
    status = rng.choices(TransferStatus.values, STATUS_WEIGHTS)[0]
    started = status in (TransferStatus.EFFECTIVE, TransferStatus.SUSPENDED, TransferStatus.ENDED)
    if started:
        starts_on = _day_between(rng, date(2024, 1, 1), HISTORY_END - timedelta(days=120))
        proposed_on = starts_on - timedelta(days=rng.randint(120, 400))
    else:
        starts_on = _day_between(rng, HISTORY_END + timedelta(days=61), date(2028, 6, 30))
        proposed_on = HISTORY_END - timedelta(days=rng.randint(0, 300))
    if status == TransferStatus.ENDED:
        ends_on = _day_between(rng, starts_on + timedelta(days=90), HISTORY_END)
    elif rng.random() < 0.2:
        ends_on = starts_on + timedelta(days=3 * 365)
    else:
        ends_on = None
    reasons = {TransferStatus.SUSPENDED: SUSPENSIONS, TransferStatus.ENDED: ENDINGS}
    cooperatives = supervised.get(instance_id, [])
    # Budgets spread evenly on a logarithmic scale, to the thousand euros.
    budget = math.exp(rng.uniform(math.log(BUDGET_MIN), math.log(BUDGET_MAX)))
    return Transfer(
        competence=competence,
        competence_detail=rng.choice(OTHER_COMPETENCES) if competence == Competence.OTHER else "",
        departement_id=departement_id,
        instance_id=instance_id,
        cooperative_id=rng.choice(cooperatives) if cooperatives and rng.random() < 0.6 else None,
        phase=TransferPhase.PROGRESSIVE if rng.random() < 0.65 else TransferPhase.NATIONAL,
        starts_on=starts_on,
        ends_on=ends_on,
        yearly_budget=int(round(budget, -3)),
        convention=CONVENTION if status in SIGNED_TRANSFER_STATUSES else "",
        status=status,
        reason=rng.choice(reasons[status]) if status in reasons else "",
        proposed_at=timezone.make_aware(datetime.combine(proposed_on, time(18))),
    )


# --- Villages ----------------------------------------------------------------------------------


@step("villages", "villages de protection, unités familiales et un an de séjours d'observation")
def generate_villages(rng: random.Random, options: dict) -> None:
    log = options["log"]
    target = options.get("villages", VILLAGES)
    today = options.get("today") or timezone.localdate()
    base = rng.getrandbits(64)
    communes: dict[int, list[int]] = {}
    for pk, departement_id in Commune.objects.order_by("code").values_list("pk", "departement_id"):
        communes.setdefault(departement_id, []).append(pk)
    departements = list(
        Departement.objects.filter(pk__in=list(communes)).order_by("code").values_list("pk", "code")
    )
    if not departements:
        log("  aucune commune en base : lancez d'abord l'étape « territoires »")
        return
    done = generated_villages().count()
    stays = nights = 0
    while done < target:
        stop = min(done + VILLAGES_CHUNK, target)
        drawn = [
            _draw_village(_seeded(base, "village", n), n, departements, communes, today)
            for n in range(done, stop)
        ]
        with transaction.atomic():
            made = _write_villages(drawn)
        stays, nights = stays + made[0], nights + made[1]
        done = stop
        log(
            f"  {format_count(done)} villages ({format_count(stays)} séjours, "
            f"{format_count(nights)} nuits réservées)"
        )
    analyze(Structure, FamilyUnit, ObservationStay, StayNight)


def _draw_village(rng, number, departements, communes, today: date) -> dict:
    departement_id, code = departements[number % len(departements)]
    units = [(name, rng.randint(4, 8)) for name in rng.sample(UNIT_NAMES, rng.randint(3, 6))]
    return {
        "village": Structure(
            name=f"Village de protection n° {number + 1}",
            kind=StructureKind.VILLAGE,
            finess=_with_key(f"{code[:2]}9{number:05d}"),
            commune_id=rng.choice(communes[departement_id]),
            departement_id=departement_id,
            authority="departement",
            authorised_on=date(2015 + number % 10, 1 + number % 12, 1),
            authorised_capacity=sum(capacity for _, capacity in units),
            manager_kind="association",
            manager_name=GENERATED_MANAGER,
            age_min=0,
            age_max=17,
            takes_siblings=True,
            status=StructureStatus.VALIDATED,
            validated_at=timezone.make_aware(datetime.combine(date(2025, 1, 6), time(9))),
        ),
        "units": [(name, capacity, _draw_stays(rng, capacity, today)) for name, capacity in units],
    }


def _draw_stays(rng, capacity: int, today: date) -> list[dict]:
    """A unit's stays from a year back to two months ahead, one after the other: each arrives
    at least a day after the previous one left, so no night (nor hour) is held twice."""
    now = timezone.make_aware(datetime.combine(today, time(12)))
    day, last = today - STAYS_BEHIND + timedelta(days=rng.randint(0, 6)), today + STAYS_AHEAD
    stays = []
    while day <= last:
        starts_at = timezone.make_aware(datetime.combine(day, time(rng.choice(ARRIVAL_HOURS))))
        hours = rng.choice(STAY_HOURS)
        ends_at = starts_at + timedelta(hours=hours)
        written_at = ends_at + timedelta(hours=rng.randint(4, 48))
        draw = rng.random()
        if starts_at > now:
            status = StayStatus.REQUESTED if draw < 0.4 else StayStatus.CONFIRMED
        elif written_at > now:
            status = StayStatus.CONFIRMED
        else:
            status = (
                StayStatus.OBSERVED
                if draw < 0.85
                else StayStatus.REFUSED
                if draw < 0.93
                else StayStatus.CANCELLED
            )
        adults = rng.randint(1, 2)
        children = [0, 0, 0, 0]
        for _ in range(rng.randint(1, min(4, capacity - adults))):
            children[rng.randrange(4)] += 1
        observed = status == StayStatus.OBSERVED
        stays.append(
            {
                "requester": StayRequester.ASE if rng.random() < 0.7 else StayRequester.MAGISTRATE,
                "starts_at": starts_at,
                "hours": hours,
                "adults": adults,
                "children_0_2": children[0],
                "children_3_5": children[1],
                "children_6_12": children[2],
                "children_13_17": children[3],
                "status": status,
                "refusal_reason": rng.choice(REFUSALS) if status == StayStatus.REFUSED else "",
                "created_at": min(
                    starts_at - timedelta(days=rng.randint(2, 21)),
                    now - timedelta(hours=rng.randint(1, 72)),
                ),
                "summary": rng.choice(SUMMARIES) if observed else "",
                "summary_at": written_at if observed else None,
            }
        )
        day = timezone.localdate(ends_at) + timedelta(days=rng.randint(2, 6))
    return stays


def _write_villages(drawn: list[dict]) -> tuple[int, int]:
    villages = Structure.objects.bulk_create([d["village"] for d in drawn])
    departement_of = {village.pk: village.departement_id for village in villages}
    units = FamilyUnit.objects.bulk_create(
        FamilyUnit(village=village, name=name, capacity=capacity)
        for village, d in zip(villages, drawn, strict=True)
        for name, capacity, _ in d["units"]
    )
    stays_of = [stays for d in drawn for _, _, stays in d["units"]]
    rows = [
        {
            "village_id": unit.village_id,
            "unit_id": unit.pk,
            "departement_id": departement_of[unit.village_id],
            "requested_by_id": None,
            "summary_by_id": None,
            **stay,
        }
        for unit, stays in zip(units, stays_of, strict=True)
        for stay in stays
    ]
    insert_rows(ObservationStay, rows)
    # COPY gives no ids back: a stay is known by its unit and its arrival.
    ids = {
        (unit_id, starts_at): pk
        for pk, unit_id, starts_at in ObservationStay.objects.filter(
            village__in=villages
        ).values_list("pk", "unit_id", "starts_at")
    }
    nights = [
        {
            "stay_id": ids[row["unit_id"], row["starts_at"]],
            "unit_id": row["unit_id"],
            "night": night,
        }
        for row in rows
        if row["status"] not in (StayStatus.REFUSED, StayStatus.CANCELLED)
        for night in nights_of(row["starts_at"], row["hours"])
    ]
    insert_rows(StayNight, nights)
    return len(rows), len(nights)
