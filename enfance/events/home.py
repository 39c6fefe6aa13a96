"""What the events module shows on the home page (``core.home``): « Trouver mon instance » and
the next public forums and ateliers, a signed-in person's département first."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from enfance.core import fulltext
from enfance.core.home import Result, Section, Source, register_section, register_source
from enfance.territories.models import Departement

from .caching import EVENTS
from .enums import MEMBERS_ONLY_KINDS, EventStatus
from .models import Event

HOME_EVENTS = 4


def upcoming_public_events():
    """Published events still to come that anyone may attend, soonest first (the calendar's
    index: status, starts_at)."""
    return (
        Event.objects.filter(status=EventStatus.PUBLISHED, starts_at__gte=timezone.now())
        .exclude(kind__in=MEMBERS_ONLY_KINDS)
        .select_related("departement", "commune")
        .order_by("starts_at", "pk")
    )


def person_departement(user):
    """The département of a signed-in person who gave their commune, else None."""
    if not user.is_authenticated or user.commune_id is None:
        return None
    # One query for both, not one for the commune then one for its département.
    return Departement.objects.filter(communes=user.commune_id).first()


def _events_context(request) -> dict:
    departement = person_departement(request.user)
    events = []
    if departement is not None:
        events = list(upcoming_public_events().filter(departement=departement)[:HOME_EVENTS])
    if len(events) < HOME_EVENTS:
        others = upcoming_public_events().exclude(pk__in=[e.pk for e in events])
        events += list(others[: HOME_EVENTS - len(events)])
    return {"events": events, "departement": departement}


def _hour():
    # What is "upcoming" moves with the clock: the section is rebuilt when the hour turns.
    return f"{timezone.localtime():%Y%m%d%H}"


register_section(
    Section(
        name="find_instance",
        order=5,
        template="events/home_find_instance.html",
        context=lambda request: {"url": reverse("instance_events:find")},
    )
)
register_section(
    Section(
        name="events",
        order=20,
        template="events/home_section.html",
        context=_events_context,
        versions=(EVENTS,),
        token=_hour,
    )
)


def _find(query: str, limit: int) -> list[Result]:
    # The best matches first; among equals, the sooner.
    found = fulltext.search(
        Event.objects.public().select_related("commune", "departement"), query
    ).order_by("-search_rank", "-starts_at", "-pk")
    return [
        Result(
            title=event.title,
            url=event.get_absolute_url(),
            line=" · ".join(
                filter(
                    None,
                    [
                        event.get_kind_display(),
                        date_format(timezone.localtime(event.starts_at), "j F Y"),
                        event.commune.name if event.commune_id else event.departement.name,
                    ],
                )
            ),
        )
        for event in found[:limit]
    ]


register_source(Source(name="events", label="Événements", order=20, find=_find))
