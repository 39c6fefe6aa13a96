"""The agenda, an event's page, its calendar file, registering and one's own registrations.

The agenda is served whole to visitors from the page cache (``core.pagecache``), keyed by the
versions of the events and the territories (bumped by every write, so a registration shows at
once in the places left) and rebuilt when the hour turns (what is "upcoming" moves with the
clock). Its list is also kept for signed-in people (``core.cache.rebuilt_once``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from enfance.accounts.naming import public_name
from enfance.core.cache import digest, rebuilt_once, versions
from enfance.core.pagecache import visitor_page
from enfance.territories.services import TERRITORIES
from enfance.votes.models import Ballot

from .. import services
from ..caching import EVENTS
from ..enums import MEMBERS_ONLY_KINDS, EventStatus, RegistrationStatus
from ..forms import CalendarFilterForm
from ..ics import event_ics
from ..models import Event, Registration
from ..perms import can_create_any_event, can_manage_event
from .common import EVENTS_PER_PAGE, breadcrumb, event_breadcrumb, visible

# What is "upcoming" moves with the clock: the agenda is rebuilt when the hour turns.
HOUR = 3600


@login_not_required
def calendar(request):
    shown = versions(EVENTS, TERRITORIES)
    hour = f"{timezone.localtime():%Y%m%d%H}"
    return visitor_page(
        request,
        f"events:calendar:{shown}:{digest(sorted(request.GET.lists()))}",
        lambda **extra: _render_calendar(request, shown, hour, **extra),
        fresh_for=HOUR,
        token=hour,
    )


def _render_calendar(request, shown: str, hour: str, **extra):
    form = CalendarFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    past = filters.get("periode") == "passes"
    filtered = form.is_bound and form.has_changed()
    results = rebuilt_once(
        f"events:calendar-results:{shown}:{digest(sorted(request.GET.lists()))}",
        lambda: _calendar_results(request, filters, past=past, filtered=filtered),
        fresh_for=HOUR,
        token=hour,
    )
    return render(
        request,
        "events/calendar.html",
        {
            "form": form,
            "past": past,
            "filtered": filtered,
            "results": mark_safe(results),  # noqa: S308 - rendered by our own template, escaped there
            "can_create": can_create_any_event(request.user),
            "filters_version": shown,
            **extra,
        },
    )


def _calendar_results(request, filters: dict, *, past: bool, filtered: bool) -> str:
    """The events of the agenda, the same for everyone asking the same thing."""
    now = timezone.now()
    events = Event.objects.select_related("departement", "commune")
    if filters.get("region"):
        events = events.filter(departement__region=filters["region"])
    if filters.get("departement"):
        events = events.filter(departement=filters["departement"])
    if filters.get("kind"):
        events = events.filter(kind=filters["kind"])
    if past:
        events = events.public().past(now).order_by("-starts_at", "-pk")
    else:
        events = events.upcoming(now).filter(status=EventStatus.PUBLISHED)
        events = events.exclude(kind__in=MEMBERS_ONLY_KINDS)
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render_to_string(
        "events/_calendar_results.html",
        {"page_obj": page, "past": past, "filtered": filtered},
        request=request,
    )


@login_not_required
def detail(request, pk):
    event = visible(request, pk)
    user = request.user
    registration = position = None
    if user.is_authenticated:
        registration = Registration.objects.active().filter(event=event, user=user).first()
        if registration is not None and registration.status == RegistrationStatus.WAITING:
            position = services.waiting_position(registration)
    return render(
        request,
        "events/detail.html",
        {
            "event": event,
            "abilities": event.abilities(user),
            "ballots": Ballot.objects.for_context(event).order_by("opens_at", "pk"),
            "hosts": [public_name(h) for h in event.hosts.all()],
            "registration": registration,
            "position": position,
            "open": event.is_open_for_registration(),
            "when": services.format_when(event.starts_at),
            "breadcrumb_data": event_breadcrumb(event),
        },
    )


@login_not_required
def calendar_file(request, pk):
    event = visible(request, pk)
    user = request.user
    show_link = can_manage_event(user, event) or (
        user.is_authenticated
        and Registration.objects.registered().filter(event=event, user=user).exists()
    )
    content = event_ics(
        event, url=request.build_absolute_uri(event.get_absolute_url()), show_link=show_link
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="evenement-{event.pk}.ics"'
    return response


@require_POST
def register(request, pk):
    event = visible(request, pk)
    try:
        registration = services.register(event, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if registration.status == RegistrationStatus.REGISTERED:
            messages.success(request, "Votre inscription est confirmée. À bientôt !")
        else:
            position = services.waiting_position(registration)
            messages.warning(
                request,
                f"L'événement est complet : vous êtes sur la liste d'attente, en position "
                f"{position}. Si une place se libère, elle vous sera attribuée et nous vous "
                f"écrirons.",
            )
    return redirect(event)


@require_POST
def unregister(request, pk):
    event = visible(request, pk)
    try:
        services.cancel_registration(event, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Votre inscription est annulée.")
    return redirect(event)


MY_TABS = {
    "": "À venir",
    "passees": "Passées",
    "anime": "J'anime",
}


def my_registrations(request):
    tab = request.GET.get("onglet", "")
    if tab not in MY_TABS:
        tab = ""
    now = timezone.now()
    user = request.user
    if tab == "anime":
        items = (
            Event.objects.hosted_by(user)
            .select_related("departement", "commune")
            .order_by("-starts_at", "-pk")
        )
    else:
        items = Registration.objects.filter(user=user).select_related(
            "event__departement", "event__commune"
        )
        if tab == "passees":
            items = items.filter(event__ends_at__lt=now)
            items = items.exclude(status=RegistrationStatus.CANCELLED)
            items = items.order_by("-event__starts_at", "-pk")
        else:
            items = items.active().filter(event__ends_at__gte=now)
            items = items.order_by("event__starts_at", "pk")
    page = Paginator(items, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/my_registrations.html",
        {
            "tab": tab,
            "tabs": MY_TABS,
            "page_obj": page,
            "breadcrumb_data": breadcrumb(current="Mes inscriptions"),
        },
    )
