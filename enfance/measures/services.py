"""What people do with measures: record one, import a file. Each function checks the person's
right, writes in one transaction, logs the event and bumps the cache of the public figures.

The département's reference of a measure is hashed here and nowhere else (``reference_hash``):
HMAC-SHA256 under a key that is not in the database, the département's code in the message (the
same reference in two départements gives two unrelated hashes). With
``settings.MEASURES_REFERENCE_KEY`` the key is that setting; without it, it is derived from
``SECRET_KEY``: changing that key makes every measure look new at the next import.
"""

import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from enfance.core.cache import bump_on_commit
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text
from enfance.territories.models import Departement

from . import csv_import
from .enums import AgeBand, MeasureKind
from .models import ORDER_DAY, REFERENCE_MAX, START_DAY, Measure, MeasureImport
from .perms import can_record_measures

# The version of everything the public pages show (core.cache): bumped by every write.
VERSION = "measures"
BATCH = 2_000
# The fields an import or a new record may change on a measure.
UPDATED_FIELDS = ("kind", "age_band", "ordered_on", "started_on", "delay_days", "updated_at")


def reference_key() -> bytes:
    dedicated = getattr(settings, "MEASURES_REFERENCE_KEY", "")
    if dedicated:
        return dedicated.encode()
    return hashlib.sha256(f"enfance.measures.reference:{settings.SECRET_KEY}".encode()).digest()


def reference_hash(departement_code: str, reference: str) -> str:
    """The keyed hash of a département's reference (hex digest, 64 characters)."""
    message = f"{departement_code}:{reference.strip()}".encode()
    return hmac.new(reference_key(), message, hashlib.sha256).hexdigest()


def _hasher(departement_code: str):
    """The same hash, for many references: the key derived once."""
    key = reference_key()

    def hashed(reference: str) -> str:
        message = f"{departement_code}:{reference.strip()}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    return hashed


def delay(ordered_on: date, started_on: date | None) -> int | None:
    return (started_on - ordered_on).days if started_on is not None else None


def _require_recorder(user, departement) -> None:
    if not can_record_measures(user, departement):
        raise PermissionDenied(
            "Seuls les services du département enregistrent les mesures de leur département."
        )


def _one_writer_at_a_time(departement) -> None:
    """Writes of one département's measures wait for each other (a lock on its row, until the
    transaction ends): two imports of the same file at once would both see a reference as new
    and the second would fail on the unique constraint. SQLite's write transactions are
    already one at a time."""
    list(Departement.objects.select_for_update().filter(pk=departement.pk).values_list("pk"))


# --- One measure ----------------------------------------------------------------------------


def _checked(kind, age_band, ordered_on, started_on, today) -> None:
    errors = {}
    if kind not in MeasureKind.values:
        errors["kind"] = "Choisissez le type de la mesure."
    if age_band not in AgeBand.values:
        errors["age_band"] = "Choisissez la tranche d'âge de l'enfant."
    if ordered_on is None:
        errors["ordered_on"] = "Indiquez la date de la décision."
    for name, bounds, day in (
        ("ordered_on", ORDER_DAY, ordered_on),
        ("started_on", START_DAY, started_on),
    ):
        refusal = bounds.refusal(day, today) if day is not None else None
        if refusal and name not in errors:
            errors[name] = refusal[1]
    if not errors and started_on is not None and started_on < ordered_on:
        errors["started_on"] = "La mesure ne peut pas débuter avant la date de la décision."
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class Recorded:
    measure: Measure
    created: bool
    changed: bool


@transaction.atomic
def record_measure(
    departement,
    *,
    by,
    reference: str,
    kind: str,
    age_band: str,
    ordered_on: date,
    started_on: date | None = None,
) -> Recorded:
    """Record one measure, or update the one with the same reference."""
    _require_recorder(by, departement)
    _one_writer_at_a_time(departement)
    reference = bounded_text(
        reference,
        limit=REFERENCE_MAX,
        field="reference",
        label="Référence",
        required="Indiquez la référence de la mesure dans votre logiciel.",
    )
    today = timezone.localdate()
    _checked(kind, age_band, ordered_on, started_on, today)
    values = {
        "kind": kind,
        "age_band": age_band,
        "ordered_on": ordered_on,
        "started_on": started_on,
        "delay_days": delay(ordered_on, started_on),
    }
    hashed = reference_hash(departement.code, reference)
    measure = (
        Measure.objects.select_for_update()
        .filter(departement=departement, reference_hash=hashed)
        .first()
    )
    created = measure is None
    changed = False
    if created:
        measure = Measure.objects.create(departement=departement, reference_hash=hashed, **values)
    else:
        changed = any(getattr(measure, name) != value for name, value in values.items())
        if changed:
            for name, value in values.items():
                setattr(measure, name, value)
            measure.updated_at = timezone.now()
            measure.save(update_fields=UPDATED_FIELDS)
    if created or changed:
        what = "enregistrée" if created else "modifiée"
        record_event(
            by=by,
            action="measures.record",
            summary=f"Mesure {what} ({measure.get_kind_display()}, département {departement.code})",
            target=measure,
            data={"departement": departement.code, "created": created, **values},
        )
        bump_on_commit(VERSION)
    return Recorded(measure, created, changed)


