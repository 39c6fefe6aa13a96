from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("enfance.core.urls")),
    path("comptes/", include("allauth.urls")),
    path("", include("enfance.accounts.urls")),
    path("territoires/", include("enfance.territories.urls")),
    # Pages of an instance that start from an event, before the instance's own addresses.
    path("instances/", include("enfance.events.instance_urls")),
    path("instances/", include("enfance.assemblies.urls")),
    path("agenda/", include("enfance.events.urls")),
    path("votes/", include("enfance.votes.urls")),
    path("signalements/", include("enfance.safeguarding.urls")),
    path("pratiques/", include("enfance.practices.urls")),
    path("propositions/", include("enfance.proposals.urls")),
    # Texts serves /textes/ (the charter) and /propositions-de-loi/.
    path("", include("enfance.texts.urls")),
    path("interpellations/", include("enfance.interpellations.urls")),
    path("petition/", include("enfance.petitions.urls")),
    path("accueil/", include("enfance.care.urls")),
    path("delais/", include("enfance.measures.urls")),
    path("controle/", include("enfance.inspections.urls")),
    path("soutien/", include("enfance.support.urls")),
    path("strategie/", include("enfance.strategy.urls")),
    path("api/", include("enfance.core.api")),
    path("administration-technique/", admin.site.urls),
]

handler403 = "enfance.core.views.permission_denied"
handler404 = "enfance.core.views.page_not_found"
handler500 = "enfance.core.views.server_error"
handler429 = "enfance.core.views.too_many_requests"
