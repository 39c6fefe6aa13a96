"""The API through which a structure's own software declares its free places: the same
declarations as the phone page, authenticated by a token per structure (made and revoked by its
gestionnaires on the structure's page), throttled per token. Documented in the platform's OpenAPI
schema (/api/v1/openapi.json) with every status it answers. Its answers are kept by no cache
(core.api: a request with a token), so they carry no ETag."""

from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.security import HttpBearer
from ninja.throttling import AuthRateThrottle
from pydantic import Field

from enfance.core.api_errors import Forbidden, Unauthenticated, refusal, responses

from . import services
from .models import PlaceCategory

# A software that pushes every change stays far below it; a loop gone wrong is stopped.
RATE = "60/m"


class StructureTokenAuth(HttpBearer):
    """``Authorization: Bearer pe_…``: the structure whose active token it is."""

    def authenticate(self, request, token):
        return services.structure_of_token(token)


router = Router(tags=["Places libres des structures"], auth=StructureTokenAuth())


class CategoryOut(Schema):
    id: int
    type_de_place: str
    tranche_d_age: str
    fratries: bool
    handicap: bool
    places_installees: int
    places_fermees: int
    places_libres: int | None
    declarees_le: str | None
    inconnues: bool = Field(description="Le dernier chiffre est trop ancien pour être compté.")


class StructureOut(Schema):
    finess: str
    nom: str
    categories: list[CategoryOut]


class FigureIn(Schema):
    id: int = Field(ge=1, le=2_147_483_647, description="L'identifiant de la catégorie.")
    places_libres: int = Field(ge=0, le=32_767)
    places_fermees: int | None = Field(None, ge=0, le=32_767)


class DeclarationIn(Schema):
    categories: list[FigureIn] = Field(min_length=1, max_length=100)


class Refused(Schema):
    code: Literal["requete_refusee"]
    detail: list[str]


def _secured(documented: dict) -> dict:
    return {**documented, 401: Unauthenticated}


def _structure_data(structure) -> dict:
    now = timezone.now()
    return {
        "finess": structure.finess,
        "nom": structure.name,
        "categories": [
            {
                "id": c.pk,
                "type_de_place": c.place_type,
                "tranche_d_age": c.age_band,
                "fratries": c.siblings,
                "handicap": c.disability,
                "places_installees": c.capacity,
                "places_fermees": c.closed,
                "places_libres": c.free,
                "declarees_le": c.declared_at.isoformat() if c.declared_at else None,
                "inconnues": c.known_free(now) is None,
            }
            for c in PlaceCategory.objects.filter(structure=structure)
        ],
    }


@router.get(
    "/structure",
    response=_secured(responses(StructureOut, cached=False)),
    summary="Lire les catégories de places de la structure du jeton",
    throttle=[AuthRateThrottle(RATE)],
)
def read_structure(request):
    return _structure_data(request.auth.structure)


@router.post(
    "/places",
    response=_secured({**responses(StructureOut, cached=False), 400: Refused, 403: Forbidden}),
    summary="Déclarer les places libres de catégories de la structure",
    throttle=[AuthRateThrottle(RATE)],
)
def declare(request, payload: DeclarationIn):
    access = request.auth
    figures = {}
    for figure in payload.categories:
        figures[figure.id] = {"free": figure.places_libres}
        if figure.places_fermees is not None:
            figures[figure.id]["closed"] = figure.places_fermees
    try:
        services.declare_places_by_software(access, figures=figures)
    except ValidationError as error:
        return Status(400, refusal(400, error.messages))
    except PermissionDenied as error:
        return Status(403, refusal(403, str(error)))
    return _structure_data(access.structure)
