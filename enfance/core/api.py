"""The platform's public API (django-ninja), version 1, mounted at ``/api/v1/``: its OpenAPI
schema at ``/api/v1/openapi.json``, its documentation page at ``/api/v1/docs/``
(docs/adr/0017-api-v1.md).

Every app adds its router to ``ROUTERS`` (prefix, dotted path), here and nowhere else. The API is
open data: it answers without an account, so its views are marked public on purpose for
``LoginRequiredMiddleware``; a router that needs a person adds ninja authentication to its own
operations. The documentation page is rendered here from the schema (``core.api_docs``), in the
site's own DSFR layout: ninja's own page pulls its assets from a CDN, which the Content Security
Policy forbids and this platform does not use.

The addresses of the API before its version (``/api/pratiques/…``, ``/api/accueil/…``,
``/api/openapi.json``) still answer: a permanent redirect that keeps the method (308) to the same
address under ``/api/v1/``, so a structure's software that POSTs its places keeps working.

Every GET answer carries an ETag and honours ``If-None-Match`` (304); open data may be kept a
minute by any cache, an answer to a request with a token by none. Every operation documents every
status it returns (``api_errors.responses``): schemathesis checks the API against its own schema
(tests/core/test_api_schema.py).
"""

import os
from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.middleware.http import ConditionalGetMiddleware
from django.shortcuts import render
from django.urls import include, path, re_path, reverse
from django.utils.cache import patch_cache_control
from django.utils.decorators import decorator_from_middleware
from ninja import NinjaAPI
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from . import api_docs, api_errors, opendata
from .navigation import breadcrumb

ROUTERS = [
    ("/pratiques/", "enfance.practices.api.router"),
    ("/accueil/", "enfance.care.api.router"),
    ("/donnees/", "enfance.core.opendata_api.router"),
]
# What answered under /api/ before the version: sent on to the same address under /api/v1/.
UNVERSIONED = r"^(?P<rest>(?:pratiques|accueil)(?:/.*)?|openapi\.json)$"

# Generous: an open data client paging through a whole export stays far below it. The benchmark
# raises it through the environment (every request of its load comes from one address).
RATE = os.environ.get("API_RATE", "300/m")
# How long any cache may keep an open-data answer: figures declared a minute ago are fresh enough.
PUBLIC_MAX_AGE = 60

api = NinjaAPI(
    title="API publique de la plateforme de protection de l'enfance",
    version="1",
    description="Les données ouvertes de la plateforme : chaque jeu de données public, ligne par "
    "ligne, et la bibliothèque des pratiques inspirantes. Et, pour les logiciels des structures "
    "d'accueil munis d'un jeton, la déclaration de leurs places libres.",
    docs_url=None,
    openapi_url="/openapi.json",
    urls_namespace="api",
    throttle=[AnonRateThrottle(RATE), AuthRateThrottle(RATE)],
)
api_errors.install(api)
for prefix, router in ROUTERS:
    api.add_router(prefix, router)


def _caching(view):
    """An answer with a token is kept by no cache; an open-data answer may be kept a minute by
    any. Then Django's conditional GET: an ETag from the body, and 304 when the client has it."""

    @wraps(view)
    def with_cache_headers(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if "Authorization" in request.headers or response.status_code == 401:
            patch_cache_control(response, private=True, no_store=True)
        elif request.method == "GET" and response.status_code == 200:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        return response

    return decorator_from_middleware(ConditionalGetMiddleware)(with_cache_headers)


@login_not_required
def documentation(request):
    return render(
        request,
        "core/api_docs.html",
        {
            **api_docs.documentation(api.get_openapi_schema(), request.build_absolute_uri("/")),
            "rate": RATE.split("/")[0],
            "licence": opendata.LICENCE,
            "licence_url": opendata.LICENCE_URL,
            "breadcrumb_data": breadcrumb(
                {"url": reverse("core:opendata"), "title": "Données ouvertes"},
                current="API publique",
            ),
        },
    )


@login_not_required
def home(request):
    return HttpResponseRedirect(reverse("api:docs"))


@login_not_required
def unversioned(request, rest: str):
    """An address of the API before its version: the same under /api/v1/, method and body kept."""
    location = reverse("api:api-root") + rest
    if request.META.get("QUERY_STRING"):
        location += "?" + request.META["QUERY_STRING"]
    return HttpResponsePermanentRedirect(location, preserve_request=True)


# This module is the URL configuration config/urls.py includes at /api/, every view public; an
# address that names no operation is answered in JSON too.
operations, _, app_name = api.urls
for pattern in operations:
    pattern.callback = login_not_required(_caching(pattern.callback))
urlpatterns = [
    path("v1/", home, name="home"),
    path("v1/docs/", documentation, name="docs"),
    path("v1/", include(operations)),
    re_path(UNVERSIONED, unversioned, name="unversioned"),
    re_path(r"^(?P<rest>.*)$", login_not_required(api_errors.not_found), name="not-found"),
]
