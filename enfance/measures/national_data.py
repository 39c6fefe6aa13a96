"""Generator step: 400,000 measures across every département, so that the public page, the
map, the downloads and a département's follow-up are measured at a believable scale.

Each département gets a share of the measures, more or less quick to start (its own pace);
orders are spread over two years from fixed dates (not "now": the same seed gives the same
data), a measure starts after a delay that depends on its type, or still waits at the end of
the story. One transaction per chunk of 10,000 (the unit of resumption: a chunk is there whole
or not at all); COPY on PostgreSQL, bulk_create elsewhere.
"""

import hashlib
import hmac
import random
from datetime import UTC, date, datetime, timedelta

from django.core.management.base import CommandError
from django.db import transaction

from enfance.core.cache import bump_on_commit
from enfance.core.national_data import analyze, format_count, insert_rows, step
from enfance.territories.models import Departement

from . import services
from .demo import AGES, KINDS
from .models import Measure

TARGET = 400_000
CHUNK = 10_000
SPAN_START = date(2024, 12, 1)
SPAN_DAYS = 730
# Measures that would start after this day still wait in the generated story.
STORY_DAY = date(2026, 11, 30)
CREATED_AT = datetime(2026, 12, 1, 6, tzinfo=UTC)


def generated_reference(n: int) -> str:
    return f"GEN-{n:07d}"


def _paces(seed, departements) -> dict[int, float]:
    rng = random.Random(f"{seed}:measures:paces")
    return {pk: 0.6 + rng.random() * 1.2 for pk, _ in departements}


def _rows(seed, chunk, departements, paces, key) -> list[dict]:
    rng = random.Random(f"{seed}:measures:{chunk}")
    kinds, kind_weights = list(KINDS), [weight for _, weight in KINDS.values()]
    ages, age_weights = list(AGES), list(AGES.values())
    rows = []
    for n in range(chunk * CHUNK, (chunk + 1) * CHUNK):
        departement_id, code = rng.choice(departements)
        kind = rng.choices(kinds, kind_weights)[0]
        ordered_on = SPAN_START + timedelta(days=rng.randrange(SPAN_DAYS))
        delay = int(KINDS[kind][0] * paces[departement_id] * rng.lognormvariate(0, 0.6))
        started_on = ordered_on + timedelta(days=delay)
        if started_on > STORY_DAY:
            started_on = None
        message = f"{code}:{generated_reference(n)}".encode()
        rows.append(
            {
                "departement_id": departement_id,
                "reference_hash": hmac.new(key, message, hashlib.sha256).hexdigest(),
                "kind": kind.value,
                "age_band": rng.choices(ages, age_weights)[0],
                "ordered_on": ordered_on,
                "started_on": started_on,
                "delay_days": services.delay(ordered_on, started_on),
                "created_at": CREATED_AT,
                "updated_at": CREATED_AT,
            }
        )
    return rows


def _present(rows) -> bool:
    """Whether a chunk is already there (its first row: a chunk is written whole)."""
    first = rows[0]
    return Measure.objects.filter(
        departement_id=first["departement_id"], reference_hash=first["reference_hash"]
    ).exists()


@step("measures", "Délais d'exécution des mesures")
def generate_measures(rng: random.Random, options: dict) -> None:
    log = options["log"]
    target = options.get("measures", TARGET)
    departements = list(Departement.objects.order_by("code").values_list("pk", "code"))
    if not departements:
        raise CommandError("Aucun département : lancer d'abord l'étape « territoires ».")
    paces = _paces(options["seed"], departements)
    key = services.reference_key()
    chunks = -(-target // CHUNK)
    added = 0
    for chunk in range(chunks):
        rows = _rows(options["seed"], chunk, departements, paces, key)
        rows = rows[: target - chunk * CHUNK]
        if _present(rows):
            continue
        with transaction.atomic():
            insert_rows(Measure, rows)
            bump_on_commit(services.VERSION)
        added += len(rows)
        log(f"  {format_count(min((chunk + 1) * CHUNK, target))} / {format_count(target)} mesures")
    if added:
        analyze(Measure)
    if not added:
        log(f"  {format_count(target)} mesures générées déjà présentes : rien à faire")
