from django.urls import path

from . import views

app_name = "assemblies"

urlpatterns = [
    path("", views.instance_list, name="list"),
    path("carte/", views.instance_map, name="map"),
    path("creer/", views.create_instance, name="create"),
    path("proposer/<int:event_pk>/", views.propose_instance, name="propose"),
    path("propositions/", views.instance_proposals, name="proposals"),
    path(
        "propositions/<int:pk>/<slug:decision>/",
        views.decide_instance_proposal,
        name="decide_proposal",
    ),
    path("<slug:slug>/", views.instance_detail, name="detail"),
    path("<slug:slug>/candidater/", views.apply, name="apply"),
    path("<slug:slug>/reunions/<int:pk>/", views.meeting_detail, name="meeting"),
    path("<slug:slug>/tirages/<int:pk>/", views.draw_detail, name="draw"),
    path("<slug:slug>/gestion/", views.manage, name="manage"),
    path("<slug:slug>/gestion/etat/<slug:transition>/", views.change_status, name="status"),
    path("<slug:slug>/gestion/mandats/<int:pk>/fin/", views.end_member, name="end_member"),
    path("<slug:slug>/gestion/candidatures/", views.applications, name="applications"),
    path("<slug:slug>/gestion/elections/", views.elections, name="elections"),
    path(
        "<slug:slug>/gestion/elections/<int:pk>/conclure",
        views.conclude_election,
        name="conclude_election",
    ),
    path(
        "<slug:slug>/gestion/candidatures/<int:pk>/<slug:decision>/",
        views.decide_application,
        name="decide_application",
    ),
    path("<slug:slug>/gestion/candidatures/<int:pk>/installer", views.seat, name="seat"),
    path(
        "<slug:slug>/gestion/candidatures/<int:pk>/cooptation",
        views.cooptation,
        name="cooptation",
    ),
    path("<slug:slug>/gestion/candidatures/<int:pk>/consentement", views.consent, name="consent"),
    path("<slug:slug>/gestion/tirage/", views.run_draw, name="run_draw"),
    path("<slug:slug>/gestion/reunions/", views.meetings, name="meetings"),
    path("<slug:slug>/gestion/reunions/<int:pk>/", views.manage_meeting, name="manage_meeting"),
    path("<slug:slug>/gestion/priorites/", views.priorities, name="priorities"),
    path("<slug:slug>/gestion/priorites/classement/", views.rank_priorities, name="rank"),
]
