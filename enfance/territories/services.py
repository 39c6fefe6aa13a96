"""Importing the découpage administratif (régions, départements, communes) from the vendored
Etalab files in data/decoupage-administratif/."""

import gzip
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from enfance.core.cache import bump, version

from .models import Commune, Departement, Region, normalize_name

DEFAULT_SOURCE_DIR = Path(settings.BASE_DIR) / "data" / "decoupage-administratif"
# Régions, départements and communes of metropolitan France and of the five DROM (Guadeloupe,
# Martinique, Guyane, La Réunion, Mayotte): the platform is organised by département, and the
# collectivités d'outre-mer ("com": Saint-Pierre-et-Miquelon, Polynésie…) are not départements.
KEPT_ZONES = {"metro", "drom"}
# Only communes as they exist today: arrondissements municipaux, communes déléguées and
# communes associées are parts of a commune, and their postal codes are already on it.
KEPT_COMMUNE_TYPE = "commune-actuelle"
BATCH_SIZE = 1000


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


@dataclass
class ImportReport:
    regions: Counts = field(default_factory=Counts)
    departements: Counts = field(default_factory=Counts)
    communes: Counts = field(default_factory=Counts)
    # Codes in the database but no longer in the source (merged communes…): kept, since other
    # records may point to them, and listed so that someone can decide what to do.
    missing_commune_codes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary in French, one line per kind of territory."""
        lines = [
            _summary_line("Régions", self.regions, feminine=True),
            _summary_line("Départements", self.departements, feminine=False),
            _summary_line("Communes", self.communes, feminine=True),
        ]
        if self.missing_commune_codes:
            lines.append(
                f"Communes absentes de la source, conservées : {len(self.missing_commune_codes)} "
                f"({', '.join(self.missing_commune_codes[:20])}"
                + (" …)" if len(self.missing_commune_codes) > 20 else ")")
            )
        return lines


def _summary_line(label: str, counts: Counts, *, feminine: bool) -> str:
    e, es = ("e", "es") if feminine else ("", "")
    return (
        f"{label} : {counts.total} au total, dont {counts.created} créé{e}s, "
        f"{counts.updated} mis{es} à jour et {counts.unchanged} inchangé{e}s."
    )


def read_source(source_dir: Path, name: str) -> list[dict]:
    """One of the Etalab JSON files, plain or gzip-compressed (`communes.json.gz`)."""
    plain = source_dir / f"{name}.json"
    if plain.exists():
        return json.loads(plain.read_text(encoding="utf-8"))
    compressed = source_dir / f"{name}.json.gz"
    if compressed.exists():
        with gzip.open(compressed, "rt", encoding="utf-8") as stream:
            return json.load(stream)
    raise FileNotFoundError(f"Fichier introuvable : {plain} (ni {compressed.name}).")


@transaction.atomic
def import_territories(*, source_dir: Path | str = DEFAULT_SOURCE_DIR) -> ImportReport:
    """Create or update every région, département and commune of the source.

    Idempotent: a second run changes nothing. Rows are matched on their INSEE code; names,
    parents, postal codes and populations follow the source. Nothing is deleted.
    """
    source_dir = Path(source_dir)
    report = ImportReport()

    regions = {
        row["code"]: {"name": row["nom"]}
        for row in read_source(source_dir, "regions")
        if row.get("zone") in KEPT_ZONES
    }
    region_ids = _sync(Region, regions, report.regions)

    departements = {
        row["code"]: {"name": row["nom"], "region_id": region_ids[row["region"]]}
        for row in read_source(source_dir, "departements")
        if row.get("zone") in KEPT_ZONES and row.get("region") in region_ids
    }
    departement_ids = _sync(Departement, departements, report.departements)

    communes = {
        row["code"]: {
            "name": row["nom"],
            "search_name": normalize_name(row["nom"]),
            "departement_id": departement_ids[row["departement"]],
            "postal_codes": " ".join(row.get("codesPostaux") or []),
            "population": row.get("population"),
        }
        for row in read_source(source_dir, "communes")
        if row.get("type") == KEPT_COMMUNE_TYPE and row.get("departement") in departement_ids
    }
    _sync(Commune, communes, report.communes)
    report.missing_commune_codes = sorted(
        set(Commune.objects.values_list("code", flat=True)) - communes.keys()
    )
    transaction.on_commit(bump_cache_version)
    return report


# The cache version of the territories (core.cache): part of the key of every cached page or
# fragment that shows a territory's name; an import makes them all stale.
TERRITORIES = "territories"


def cache_version() -> int:
    return version(TERRITORIES)


def bump_cache_version() -> None:
    bump(TERRITORIES)


def _sync(model, wanted: dict[str, dict], counts: Counts) -> dict[str, int]:
    """Make the rows of `model` match `wanted` (code → field values) with bulk writes; return
    the primary key of each wanted code."""
    fields = sorted({name for values in wanted.values() for name in values})
    existing = {row["code"]: row for row in model.objects.values("pk", "code", *fields).iterator()}
    to_create, to_update = [], []
    for code, values in wanted.items():
        current = existing.get(code)
        if current is None:
            to_create.append(model(code=code, **values))
        elif any(current[name] != value for name, value in values.items()):
            to_update.append(model(pk=current["pk"], code=code, **values))
        else:
            counts.unchanged += 1
    model.objects.bulk_create(to_create, batch_size=BATCH_SIZE)
    model.objects.bulk_update(to_update, fields, batch_size=BATCH_SIZE)
    counts.created, counts.updated = len(to_create), len(to_update)

    if to_create:
        ids = dict(model.objects.values_list("code", "pk"))
    else:
        ids = {code: row["pk"] for code, row in existing.items()}
    return {code: ids[code] for code in wanted}
