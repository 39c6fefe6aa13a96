"""Open data through the API (``/api/v1/donnees/``): the catalogue of ``core.opendata`` and the
rows of each dataset, paginated, filtered by département and by date.

One operation per dataset, built from the registry (filled at start, before the URLs are read):
each one documents exactly the filters its dataset has and the fields of its rows with their
types, so the schema never promises a filter that a dataset would refuse; a filter it does not
have is answered 422 with why. The rows are those of the CSV and JSON downloads, read the same way
(``Dataset.rows()``) and written as JSON writes them (``opendata.json_value``)."""

import re
from datetime import date, datetime
from typing import Annotated

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from ninja import Query, Router, Schema
from pydantic import BaseModel, BeforeValidator, create_model
from pydantic import Field as SchemaField
from pydantic_core import PydanticCustomError

from . import opendata
from .api_errors import refuse_unknown_parameters, responses
from .cache import digest, rebuilt_once, versions

router = Router(tags=["Données ouvertes"])

MAX_LIMIT = 100
# Seconds an answer is kept: what its Cache-Control header lets any cache keep it (core.api).
OPEN_DATA_FRESH = 60
# Far beyond any dataset's size, and within every database's integers.
MAX_OFFSET = 1_000_000_000
DEPARTEMENT = "departement"
SINCE, UNTIL = "depuis", "jusqu_au"
# An INSEE code: two digits, three for overseas, 2A and 2B for Corsica.
DEPARTEMENT_PATTERN = r"^(?:[0-9]{2,3}|2[ABab])$"
# The Python type of each Table Schema type, as pydantic validates and documents it.
PYTHON_TYPES = {
    "string": str,
    "integer": int,
    "number": float,
    "boolean": bool,
    "date": date,
    "datetime": datetime,
    "year": int,
}
LIMIT = "Le nombre de lignes de la page."
OFFSET = "Le nombre de lignes à sauter avant la page."
NO_DEPARTEMENT = (
    "Ce jeu de données n'a pas de département : le filtre « departement » ne s'y applique pas."
)
NO_DATE = "Ce jeu de données n'a pas de date : le filtre « {name} » ne s'y applique pas."


def _iso_day(value):
    """Only AAAA-MM-JJ, as the schema's « date » format says: pydantic would also read a number
    as a timestamp (« 0 » as 1970-01-01)."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise PydanticCustomError("date_parsing", "Not an ISO date")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_day)]

if not apps.ready:
    raise ImproperlyConfigured("Les jeux de données ne sont déclarés qu'une fois les apps prêtes.")


class FieldOut(Schema):
    name: str
    type: str
    title: str
    description: str


class DatasetOut(Schema):
    slug: str
    title: str
    description: str
    module: str
    frequency: str
    licence: str
    licence_url: str
    fields: list[FieldOut]
    filters: list[str] = SchemaField(description="Les filtres que ses lignes acceptent.")
    csv_url: str
    json_url: str
    schema_url: str = SchemaField(description="Son schéma au format Table Schema.")
    rows_url: str = SchemaField(description="Ses lignes dans l'API, page par page.")


class DatasetList(Schema):
    count: int
    results: list[DatasetOut]


def filters_of(dataset: opendata.Dataset) -> list[str]:
    filters = [DEPARTEMENT] if DEPARTEMENT in dataset.names else []
    if dataset.date_field:
        filters += [SINCE, UNTIL]
    return filters


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url)


@router.get("/", response=responses(DatasetList), summary="Lister les jeux de données ouverts")
def list_datasets(request):
    """Chaque jeu de données public de la plateforme, avec ses champs, sa licence, ses
    téléchargements et l'adresse de ses lignes dans l'API."""
    refuse_unknown_parameters(request, known=())
    results = []
    for dataset in opendata.datasets():
        urls = dataset.urls()
        results.append(
            {
                "slug": dataset.slug,
                "title": dataset.title,
                "description": dataset.description,
                "module": dataset.module,
                "frequency": dataset.frequency,
                "licence": opendata.LICENCE,
                "licence_url": opendata.LICENCE_URL,
                "fields": [vars(field) for field in dataset.fields],
                "filters": filters_of(dataset),
                "csv_url": _absolute(request, urls["csv"]),
                "json_url": _absolute(request, urls["json"]),
                "schema_url": _absolute(request, urls["schema"]),
                "rows_url": _absolute(request, reverse(f"api:{url_name(dataset)}")),
            }
        )
    return {"count": len(results), "results": results}


def url_name(dataset: opendata.Dataset) -> str:
    return f"opendata-{dataset.slug}"


def _model_name(dataset: opendata.Dataset, kind: str) -> str:
    return kind + "".join(part.capitalize() for part in dataset.slug.split("-"))


def _row_model(dataset: opendata.Dataset) -> type[BaseModel]:
    # Every value may be empty: the CSV writes it as "" (the schemas' missingValues).
    return create_model(
        _model_name(dataset, "Ligne"),
        **{
            f.name: (
                PYTHON_TYPES[f.type] | None,
                SchemaField(title=f.title, description=f.description or None),
            )
            for f in dataset.fields
        },
    )


def _filters_model(dataset: opendata.Dataset) -> type[Schema]:
    filters = {}
    if DEPARTEMENT in dataset.names:
        filters[DEPARTEMENT] = (
            str | None,
            SchemaField(
                None,
                pattern=DEPARTEMENT_PATTERN,
                description="Code INSEE du département (69, 2A, 971).",
            ),
        )
    if dataset.date_field:
        filters[SINCE] = (
            IsoDate | None,
            SchemaField(
                None, description=f"Lignes dont « {dataset.date_field} » est ce jour ou après."
            ),
        )
        filters[UNTIL] = (
            IsoDate | None,
            SchemaField(
                None, description=f"Lignes dont « {dataset.date_field} » est ce jour ou avant."
            ),
        )
    return create_model(_model_name(dataset, "Filtres"), __base__=Schema, **filters)


def _page_model(dataset: opendata.Dataset) -> type[Schema]:
    return create_model(
        _model_name(dataset, "Page"),
        __base__=Schema,
        count=(int, ...),
        limit=(int, ...),
        offset=(int, ...),
        results=(list[_row_model(dataset)], ...),
    )


def _day(value):
    return value.date() if isinstance(value, datetime) else value


def matching_rows(dataset: opendata.Dataset, filters: dict) -> list[dict]:
    """The dataset's rows that pass the filters; a row without a date passes no date filter."""
    code = (filters.get(DEPARTEMENT) or "").upper()
    since, until = filters.get(SINCE), filters.get(UNTIL)
    kept = []
    for row in dataset.rows():
        if code and row[DEPARTEMENT] != code:
            continue
        if since or until:
            day = _day(row[dataset.date_field])
            if day is None or (since and day < since) or (until and day > until):
                continue
        kept.append(row)
    return kept


