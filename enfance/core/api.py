"""The platform's public API (django-ninja), mounted at ``/api/``; its OpenAPI schema is served at
``/api/openapi.json``.

Every app adds its router to ``ROUTERS`` (prefix, dotted path), here and nowhere else. The API is
open data: it answers without an account, so its views are marked public on purpose for
``LoginRequiredMiddleware``; a router that needs a person adds ninja authentication to its own
operations. No documentation page is served: ninja's pulls its assets from a CDN, which the
Content Security Policy forbids and this platform does not use; the schema is enough for tools.
"""

from django.contrib.auth.decorators import login_not_required
from ninja import NinjaAPI
from ninja.throttling import AnonRateThrottle, AuthRateThrottle

ROUTERS = [
    ("/pratiques/", "enfance.practices.api.router"),
]

# Generous: an open data client paging through a whole export stays far below it.
RATE = "300/m"

api = NinjaAPI(
    title="API publique de la plateforme de protection de l'enfance",
    version="1",
    description="Données ouvertes de la plateforme : la bibliothèque des pratiques inspirantes.",
    docs_url=None,
    openapi_url="/openapi.json",
    urls_namespace="api",
    throttle=[AnonRateThrottle(RATE), AuthRateThrottle(RATE)],
)
for prefix, router in ROUTERS:
    api.add_router(prefix, router)

# This module is the URL configuration config/urls.py includes at /api/, every view public.
urlpatterns, _, app_name = api.urls
for pattern in urlpatterns:
    login_not_required(pattern.callback)
