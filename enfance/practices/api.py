"""The library of practices as open data (``/api/v1/pratiques/``): the same search, filters and
fields as the pages and their exports. A parameter an operation does not read is refused (422),
never ignored."""

from datetime import date
from typing import Annotated

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from enfance.core import cache as versioned_cache
from enfance.core.api_errors import refuse_unknown_parameters, responses
from enfance.core.cache import digest

from . import library
from .enums import EvidenceLevel, EvidenceStage, PracticeLevel, Scale
from .library import LibraryQuery
from .models import Practice

router = Router(tags=["Pratiques inspirantes"])

MAX_LIMIT = 100
# Far beyond the library's size, and within every database's integers.
MAX_OFFSET = 1_000_000_000
UNUSABLE = "Valeur non reconnue : « {value} »"
# What the library reads as an identifier or a year: ASCII digits, nine at most.
IDENTIFIER = {"type": "integer", "minimum": 0, "maximum": 999_999_999}


def _read_as_the_library(param: str):
    """A filter value read by the library's own rule, not pydantic's, which accepts more ("-1",
    "1_0", "1.0") and strips other spaces: a value is valid here exactly when the search can
    use it (spaces around it are ignored, as on the pages)."""

    def read(value):
        cleaned = library.clean_value(param, value)
        if cleaned is None:
            raise PydanticCustomError("value_error", UNUSABLE, {"value": value})
        return cleaned

    return BeforeValidator(read)


def _values(param: str, python_type, item_schema: dict, description: str):
    """A filter of the library: several values (either), each as the schema says."""
    item = Annotated[python_type, _read_as_the_library(param), WithJsonSchema(item_schema)]
    return Annotated[
        list[item],
        Field(
            description=f"{description} {library.MAX_VALUES_PER_FACET} valeurs au plus.",
            max_length=library.MAX_VALUES_PER_FACET,
        ),
    ]


def _enum(choices) -> dict:
    kind = "integer" if isinstance(choices.values[0], int) else "string"
    return {"type": kind, "enum": list(choices.values)}


class LibraryFilters(Schema):
    """The library's question, as in the page's URL: several values of one filter add up
    (either), different filters combine (both)."""

    q: str = Field("", description="Recherche en texte libre (accents et majuscules ignorés).")
    thematique: _values("thematique", int, IDENTIFIER, "Identifiants de thématiques.") = []
    public: _values("public", int, IDENTIFIER, "Identifiants de publics visés.") = []
    intervention: _values(
        "intervention", int, IDENTIFIER, "Identifiants de types d'intervention."
    ) = []
    echelle: _values("echelle", str, _enum(Scale), "Échelles de l'action.") = []
    departement: _values(
        "departement",
        str,
        {"type": "string", "pattern": "^[0-9A-Za-z]{1,3}$"},
        "Codes INSEE de départements (69, 2A, 971).",
    ) = []
    annee: _values("annee", int, IDENTIFIER, "Années de mise en œuvre.") = []
    niveau: _values(
        "niveau", int, _enum(PracticeLevel), "1 : pratique déclarée, 2 : fiche ONPE."
    ) = []
    etape: _values("etape", str, _enum(EvidenceStage), "Étapes de preuve.") = []
    preuve: _values(
        "preuve", int, _enum(EvidenceLevel), "Niveau de preuve, de 1 (le plus solide) à 5."
    ) = []
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


PAGINATION = ("limit", "offset")


def _query(request, *, paginated: bool) -> LibraryQuery:
    """The question of the URL. A filter value the library cannot use (a negative or
    over-long identifier, an unknown level…) is answered 422, as the schema's own checks are,
    rather than silently dropped as the pages do."""
    known = {*LibraryFilters.model_fields, *(PAGINATION if paginated else ())}
    refuse_unknown_parameters(request, known=known)
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


@router.get("/", response=responses(FicheList), summary="Rechercher les fiches publiées")
def list_fiches(
    request,
    filters: Query[LibraryFilters],
    limit: int = Query(20, ge=1, le=MAX_LIMIT, description="Le nombre de fiches de la page."),
    offset: int = Query(
        0, ge=0, le=MAX_OFFSET, description="Le nombre de fiches à sauter avant la page."
    ),
):
    query = _query(request, paginated=True)
    base_url = _base_url(request)

    def build() -> dict:
        practices = library.fiches_slice(query, offset, limit)
        return {
            "count": library.count(query),
            "limit": limit,
            "offset": offset,
            "results": [library.fiche_data(p, base_url=base_url) for p in practices],
        }

    # The key carries the library's version: a fiche published or withdrawn is seen at once.
    return versioned_cache.rebuilt_once(
        f"{query.cache_key('practices:api')}:{digest((base_url, offset, limit))}",
        build,
        fresh_for=library.FACETS_CACHE_SECONDS,
    )


@router.get(
    "/facettes", response=responses(list[FacetOut]), summary="Compter les fiches par filtre"
)
def facets(request, filters: Query[LibraryFilters]):
    query = _query(request, paginated=False)
    return [
        {
            "param": counts.facet.param,
            "title": counts.facet.title,
            "values": [vars(value) for value in counts.values],
        }
        for counts in library.facets(query)
    ]


@router.get(
    "/{int:fiche_id}",
    response=responses(FicheOut, not_found=True),
    summary="Lire une fiche publiée",
)
def get_fiche(request, fiche_id: int = Path(..., ge=1)):
    try:
        practice = library.published_fiche(fiche_id)
    except Practice.DoesNotExist:
        raise Http404("Cette fiche n'existe pas ou n'est pas publiée.") from None
    return library.fiche_data(practice, base_url=_base_url(request))
