"""Generator step: 2,000,000 petition signatures (see enfance.core.national_data).

Fictitious signatories (`petition.N@exemple.fr`), each in a commune drawn in proportion to its
population, so the départements are spread as the population is; 92 % confirmed. Written with
PostgreSQL COPY, one chunk per transaction (the unit of resumption), then the per-département
counters are rebuilt from the rows (services.recount).
"""

import random
import time
from datetime import UTC, datetime, timedelta

from django.core.management.base import CommandError
from django.db import connection, transaction

from enfance.accounts.national_data import FIRST_NAMES, LAST_NAMES
from enfance.core.national_data import (
    GENERATED_EMAIL_DOMAIN,
    format_count,
    format_seconds,
    step,
)
from enfance.territories.models import Commune

from . import services
from .content import ensure_petition
from .models import Signature

SIGNATURES_TARGET = 2_000_000
SIGNATURES_CHUNK = 100_000
CONFIRMED_SHARE = 0.92
# Signed over the petition's first year; fixed dates, not "now": the same seed, the same data.
SIGNED_FROM = datetime(2025, 9, 1, 8, tzinfo=UTC)
SIGNED_SPAN_SECONDS = 365 * 24 * 3600
EMAIL_PREFIX = "petition."


def generated_signatures(petition):
    return Signature.objects.filter(
        petition=petition,
        email_normalized__startswith=EMAIL_PREFIX,
        email_normalized__endswith=f"@{GENERATED_EMAIL_DOMAIN}",
    )


def _communes():
    rows = list(Commune.objects.order_by("code").values_list("id", "departement_id", "population"))
    if not rows:
        raise CommandError("Aucune commune en base : lancer d'abord l'étape « territoires ».")
    cum_weights, total = [], 0
    for *_, population in rows:
        total += max(population or 0, 1)
        cum_weights.append(total)
    return rows, cum_weights


def _chunk_rows(seed: int, chunk: int, start: int, stop: int, petition_id: int, communes):
    """Signatures number `start` to `stop - 1`; the whole chunk is drawn from its own seed."""
    rng = random.Random(f"{seed}:signatures:{chunk}")
    commune_rows, cum_weights = communes
    first = chunk * SIGNATURES_CHUNK
    places = rng.choices(commune_rows, cum_weights=cum_weights, k=SIGNATURES_CHUNK)
    rows = []
    for i in range(SIGNATURES_CHUNK):
        number = first + i
        created = SIGNED_FROM + timedelta(seconds=rng.randrange(SIGNED_SPAN_SECONDS))
        confirmed = created + timedelta(minutes=rng.randint(1, 600))
        is_confirmed = rng.random() < CONFIRMED_SHARE
        first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        if number < start or number >= stop:
            continue
        email = f"{EMAIL_PREFIX}{number + 1}@{GENERATED_EMAIL_DOMAIN}"
        commune_id, departement_id, _ = places[i]
        rows.append(
            (
                petition_id,
                first_name,
                last_name,
                email,
                email,
                commune_id,
                departement_id,
                created,
                confirmed if is_confirmed else None,
                False,
                created,
            )
        )
    return rows


COLUMNS = (
    "petition_id, first_name, last_name, email, email_normalized, commune_id, departement_id,"
    " created_at, confirmed_at, email_pending, emailed_at"
)


def _insert(rows) -> None:
    table = connection.ops.quote_name(Signature._meta.db_table)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({COLUMNS}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
    else:
        names = [c.strip() for c in COLUMNS.split(",")]
        Signature.objects.bulk_create(
            (Signature(**dict(zip(names, row, strict=True))) for row in rows), batch_size=2_000
        )


@step("signatures", "Signatures de la pétition")
def generate_signatures(rng: random.Random, options: dict) -> None:
    log = options["log"]
    target = options.get("signatures", SIGNATURES_TARGET)
    petition = ensure_petition()
    existing = generated_signatures(petition).count()
    if existing >= target:
        log(f"  {format_count(existing)} signatures générées déjà présentes : rien à faire")
        return
    if existing:
        log(f"  reprise : {format_count(existing)} signatures déjà présentes")
    communes = _communes()
    started = time.monotonic()
    done = existing
    while done < target:
        chunk = done // SIGNATURES_CHUNK
        stop = min((chunk + 1) * SIGNATURES_CHUNK, target)
        rows = _chunk_rows(options["seed"], chunk, done, stop, petition.pk, communes)
        with transaction.atomic():
            _insert(rows)
        done = stop
        log(
            f"  {format_count(done)} / {format_count(target)} signatures"
            f" ({format_seconds(time.monotonic() - started)})"
        )
    services.recount(petition)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(Signature._meta.db_table)}")
    log(f"  {format_count(services.counts(petition).online)} signatures confirmées au compteur")
