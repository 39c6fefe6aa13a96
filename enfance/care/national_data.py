"""Generator step: the care network at national scale (issue of places and waiting times):
10,000 structures d'accueil across every département, 40,000 categories of places, a year of
weekly declarations (about two million rows: the occupancy over time), every département taking
part. The current figures are declared within the last day and a half before the run, so that a
search finds about two thirds of them fresh and the others unknown, as on a real morning.

Reproducible from the seed when run at once (the dates of the history are fixed; only the current
figures follow the clock) and resumable: structures are added up to the target in chunks, each
with its categories and history in one transaction. COPY on PostgreSQL.
"""

import random
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from enfance.core.national_data import format_count, insert_rows, step
from enfance.territories.models import Commune, Departement

from .enums import AgeBand, DeclarationSource, PlaceType, StructureKind, StructureStatus
from .finess import luhn_valid
from .models import DepartementParticipation, PlaceCategory, PlaceDeclaration, Structure

TARGET = 10_000
CATEGORIES_PER_STRUCTURE = 4
WEEKS = 52
CHUNK = 500
GENERATED_MANAGER = "Gestionnaire généré"
HISTORY_END = datetime(2026, 11, 2, 9, tzinfo=UTC)
JOINED_ON = date(2026, 11, 2)
KINDS = [
    (StructureKind.MECS, 40),
    (StructureKind.FOYER_ENFANCE, 10),
    (StructureKind.LVA, 15),
    (StructureKind.PLACEMENT_FAMILIAL, 15),
    (StructureKind.POUPONNIERE, 5),
    (StructureKind.MILIEU_OUVERT, 10),
    (StructureKind.ACCUEIL_JOUR, 5),
]
TYPES_OF = {
    StructureKind.MILIEU_OUVERT: [PlaceType.MESURES],
    StructureKind.ACCUEIL_JOUR: [PlaceType.ACCUEIL_JOUR],
    StructureKind.PLACEMENT_FAMILIAL: [PlaceType.PLACEMENT_FAMILIAL],
    StructureKind.POUPONNIERE: [PlaceType.INTERNAT, PlaceType.URGENCE],
}
DEFAULT_TYPES = [PlaceType.INTERNAT, PlaceType.URGENCE, PlaceType.SEMI_AUTONOMIE]


def generated_structures():
    return Structure.objects.filter(manager_name=GENERATED_MANAGER)


def _finess(departement_code: str, index: int) -> str:
    base = f"{departement_code[:2]}{index:06d}"
    return next(
        base + str(key)
        for key in range(10)
        if luhn_valid(base.replace("A", "0").replace("B", "0") + str(key))
    )


@step("accueil", "structures d'accueil, catégories de places et un an de déclarations")
def generate_care(rng: random.Random, options: dict) -> None:
    log = options["log"]
    target = options.get("structures", TARGET)
    weeks = options.get("care_weeks", WEEKS)
    departements = list(Departement.objects.order_by("code").values_list("pk", "code"))
    communes: dict[int, list[int]] = {}
    for pk, departement_id in Commune.objects.order_by("code").values_list("pk", "departement_id"):
        communes.setdefault(departement_id, []).append(pk)
    departements = [(pk, code) for pk, code in departements if communes.get(pk)]
    DepartementParticipation.objects.bulk_create(
        [
            DepartementParticipation(departement_id=pk, joined_on=JOINED_ON)
            for pk, _ in departements
        ],
        ignore_conflicts=True,
    )
    done = generated_structures().count()
    now = timezone.now()
    kinds, weights = zip(*KINDS, strict=True)
    bands = list(AgeBand.values)
    while done < target:
        count = min(CHUNK, target - done)
        with transaction.atomic():
            structures = []
            for index in range(done, done + count):
                departement_id, code = departements[index % len(departements)]
                kind = rng.choices(kinds, weights)[0]
                structures.append(
                    Structure(
                        name=f"{StructureKind(kind).label.split(' (')[0]} n° {index + 1}",
                        kind=kind,
                        finess=_finess(code, index),
                        commune_id=rng.choice(communes[departement_id]),
                        departement_id=departement_id,
                        authority="departement",
                        authorised_on=date(1990 + index % 35, 1 + index % 12, 1),
                        authorised_capacity=200 if kind == StructureKind.MILIEU_OUVERT else 60,
                        manager_kind="association",
                        manager_name=GENERATED_MANAGER,
                        age_min=0,
                        age_max=17,
                        takes_siblings=rng.random() < 0.6,
                        takes_urgent=kind == StructureKind.FOYER_ENFANCE,
                        status=StructureStatus.VALIDATED,
                    )
                )
            Structure.objects.bulk_create(structures)
            created = list(generated_structures().order_by("-pk")[:count])[::-1]
            categories = []
            for structure in created:
                types = TYPES_OF.get(structure.kind, DEFAULT_TYPES)
                kinds_made = set()
                for _ in range(CATEGORIES_PER_STRUCTURE):
                    key = (
                        rng.choice(types),
                        rng.choice(bands),
                        rng.random() < 0.5,
                        rng.random() < 0.15,
                    )
                    if key in kinds_made:
                        continue
                    kinds_made.add(key)
                    capacity = rng.randint(4, 15)
                    free = rng.randint(0, min(3, capacity))
                    categories.append(
                        PlaceCategory(
                            structure=structure,
                            place_type=key[0],
                            age_band=key[1],
                            siblings=key[2],
                            disability=key[3],
                            capacity=capacity,
                            closed=0,
                            free=free,
                            declared_at=now - timedelta(minutes=rng.randint(0, 36 * 60)),
                        )
                    )
            PlaceCategory.objects.bulk_create(categories)
            history = [
                {
                    "category_id": category.pk,
                    "free": rng.randint(0, min(3, category.capacity)),
                    "closed": 0,
                    "capacity": category.capacity,
                    "declared_at": HISTORY_END - timedelta(weeks=week, minutes=rng.randint(0, 600)),
                    "declared_by_id": None,
                    "source": DeclarationSource.PAGE,
                }
                for category in categories
                for week in range(weeks, 0, -1)
            ]
            insert_rows(PlaceDeclaration, history)
        done += count
        log(f"  {format_count(done)} structures, {format_count(len(history))} déclarations de plus")
