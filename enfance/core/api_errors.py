"""What the public API answers when it does not answer the question, in JSON, in French and
documented in its schema: a ``code`` a program can test and a ``detail`` a person can read.
401 (an operation that needs a token, without a valid one), 404 (nothing at this address), 422
(a parameter the schema refuses, or one the operation does not know), 429 (too many requests;
``Retry-After`` says when to come back).

Every operation declares its responses with ``responses(...)``, so that its schema lists every
status it can return; ``install(api)`` gives the API the French answers for each, and
``not_found`` answers an address under /api/ that names no operation (JSON rather than the
site's HTML page). Kept apart from ``core.api``, which imports the routers: a router imports this
module without importing itself back.
"""

import math
from typing import Any, Literal

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from .api_messages import (
    UNAVAILABLE_FILTER,
    UNKNOWN_PARAMETER,
    UNKNOWN_PARAMETER_TYPE,
    french_error,
)

NOT_FOUND = "Cette adresse ne désigne rien dans l'API."
THROTTLED = "Trop de requêtes : réessayez dans {seconds} seconde{s}."
UNAUTHENTICATED = (
    "Jeton d'accès absent, inconnu ou révoqué : demandez-en un à qui gère votre accès sur la "
    "plateforme."
)
# The code of every refusal, by status: what a program tests (the detail is for people).
CODES = {
    400: "requete_refusee",
    401: "non_authentifie",
    403: "interdit",
    404: "introuvable",
    422: "parametre_invalide",
    429: "trop_de_requetes",
}


class NotFound(Schema):
    code: Literal["introuvable"]
    detail: str


class Unauthenticated(Schema):
    code: Literal["non_authentifie"]
    detail: str


class Forbidden(Schema):
    code: Literal["interdit"]
    detail: str


class Throttle(Schema):
    code: Literal["trop_de_requetes"]
    detail: str


class InvalidValue(Schema):
    type: str
    loc: list[str | int]
    msg: str
    ctx: dict[str, Any] | None = None


class Invalid(Schema):
    code: Literal["parametre_invalide"]
    detail: list[InvalidValue]


def responses(ok, *, not_found: bool = False, cached: bool = True) -> dict:
    """An operation's documented responses: ``ok`` for 200, 422 and 429 for every operation (its
    parameters are checked, the API is throttled), 404 when it reads one object, 304 when its
    answer carries an ETag (``If-None-Match`` with the same ETag: nothing has changed)."""
    documented = {200: ok, 422: Invalid, 429: Throttle}
    if cached:
        documented[304] = None
    if not_found:
        documented[404] = NotFound
    return documented


def refusal(status: int, detail) -> dict:
    return {"code": CODES[status], "detail": detail}


def refuse_unknown_parameters(request, known, unavailable: dict[str, str] | None = None) -> None:
    """A query parameter the operation does not read is refused (422) rather than ignored: a
    client that misspells a filter would otherwise take the unfiltered answer for the one it
    asked. ``unavailable``: filters that exist elsewhere in the API but not here, with why."""
    unavailable = unavailable or {}
    errors = []
    for name in request.GET:
        if name in unavailable:
            errors.append(
                {"type": UNAVAILABLE_FILTER, "loc": ["query", name], "msg": unavailable[name]}
            )
        elif name not in known:
            errors.append(
                {
                    "type": UNKNOWN_PARAMETER_TYPE,
                    "loc": ["query", name],
                    "msg": UNKNOWN_PARAMETER.format(name=name),
                }
            )
    if errors:
        raise ValidationError(errors)


def install(api) -> None:
    """The API's French answers, each with its code (ninja's own are in English)."""

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        message = str(exc) if exc.args else NOT_FOUND
        return api.create_response(request, refusal(404, message), status=404)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        response = api.create_response(request, refusal(401, UNAUTHENTICATED), status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(ValidationError)
    def _invalid(request, exc):
        errors = [{**error, "msg": french_error(error)} for error in exc.errors]
        return api.create_response(request, refusal(422, errors), status=422)

    @api.exception_handler(HttpError)
    def _http_error(request, exc):
        body = {"code": CODES.get(exc.status_code, "erreur"), "detail": str(exc)}
        return api.create_response(request, body, status=exc.status_code)

    @api.exception_handler(Throttled)
    def _throttled(request, exc):
        seconds = max(1, math.ceil(exc.wait or 1))
        message = THROTTLED.format(seconds=seconds, s="s" if seconds > 1 else "")
        response = api.create_response(request, refusal(429, message), status=429)
        response["Retry-After"] = str(seconds)
        return response


def not_found(request, rest: str = "") -> HttpResponse:
    """An address under /api/ that names no operation. As Django does for a page, an address
    missing its final slash is sent to the one with it when that one exists."""
    if not request.path_info.endswith("/"):
        try:
            match = resolve(request.path_info + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found:
            return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return JsonResponse(refusal(404, NOT_FOUND), status=404)
