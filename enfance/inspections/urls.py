from django.urls import path

from . import plan_views, public_views, views

app_name = "inspections"

urlpatterns = [
    path("", public_views.home, name="home"),
    path("referentiel/<str:version>/", public_views.referentiel, name="referentiel"),
    path("notation/", public_views.grading_rules, name="grading"),
    path("rapports/<int:pk>/", public_views.public_report, name="public_report"),
    path("etablissements/<str:identifier>/", public_views.structure_history, name="history"),
    path("chiffres/", public_views.figures, name="figures"),
    path("chiffres/donnees.json", public_views.figures_json, name="figures_json"),
    path("chiffres/<slug:kind>.csv", public_views.figures_csv, name="figures_csv"),
    path("inspections/", views.inspections, name="inspections"),
    path("plans/", plan_views.plans_index, name="plans"),
    path("plans/<str:code>/<int:year>/", plan_views.plan, name="plan"),
    path("plans/<str:code>/<int:year>/ouvrir/", plan_views.plan_create, name="plan_create"),
    path("plans/<str:code>/<int:year>/ajouter/", plan_views.plan_add, name="plan_add"),
    path("plans/<int:pk>/retirer/", plan_views.plan_withdraw, name="plan_withdraw"),
    path("alertes/", plan_views.alerts, name="alerts"),
    path("structures/<int:structure_pk>/alerte/", plan_views.alert_new, name="alert_new"),
    path("structures/", views.structures, name="structures"),
    path("structures/<int:structure_pk>/inspecter/", views.open_inspection, name="open"),
    path("structures/<int:structure_pk>/journal/", views.structure_journal, name="journal"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("inspections/<int:pk>/equipe/", views.join, name="join"),
    path("inspections/<int:pk>/rapport/", views.report_edit, name="report"),
    path("inspections/<int:pk>/observations/", views.observations, name="observations"),
    path("inspections/<int:pk>/constats/<slug:theme>/", views.findings, name="findings"),
    path(
        "inspections/<int:pk>/criteres/<int:criterion_pk>/",
        views.finding_save,
        name="finding_save",
    ),
    path("inspections/<int:pk>/actions/", views.action_add, name="action_add"),
    path("actions/<int:pk>/reponse/", views.action_answer, name="action_answer"),
    path("actions/<int:pk>/avis/", views.action_judge, name="action_judge"),
    path("inspections/<int:pk>/<slug:action>/", views.transition, name="transition"),
]
