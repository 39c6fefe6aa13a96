from django.urls import path

from .views import applications, meetings, membership, proposals, public

app_name = "assemblies"

# The pages of an election held at an atelier and of an instance proposed at the end of a forum
# start from an event: they are the events module's (enfance.events.instance_urls), mounted at
# these addresses by config/urls.py.
urlpatterns = [
    path("", public.instance_list, name="list"),
    path("carte/", public.instance_map, name="map"),
    path("creer/", membership.create_instance, name="create"),
    path("propositions/", proposals.instance_proposals, name="proposals"),
    path(
        "propositions/<int:pk>/<slug:decision>/",
        proposals.decide_instance_proposal,
        name="decide_proposal",
    ),
    path("<slug:slug>/", public.instance_detail, name="detail"),
    path("<slug:slug>/candidater/", membership.apply, name="apply"),
    path("<slug:slug>/reunions/<int:pk>/", public.meeting_detail, name="meeting"),
    path("<slug:slug>/tirages/<int:pk>/", public.draw_detail, name="draw"),
    path("<slug:slug>/gestion/", membership.manage, name="manage"),
    path("<slug:slug>/gestion/etat/<slug:transition>/", membership.change_status, name="status"),
    path("<slug:slug>/gestion/mandats/<int:pk>/fin/", membership.end_member, name="end_member"),
    path("<slug:slug>/gestion/candidatures/", applications.applications, name="applications"),
    path(
        "<slug:slug>/gestion/elections/<int:pk>/conclure",
        applications.conclude_election,
        name="conclude_election",
    ),
    path(
        "<slug:slug>/gestion/candidatures/<int:pk>/<slug:decision>/",
        applications.decide_application,
        name="decide_application",
    ),
    path("<slug:slug>/gestion/candidatures/<int:pk>/installer", applications.seat, name="seat"),
    path(
        "<slug:slug>/gestion/candidatures/<int:pk>/cooptation",
        applications.cooptation,
        name="cooptation",
    ),
    path(
        "<slug:slug>/gestion/candidatures/<int:pk>/consentement",
        membership.consent,
        name="consent",
    ),
    path("<slug:slug>/gestion/tirage/", applications.run_draw, name="run_draw"),
    path("<slug:slug>/gestion/reunions/", meetings.meetings, name="meetings"),
    path("<slug:slug>/gestion/reunions/<int:pk>/", meetings.manage_meeting, name="manage_meeting"),
    path("<slug:slug>/gestion/priorites/", meetings.priorities, name="priorities"),
    path("<slug:slug>/gestion/priorites/classement/", meetings.rank_priorities, name="rank"),
]
