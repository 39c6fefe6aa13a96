"""What the events' pages share: breadcrumbs and loading an event."""

from django.urls import reverse

from enfance.core.access import get_visible_or_404, require

from ..models import Event
from ..perms import can_manage_event

EVENTS_PER_PAGE = 20


def breadcrumb(*links, current: str) -> dict:
    agenda = {"url": reverse("events:calendar"), "title": "Agenda"}
    return {"links": [agenda, *links], "current": current, "root_dir": reverse("core:home")}


def event_breadcrumb(event: Event) -> dict:
    """A members-only event leads back to its circle (a group), any other to the agenda."""
    home = event.home
    if home is None:
        return breadcrumb(current=event.title)
    return {"links": [home], "current": event.title, "root_dir": reverse("core:home")}


def event_link(event: Event) -> dict:
    return {"url": event.get_absolute_url(), "title": event.title}


def visible(request, pk) -> Event:
    queryset = (
        Event.objects.visible_to(request.user)
        .select_related("departement__region", "commune", "instance__departement")
        .prefetch_related("hosts__child_profile")
    )
    return get_visible_or_404(queryset, pk=pk)


def managed(request, pk) -> Event:
    event = visible(request, pk)
    require(request.user, can_manage_event, event)
    return event