# --- A file -----------------------------------------------------------------------------------


@dataclass
class ImportReport:
    record: MeasureImport
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    refused: int = 0
    refusals: list[csv_import.Refusal] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.created + self.changed + self.unchanged + self.refused


def _plan(departement, rows: list[csv_import.Row], now):
    """The measures to create and those to replace: one query reads every existing hash."""
    hashed = _hasher(departement.code)
    existing = {
        values[0]: values
        for values in Measure.objects.filter(departement=departement).values_list(
            "reference_hash", "kind", "age_band", "ordered_on", "started_on", "pk", "created_at"
        )
    }
    to_create, to_replace, unchanged = [], [], 0
    for row in rows:
        key = hashed(row.reference)
        found = existing.get(key)
        if found is not None and found[1:5] == (
            row.kind,
            row.age_band,
            row.ordered_on,
            row.started_on,
        ):
            unchanged += 1
            continue
        measure = Measure(
            departement=departement,
            reference_hash=key,
            kind=row.kind,
            age_band=row.age_band,
            ordered_on=row.ordered_on,
            started_on=row.started_on,
            delay_days=delay(row.ordered_on, row.started_on),
            created_at=now,
            updated_at=now,
        )
        if found is None:
            to_create.append(measure)
        else:
            measure.pk, measure.created_at = found[5], found[6]
            to_replace.append(measure)
    return to_create, to_replace, unchanged


def _write(to_create: list[Measure], to_replace: list[Measure]) -> None:
    """New measures inserted; changed ones deleted and inserted again with their own id and
    creation date, in the caller's transaction: nothing points at a measure, and an UPDATE per
    row (``bulk_update``'s CASE over a batch) took two minutes for 100,000 rows, this a few
    seconds."""
    ids = [measure.pk for measure in to_replace]
    for start in range(0, len(ids), BATCH):
        Measure.objects.filter(pk__in=ids[start : start + BATCH]).delete()
    Measure.objects.bulk_create([*to_replace, *to_create], batch_size=BATCH)


@transaction.atomic
def import_measures(departement, *, by, data: bytes) -> ImportReport:
    """Import a CSV file of the département's measures: upsert by reference. A file that cannot
    be read is refused whole (ValidationError, in French); otherwise every valid row is kept and
    every invalid one reported with its line. Importing the same file again changes nothing."""
    _require_recorder(by, departement)
    parsed = csv_import.parse(data, today=timezone.localdate())
    _one_writer_at_a_time(departement)
    now = timezone.now()
    to_create, to_update, unchanged = _plan(departement, parsed.rows, now)
    _write(to_create, to_update)
    record = MeasureImport.objects.create(
        departement=departement,
        imported_by=by,
        imported_at=now,
        rows=parsed.read,
        created=len(to_create),
        changed=len(to_update),
        unchanged=unchanged,
        refused=parsed.refused,
    )
    record_event(
        by=by,
        action="measures.import",
        summary=f"Import de {parsed.read} lignes de mesures (département {departement.code}) : "
        f"{len(to_create)} ajoutées, {len(to_update)} modifiées, {parsed.refused} refusées",
        target=record,
        data={
            "departement": departement.code,
            "rows": parsed.read,
            "created": len(to_create),
            "changed": len(to_update),
            "unchanged": unchanged,
            "refused": parsed.refused,
        },
    )
    if to_create or to_update:
        bump_on_commit(VERSION)
    return ImportReport(
        record=record,
        created=len(to_create),
        changed=len(to_update),
        unchanged=unchanged,
        refused=parsed.refused,
        refusals=parsed.refusals,
    )
