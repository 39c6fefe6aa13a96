from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("bench/reference", views.reference, name="reference"),
    path("accessibilite/", views.accessibility, name="accessibility"),
    path("donnees-personnelles/", views.privacy, name="privacy"),
    path("registre-des-traitements/", views.processing_register, name="processing_register"),
    path("mentions-legales/", views.legal_notice, name="legal_notice"),
    path("gestion/journal/", views.event_log, name="event_log"),
]
