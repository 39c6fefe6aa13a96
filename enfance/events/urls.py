from django.urls import path

from .views import manage, public

app_name = "events"

urlpatterns = [
    path("", public.calendar, name="calendar"),
    path("proposer/", manage.propose, name="propose"),
    path("nouveau/", manage.create, name="create"),
    path("propositions/", manage.proposals, name="proposals"),
    path("mes-inscriptions/", public.my_registrations, name="my_registrations"),
    path("<int:pk>/", public.detail, name="detail"),
    path("<int:pk>/evenement.ics", public.calendar_file, name="ics"),
    path("<int:pk>/inscription/", public.register, name="register"),
    path("<int:pk>/desinscription/", public.unregister, name="unregister"),
    path("<int:pk>/gerer/", manage.manage, name="manage"),
    path("<int:pk>/gerer/<slug:name>/", manage.transition, name="transition"),
    path("<int:pk>/refuser/", manage.refuse, name="refuse"),
    path("<int:pk>/annuler/", manage.cancel, name="cancel"),
    path("<int:pk>/animateurs/", manage.add_host, name="add_host"),
    path("<int:pk>/presences/", manage.attendance, name="attendance"),
    path("<int:pk>/priorites/", manage.priority_vote, name="priority_vote"),
    path("<int:pk>/compte-rendu/", manage.outcome, name="outcome"),
]
