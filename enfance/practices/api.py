"""The library of practices as open data (``/api/pratiques/``): the same search, filters and
fields as the pages and their exports."""

from datetime import date
from typing import Annotated

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from . import library
from .library import LibraryQuery
from .models import Practice

router = Router(tags=["Pratiques inspirantes"])

MAX_LIMIT = 100
UNUSABLE = "Valeur non reconnue : « {value} »"


def _identifier(value):
    # Read by the library's own rule, not pydantic's, which accepts more ("-1", "1_0", "1.0")
    # and strips other spaces: a value is valid here exactly when the search can use it.
    if isinstance(value, int):
        return value
    cleaned = library.clean_integer(value)
    if cleaned is None:
        raise PydanticCustomError("value_error", UNUSABLE, {"value": value})
    return cleaned


Identifier = Annotated[int, BeforeValidator(_identifier)]


class LibraryFilters(Schema):
    """The library's question, as in the page's URL: several values of one filter add up
    (either), different filters combine (both)."""

    q: str = Field("", description="Recherche en texte libre (accents et majuscules ignorés).")
    thematique: list[Identifier] = Field([], description="Identifiants de thématiques.")
    public: list[Identifier] = Field([], description="Identifiants de publics visés.")
    intervention: list[Identifier] = Field([], description="Identifiants de types d'intervention.")
    echelle: list[str] = Field([], description="nationale, regionale, departementale, locale.")
    departement: list[str] = Field([], description="Codes INSEE de départements.")
    annee: list[Identifier] = Field([], description="Années de mise en œuvre.")
    niveau: list[Identifier] = Field([], description="1 : pratique déclarée, 2 : fiche ONPE.")
    etape: list[str] = Field([], description="declared, reviewed, onpe ou evaluated.")
    preuve: list[Identifier] = Field([], description="Niveau de preuve, de 1 (le plus solide) à 5.")
    tri: str = Field("", description="« date » pour trier par date ; pertinence sinon.")


class FicheOut(Schema):
    id: int
    url: str
    level: int
    level_label: str
    title: str
    entity_name: str
    structure_name: str
    description: str
    implemented_on: date | None
    scale: str
    intervention_type: str
    theme: str
    audience: str
    relay: str
    departement_code: str
    departement: str
    commune: str
    evidence_stage: str
    evidence_level: int | None
    reviewed_on: date | None
    review_due_on: date | None
    published_at: str | None
    objectives: str
    means: str
    keys_to_success: str
    expected_results: str
    difficulties: str
    evaluation_method: str
    evaluation_results: str
    co_authors: str


class FicheList(Schema):
    count: int
    limit: int
    offset: int
    results: list[FicheOut]


class FacetValueOut(Schema):
    value: int | str
    label: str
    count: int
    selected: bool


class FacetOut(Schema):
    param: str
    title: str
    values: list[FacetValueOut]


def _query(request) -> LibraryQuery:
    """The question of the URL. A filter value the library cannot use (a negative or
    over-long identifier, an unknown level…) is answered 422, as the schema's own checks are,
    rather than silently dropped as the pages do."""
    unusable = library.unusable_values(request.GET)
    if unusable:
        # Located as the schema's own errors are: ["query", "filters", parameter, position].
        raise ValidationError(
            [
                {
                    "type": "value_error",
                    "loc": ["query", "filters", param, position],
                    "msg": UNUSABLE.format(value=value),
                }
                for param, position, value in unusable
            ]
        )
    return LibraryQuery.from_params(request.GET)


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@router.get("/", response=FicheList, summary="Rechercher les fiches publiées")
def list_fiches(
    request,
    filters: Query[LibraryFilters],
    limit: int = Query(20, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0),
):
    query = _query(request)
    practices = library.fiches_slice(query, offset, limit)
    return {
        "count": library.count(query),
        "limit": limit,
        "offset": offset,
        "results": [library.fiche_data(p, base_url=_base_url(request)) for p in practices],
    }


@router.get("/facettes", response=list[FacetOut], summary="Compter les fiches par filtre")
def facets(request, filters: Query[LibraryFilters]):
    query = _query(request)
    return [
        {
            "param": counts.facet.param,
            "title": counts.facet.title,
            "values": [vars(value) for value in counts.values],
        }
        for counts in library.facets(query)
    ]


@router.get("/{int:fiche_id}", response=FicheOut, summary="Lire une fiche publiée")
def get_fiche(request, fiche_id: int):
    try:
        practice = library.published_fiche(fiche_id)
    except Practice.DoesNotExist:
        raise Http404("Cette fiche n'existe pas ou n'est pas publiée.") from None
    return library.fiche_data(practice, base_url=_base_url(request))
