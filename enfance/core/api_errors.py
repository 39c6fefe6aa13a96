"""What the public API answers when it does not answer the question, in JSON and documented in
its schema: 401 (an operation that needs a token, without a valid one), 404 (nothing at this
address), 422 (a parameter the schema refuses), 429 (too many requests; ``Retry-After`` says
when to come back).

Every operation declares its responses with ``responses(...)``, so that its schema lists every
status it can return; ``install(api)`` gives the API the French answers for each, and
``not_found`` answers an address under /api/ that names no operation (JSON rather than the
site's HTML page). Kept apart from ``core.api``, which imports the routers: a router imports this
module without importing itself back.
"""

import math
from typing import Any

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import Resolver404, resolve
from ninja import Schema
from ninja.errors import AuthenticationError, Throttled

NOT_FOUND = "Cette adresse ne désigne rien dans l'API."
THROTTLED = "Trop de requêtes : réessayez dans {seconds} seconde{s}."
UNAUTHENTICATED = (
    "Jeton d'accès absent, inconnu ou révoqué : demandez-en un à qui gère votre accès sur la "
    "plateforme."
)


class Message(Schema):
    detail: str


class InvalidValue(Schema):
    type: str
    loc: list[str | int]
    msg: str
    ctx: dict[str, Any] | None = None


class Invalid(Schema):
    detail: list[InvalidValue]


def responses(ok, *, not_found: bool = False) -> dict:
    """An operation's documented responses: ``ok`` for 200, 422 and 429 for every operation (its
    parameters are checked, the API is throttled), 404 when it reads one object."""
    documented = {200: ok, 422: Invalid, 429: Message}
    if not_found:
        documented[404] = Message
    return documented


def install(api) -> None:
    """The API's French answers for 404 and 429 (ninja's own are in English)."""

    @api.exception_handler(Http404)
    def _not_found(request, exc):
        message = str(exc) if exc.args else NOT_FOUND
        return api.create_response(request, {"detail": message}, status=404)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        response = api.create_response(request, {"detail": UNAUTHENTICATED}, status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(Throttled)
    def _throttled(request, exc):
        seconds = max(1, math.ceil(exc.wait or 1))
        message = THROTTLED.format(seconds=seconds, s="s" if seconds > 1 else "")
        response = api.create_response(request, {"detail": message}, status=429)
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
    return JsonResponse({"detail": NOT_FOUND}, status=404)
