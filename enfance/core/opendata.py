"""The platform's open data: every public dataset, registered by the module that holds it (in its
``opendata.py``, discovered at start), described once and served the same way: a catalogue page,
a CSV and a JSON download, and a schema in the Table Schema format that schema.data.gouv.fr uses
(https://specs.frictionlessdata.io/table-schema/). All under the Licence Ouverte 2.0.

A dataset is aggregated or about bodies, never about a person: no name, no address, no account
(tests/core/test_opendata.py reads every one of them to check it)."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse

LICENCE = "Licence Ouverte / Open Licence version 2.0"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
# The Table Schema types a field may have.
TYPES = {"string", "integer", "number", "boolean", "date", "datetime", "year"}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    title: str
    description: str = ""

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"{self.name} : type « {self.type} » inconnu de Table Schema")


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    module: str
    frequency: str
    fields: tuple[Field, ...]
    # The rows, one dict per line, keyed by the fields' names.
    rows: Callable[[], Iterable[dict]] = field(compare=False)
    # The date field that the API's « depuis » and « jusqu_au » filters read, if any. Its
    # « departement » filter reads the field of that name, the same in every dataset.
    date_field: str = ""
    # The cache versions (core.cache) that the module's writes bump: an API answer kept for a
    # minute is read again at once when one moves. Without any, it may be a minute old.
    versions: tuple[str, ...] = ()

    def __post_init__(self):
        if self.date_field and self.date_field not in self.names:
            raise ValueError(f"{self.slug} : pas de champ « {self.date_field} »")

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def urls(self) -> dict[str, str]:
        return {
            kind: reverse(f"core:opendata_{kind}", args=[self.slug])
            for kind in ("csv", "json", "schema")
        }


_registry: dict[str, Dataset] = {}


def register(dataset: Dataset) -> Dataset:
    if dataset.slug in _registry:
        raise ValueError(f"Le jeu de données « {dataset.slug} » est déjà déclaré.")
    _registry[dataset.slug] = dataset
    return dataset


def datasets() -> list[Dataset]:
    return sorted(_registry.values(), key=lambda d: (d.module, d.title))


def get(slug: str) -> Dataset | None:
    return _registry.get(slug)


def table_schema(dataset: Dataset) -> dict:
    return {
        "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
        "name": dataset.slug,
        "title": dataset.title,
        "description": dataset.description,
        "licenses": [{"title": LICENCE, "path": LICENCE_URL}],
        "fields": [
            {"name": f.name, "type": f.type, "title": f.title, "description": f.description}
            for f in dataset.fields
        ],
        "missingValues": [""],
    }


def json_value(value):
    """Dates and decimals as JSON gives them: ISO dates, numbers."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value
