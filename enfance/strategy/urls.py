from django.urls import path

from . import contract_views, departement_views, facts_views, views

app_name = "strategy"

urlpatterns = [
    path("", views.home, name="home"),
    path("tableau-de-bord/", views.dashboard_page, name="dashboard"),
    path("deploiement/", views.deployment_page, name="deployment"),
    path("departements/", departement_views.choose_departement, name="choose_departement"),
    path("departements/<str:code>/", departement_views.departement_page, name="departement"),
    path("contrats/", contract_views.contracts_page, name="contracts"),
    path("contrats/<str:code>/<int:year>/", contract_views.contract_page, name="contract"),
    path(
        "contrats/<str:code>/<int:year>/<slug:step>/",
        contract_views.contract_step,
        name="contract_step",
    ),
    path("dispositifs/", facts_views.facts_page, name="facts"),
    path("engagements/<int:number>/", views.engagement, name="engagement"),
    path("mesures/<slug:number>/", views.measure, name="measure"),
]
