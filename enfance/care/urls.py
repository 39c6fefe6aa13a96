from django.urls import path

from . import (
    cooperative_views,
    request_views,
    supervision_views,
    transfer_views,
    views,
    village_views,
)

app_name = "care"

urlpatterns = [
    path("", views.home, name="home"),
    path("participation/", views.join, name="join"),
    path("recherche/", views.search, name="search"),
    path("structures/", views.structures, name="structures"),
    path("structures/nouvelle/", views.structure_create, name="structure_create"),
    path("structures/<int:pk>/", views.structure, name="structure"),
    path("structures/<int:pk>/modifier/", views.structure_edit, name="structure_edit"),
    path("structures/<int:pk>/valider/", views.structure_validate, name="structure_validate"),
    path("structures/<int:pk>/categories/", views.category_add, name="category_add"),
    path("structures/<int:pk>/gestionnaires/", views.manager_add, name="manager_add"),
    path("structures/<int:pk>/places/", views.declare, name="declare"),
    path("structures/<int:pk>/jetons/", views.token_create, name="token_create"),
    path(
        "structures/<int:pk>/jetons/<int:token_pk>/revoquer/",
        views.token_revoke,
        name="token_revoke",
    ),
    path("scic/", cooperative_views.cooperatives_page, name="cooperatives"),
    path("scic/nouvelle/", cooperative_views.cooperative_new, name="cooperative_new"),
    path("scic/<int:pk>/", cooperative_views.cooperative_page, name="cooperative"),
    path(
        "scic/<int:pk>/registre/",
        cooperative_views.cooperative_register,
        name="cooperative_register",
    ),
    path(
        "scic/<int:pk>/colleges/",
        cooperative_views.cooperative_colleges,
        name="cooperative_colleges",
    ),
    path(
        "scic/<int:pk>/societaires/<int:associate_pk>/sortie/",
        cooperative_views.associate_leave,
        name="associate_leave",
    ),
    path("scic/<int:pk>/assemblees/", cooperative_views.assembly_convene, name="assembly_convene"),
    path("scic/assemblees/<int:pk>/", cooperative_views.assembly_page, name="assembly"),
    path("scic/<int:pk>/statuts/", cooperative_views.cooperative_statutes, name="statutes"),
    path("scic/<int:pk>/statuts.pdf", cooperative_views.statutes_file, name="statutes_file"),
    path("scic/<int:pk>/structures/", supervision_views.structure_attach, name="structure_attach"),
    path(
        "scic/<int:pk>/structures/<int:run_pk>/retirer/",
        supervision_views.structure_detach,
        name="structure_detach",
    ),
    path("scic/<int:pk>/rapports/", supervision_views.report_publish, name="report_publish"),
    path(
        "scic/rapports/<int:pk>/<slug:kind>.pdf", supervision_views.report_file, name="report_file"
    ),
    path("scic/rapports/<int:pk>/avis/", supervision_views.report_vote, name="report_vote"),
    path("scic/<int:pk>/questions/", supervision_views.question_ask, name="question_ask"),
    path(
        "scic/questions/<int:pk>/reponse/",
        supervision_views.question_answer,
        name="question_answer",
    ),
    path(
        "scic/assemblees/<int:pk>/proces-verbal/",
        supervision_views.minutes_publish,
        name="minutes_publish",
    ),
    path(
        "scic/assemblees/<int:pk>/proces-verbal.pdf",
        supervision_views.minutes_file,
        name="minutes_file",
    ),
    path("transferts/", transfer_views.transfers_page, name="transfers"),
    path("transferts/nouveau/", transfer_views.transfer_new, name="transfer_new"),
    path("transferts/<int:pk>/", transfer_views.transfer_page, name="transfer"),
    path("transferts/<int:pk>/vote/", transfer_views.transfer_vote, name="transfer_vote"),
    path(
        "transferts/<int:pk>/convention/",
        transfer_views.transfer_convention,
        name="transfer_convention",
    ),
    path(
        "transferts/<int:pk>/convention.pdf",
        transfer_views.convention_file,
        name="convention_file",
    ),
    path("transferts/<int:pk>/<slug:step>/", transfer_views.transfer_step, name="transfer_step"),
    path("villages/", village_views.villages_page, name="villages"),
    path("villages/<int:pk>/", village_views.village_page, name="village"),
    path("villages/<int:pk>/unites/", village_views.unit_add, name="unit_add"),
    path("villages/<int:pk>/sejour/", village_views.stay_new, name="stay_new"),
    path("sejours/", village_views.stays_page, name="stays"),
    path("sejours/<int:pk>/", village_views.stay_page, name="stay"),
    path("sejours/<int:pk>/synthese/", village_views.stay_summary, name="stay_summary"),
    path("sejours/<int:pk>/<slug:step>/", village_views.stay_step, name="stay_step"),
    path("demandes/", request_views.requests, name="requests"),
    path("demandes/nouvelle/", request_views.request_create, name="request_create"),
    path("demandes/<int:pk>/", request_views.request_detail, name="request"),
    path("reponses/<int:pk>/", request_views.offer_detail, name="offer"),
]
