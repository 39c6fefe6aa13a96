"""The national-scale dataset of QUALITY.md: the registry of generator steps.

`manage.py generate_national_data` runs the steps, in order. Each module adds its own in its
`national_data.py` (listed in NATIONAL_DATA_MODULES) with the `step` decorator: a function taking
`(rng, options)`, where `rng` is a `random.Random` seeded from `--seed` and the step's name alone
(adding a step never changes what the others generate) and `options` holds the command's options
plus `log`, a function that prints a line of progress. A step must be resumable: run twice, it
completes what is missing and adds nothing twice.

Only fictitious people: first and last names drawn from common French names, addresses in the
domain `exemple.fr`, no child and no real person's data.
"""

import random
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, models
from django.utils.module_loading import import_module

from .crypto import EncryptedTextField

# Order matters: a step may use what an earlier one made.
NATIONAL_DATA_MODULES = [
    "enfance.territories.national_data",
    "enfance.accounts.national_data",
    "enfance.assemblies.national_data",
    "enfance.events.national_data",
    "enfance.proposals.national_data",
    "enfance.interpellations.national_data",
    "enfance.votes.national_data",
    "enfance.petitions.national_data",
    "enfance.practices.national_data",
    "enfance.texts.national_data",
    "enfance.care.national_data",
    "enfance.care.cooperative_national_data",
    "enfance.measures.national_data",
    "enfance.inspections.national_data",
    "enfance.support.national_data",
]

GENERATED_EMAIL_DOMAIN = "exemple.fr"
# Every generated account logs in with this password (one Argon2 hash, computed once): load
# benchmarks need to sign in as ordinary people. The data is fictitious and the command refuses
# to run with DEBUG off unless told to.
DEFAULT_PASSWORD = "Banc-d-essai-national-2025"  # noqa: S105
DEFAULT_USERS = 1_000_000


def format_count(value: int | float) -> str:
    """French grouping of thousands: 1 000 000."""
    return f"{value:,.0f}".replace(",", " ")


def format_seconds(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s".replace(".", ",")
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)} min {rest:04.1f} s".replace(".", ",")


@dataclass(frozen=True)
class Step:
    name: str
    label: str
    run: Callable[[random.Random, dict], None]


STEPS: list[Step] = []


def step(name: str, label: str):
    """Register a generator step; steps run in the order they are registered."""

    def register(func: Callable[[random.Random, dict], None]):
        if any(existing.name == name for existing in STEPS):
            raise ValueError(f"Étape déjà enregistrée : {name}")
        STEPS.append(Step(name=name, label=label, run=func))
        return func

    return register


def insert_rows(model, rows: list[dict]) -> None:
    """Insert generated rows: PostgreSQL COPY (about ten times bulk_create), bulk_create
    elsewhere. Every row has the same keys, the fields' attnames."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create((model(**row) for row in rows), batch_size=2_000)
        return
    fields = [f for f in model._meta.concrete_fields if f.attname in rows[0]]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    # JSON values need Django's adaptation, and encrypted texts their encryption (as a person's
    # would be); choices members become their plain values.
    json_fields = {
        f.attname for f in fields if isinstance(f, models.JSONField | EncryptedTextField)
    }
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(
                [
                    f.get_db_prep_save(row[f.attname], connection)
                    if f.attname in json_fields
                    else getattr(row[f.attname], "value", row[f.attname])
                    for f in fields
                ]
            )


def analyze(*models) -> None:
    """Fresh planner statistics for tables a step has just filled (PostgreSQL): without them the
    planner guesses a few hundred rows and picks scans that cost tens of milliseconds."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def step_rng(seed: int, name: str) -> random.Random:
    return random.Random(f"{seed}:{name}")


def load_steps() -> list[Step]:
    """Every step, in the order of NATIONAL_DATA_MODULES (not the order they were imported in:
    a test may import a later module first)."""
    for module in NATIONAL_DATA_MODULES:
        import_module(module)
    rank = {module: index for index, module in enumerate(NATIONAL_DATA_MODULES)}
    return sorted(STEPS, key=lambda s: rank.get(s.run.__module__, len(rank)))


@contextmanager
def without_secondary_indexes(*models, keep_unique: bool = False):
    """Inside a transaction on PostgreSQL: drop the secondary indexes of these tables (and the
    unique constraints they back) and build them again on exit. Building an index once, sorted,
    is several times faster than keeping it up to date through millions of inserts (3 million
    votes' marks: 24 s with their indexes, 9 s without and built after). Primary keys stay (other
    tables' foreign keys need them). DDL is transactional: if the load fails, the rollback puts
    the indexes back with the rows gone. ``keep_unique`` keeps the unique ones (an upsert needs
    them)."""
    if not connection.in_atomic_block:
        raise RuntimeError("without_secondary_indexes() needs a transaction")
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indrelid::regclass::text, i.indexrelid::regclass::text,
                c.conname, pg_get_constraintdef(c.oid), pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid
                AND c.conrelid = i.indrelid AND c.contype IN ('u', 'x')
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary
                AND NOT (%s AND i.indisunique)
            ORDER BY 1, 2""",
            [tables, keep_unique],
        )
        indexes = cursor.fetchall()
        for table, index, constraint, _, _ in indexes:
            if constraint:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}")
            else:
                cursor.execute(f"DROP INDEX {index}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for table, _, constraint, constraint_sql, index_sql in indexes:
            if constraint:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {constraint} {constraint_sql}")
            else:
                cursor.execute(index_sql)


def skip_row_triggers_if_allowed() -> None:
    """Foreign keys are checked row by row at commit: for 2,000,000 supports and 500,000
    comments, half the time of this step (and most of a chunk of votes). A superuser (the
    benchmark database) loads without them; the rows reference only what the step has just
    created or read, and the steps' tests check them with the constraints on (SQLite)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")
