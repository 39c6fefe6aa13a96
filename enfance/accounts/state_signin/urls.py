"""Found by allauth next to the provider and mounted under /comptes/: the addresses to declare
with each service are /comptes/etat/<proconnect|franceconnect>/retour/ (README)."""

from django.urls import path

from . import views

urlpatterns = [
    path("etat/<str:provider_id>/connexion/", views.login, name="etat_login"),
    path("etat/<str:provider_id>/retour/", views.callback, name="etat_callback"),
]
