"""Pages of an instance that start from an event (an election held at an atelier, an instance
proposed at the end of a forum), at the instances' addresses: config/urls.py mounts them under
/instances/, before the instances module, a layer below, which cannot import them."""

from django.urls import path

from .views import find, instances

app_name = "instance_events"

urlpatterns = [
    path("trouver/", find.find_instance, name="find"),
    path("proposer/<int:event_pk>/", instances.propose_instance, name="propose"),
    path("<slug:slug>/gestion/elections/", instances.elections, name="elections"),
]