def _unavailable(dataset: opendata.Dataset) -> dict[str, str]:
    present = filters_of(dataset)
    absent = {DEPARTEMENT: NO_DEPARTEMENT}
    absent.update({name: NO_DATE.format(name=name) for name in (SINCE, UNTIL)})
    return {name: message for name, message in absent.items() if name not in present}


def _add_rows_operation(dataset: opendata.Dataset) -> None:
    known = {"limit", "offset", *filters_of(dataset)}
    unavailable = _unavailable(dataset)

    def build(filters: dict, limit: int, offset: int) -> dict:
        rows = matching_rows(dataset, filters)
        return {
            "count": len(rows),
            "limit": limit,
            "offset": offset,
            "results": [
                {name: opendata.json_value(row[name]) for name in dataset.names}
                for row in rows[offset : offset + limit]
            ],
        }

    def page(request, filters: dict, limit: int, offset: int) -> dict:
        refuse_unknown_parameters(request, known=known, unavailable=unavailable)
        # A dataset is read whole to be filtered: the same question within a minute (the
        # freshness its Cache-Control promises) gets the same answer, read once.
        shown = versions(*dataset.versions) if dataset.versions else ""
        return rebuilt_once(
            f"opendata-api:{dataset.slug}:{shown}:"
            f"{digest((sorted(filters.items()), limit, offset))}",
            lambda: build(filters, limit, offset),
            fresh_for=OPEN_DATA_FRESH,
        )

    if filters_of(dataset):
        filters_model = _filters_model(dataset)

        def read_rows(
            request,
            filters: Query[filters_model],
            limit: int = Query(20, ge=1, le=MAX_LIMIT, description=LIMIT),
            offset: int = Query(0, ge=0, le=MAX_OFFSET, description=OFFSET),
        ):
            return page(request, filters.dict(), limit, offset)

    else:
        # No filter: ninja would document an empty filter object as a required parameter.
        def read_rows(
            request,
            limit: int = Query(20, ge=1, le=MAX_LIMIT, description=LIMIT),
            offset: int = Query(0, ge=0, le=MAX_OFFSET, description=OFFSET),
        ):
            return page(request, {}, limit, offset)

    read_rows.__name__ = f"read_{dataset.slug.replace('-', '_')}"
    router.get(
        f"/{dataset.slug}/",
        response=responses(_page_model(dataset)),
        summary=f"Lire le jeu « {dataset.title} »",
        description=dataset.description,
        url_name=url_name(dataset),
    )(read_rows)


for _dataset in opendata.datasets():
    _add_rows_operation(_dataset)
