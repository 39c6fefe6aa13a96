from django.urls import path

from . import opendata_views, views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("recherche/", views.search, name="search"),
    path("healthz", views.healthz, name="healthz"),
    path("bench/reference", views.reference, name="reference"),
    path("qui-sommes-nous/", views.about, name="about"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("donnees-ouvertes/", opendata_views.catalogue, name="opendata"),
    path("donnees-ouvertes/<slug:slug>.csv", opendata_views.download_csv, name="opendata_csv"),
    path("donnees-ouvertes/<slug:slug>.json", opendata_views.download_json, name="opendata_json"),
    path(
        "donnees-ouvertes/<slug:slug>/schema.json",
        opendata_views.schema,
        name="opendata_schema",
    ),
    path("registre-des-traitements/", views.processing_register, name="processing_register"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("gestion/journal/", views.event_log, name="event_log"),
]
