from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("proposer/", views.propose, name="propose"),
    path("nouveau/", views.create, name="create"),
    path("propositions/", views.proposals, name="proposals"),
    path("mes-inscriptions/", views.my_registrations, name="my_registrations"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/evenement.ics", views.calendar_file, name="ics"),
    path("<int:pk>/inscription/", views.register, name="register"),
    path("<int:pk>/desinscription/", views.unregister, name="unregister"),
    path("<int:pk>/gerer/", views.manage, name="manage"),
    path("<int:pk>/gerer/<slug:name>/", views.transition, name="transition"),
    path("<int:pk>/refuser/", views.refuse, name="refuse"),
    path("<int:pk>/annuler/", views.cancel, name="cancel"),
    path("<int:pk>/animateurs/", views.add_host, name="add_host"),
    path("<int:pk>/presences/", views.attendance, name="attendance"),
    path("<int:pk>/priorites/", views.priority_vote, name="priority_vote"),
    path("<int:pk>/compte-rendu/", views.outcome, name="outcome"),
]
