"""The platform's public API (django-ninja), mounted at ``/api/``; its OpenAPI schema is served at
``/api/openapi.json``.

Every app adds its router to ``ROUTERS`` (prefix, dotted path), here and nowhere else. The API is
open data: it answers without an account, so its views are marked public on purpose for
``LoginRequiredMiddleware``; a router that needs a person adds ninja authentication to its own
operations. No documentation page is served: ninja's pulls its assets from a CDN, which the
Content Security Policy forbids and this platform does not use; the schema is enough for tools.

Every operation documents every status it returns (``api_errors.responses``): schemathesis
checks the API against its own schema (tests/core/test_api_schema.py).
"""

from django.contrib.auth.decorators import login_not_required
from django.urls import re_path
from ninja import NinjaAPI
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

from . import api_errors

ROUTERS = [
    ("/pratiques/", "enfance.practices.api.router"),
    ("/accueil/", "enfance.care.api.router"),
]

# Generous: an open data client paging through a whole export stays far below it.
RATE = "300/m"

api = NinjaAPI(
    title="API publique de la plateforme de protection de l'enfance",
    version="1",
    description="Données ouvertes de la plateforme : la bibliothèque des pratiques inspirantes. "
    "Et, pour les logiciels des structures d'accueil munis d'un jeton, la déclaration de leurs "
    "places libres.",
    docs_url=None,
    openapi_url="/openapi.json",
    urls_namespace="api",
    throttle=[AnonRateThrottle(RATE), AuthRateThrottle(RATE)],
)
api_errors.install(api)
for prefix, router in ROUTERS:
    api.add_router(prefix, router)

# This module is the URL configuration config/urls.py includes at /api/, every view public; an
# address that names no operation is answered in JSON too.
urlpatterns, _, app_name = api.urls
urlpatterns = [*urlpatterns, re_path(r"^(?P<rest>.*)$", api_errors.not_found, name="not-found")]
for pattern in urlpatterns:
    login_not_required(pattern.callback)
