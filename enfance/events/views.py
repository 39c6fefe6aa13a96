import hashlib
from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache as fragment_cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from enfance.accounts.enums import RoleKind, ScopeLevel
from enfance.assemblies.models import Instance, Membership
from enfance.core.access import get_visible_or_404, require
from enfance.territories.services import cache_version
from enfance.votes.models import Ballot

from . import services
from .enums import EVENT_WORKFLOW, EventStatus, RegistrationStatus
from .forms import (
    AddHostForm,
    AtelierForm,
    CalendarFilterForm,
    EventForm,
    OutcomeForm,
    PriorityVoteForm,
    ReasonForm,
)
from .ics import event_ics
from .models import Event, Registration
from .perms import can_create_any_event, can_manage_event, can_review_event, can_withdraw_event
from .signals import events_version

EVENTS_PER_PAGE = 20


def _breadcrumb(*links, current: str) -> dict:
    agenda = {"url": reverse("events:calendar"), "title": "Agenda"}
    return {"links": [agenda, *links], "current": current, "root_dir": reverse("core:home")}


def _event_link(event: Event) -> dict:
    return {"url": event.get_absolute_url(), "title": event.title}


def _visible(request, pk) -> Event:
    queryset = (
        Event.objects.visible_to(request.user)
        .select_related("departement__region", "commune", "instance__departement")
        .prefetch_related("hosts")
    )
    return get_visible_or_404(queryset, pk=pk)


def _managed(request, pk) -> Event:
    event = _visible(request, pk)
    require(request.user, can_manage_event, event)
    return event


@login_not_required
def calendar(request):
    form = CalendarFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    past = filters.get("periode") == "passes"
    filtered = form.is_bound and form.has_changed()
    return render(
        request,
        "events/calendar.html",
        {
            "form": form,
            "past": past,
            "filtered": filtered,
            "results": _calendar_results(request, filters, past=past, filtered=filtered),
            "can_create": can_create_any_event(request.user),
            "territories_version": cache_version(),
        },
    )


def _calendar_results(request, filters: dict, *, past: bool, filtered: bool) -> str:
    """The events of the calendar, rendered once per question and cached until an event or a
    registration changes (signals.py bumps the version) or the hour turns (what is "upcoming"
    moves with the clock)."""
    now = timezone.now()
    question = (sorted(request.GET.lists()), f"{timezone.localtime(now):%Y%m%d%H}")
    digest = hashlib.sha256(repr(question).encode()).hexdigest()
    key = f"agenda:{events_version()}:{cache_version()}:{digest}"
    results = fragment_cache.get(key)
    if results is None:
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
        page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
        results = render_to_string(
            "events/_calendar_results.html",
            {"page_obj": page, "past": past, "filtered": filtered},
            request=request,
        )
        fragment_cache.set(key, results, timeout=3600)
    return mark_safe(results)  # noqa: S308 - rendered by our own template, escaped there


@login_not_required
def detail(request, pk):
    event = _visible(request, pk)
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
            "ballots": Ballot.objects.for_context(event).order_by("opens_at", "pk"),
            "hosts": [services.public_name(h) for h in event.hosts.all()],
            "registration": registration,
            "position": position,
            "open": event.is_open_for_registration(),
            "can_manage": can_manage_event(user, event) or can_withdraw_event(user, event),
            "when": services.format_when(event.starts_at),
            "breadcrumb_data": _breadcrumb(current=event.title),
        },
    )


@login_not_required
def calendar_file(request, pk):
    event = _visible(request, pk)
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
    event = _visible(request, pk)
    try:
        registration = services.register(by=request.user, event=event)
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
    event = _visible(request, pk)
    try:
        services.cancel_registration(by=request.user, event=event)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Votre inscription est annulée.")
    return redirect(event)


def _manageable_instances(user):
    """The instances an event may be attached to by this person: all of them for a national
    administrator, those of their région for a regional one, those they run otherwise."""
    instances = Instance.objects.order_by("name")
    admin_roles = [r for r in user.active_roles() if r.kind == RoleKind.ADMINISTRATEUR_NATIONAL]
    if any(r.scope_level == ScopeLevel.NATIONAL for r in admin_roles):
        return instances
    managed = Membership.objects.current().managers().filter(user=user).values("instance")
    regions = [r.region_id for r in admin_roles if r.scope_level == ScopeLevel.REGION]
    return instances.filter(Q(pk__in=managed) | Q(departement__region__in=regions))


def _create(request, form_class, template, *, title, **form_kwargs):
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.propose_event(by=request.user, **form.event_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            if event.status == EventStatus.PUBLISHED:
                messages.success(request, "L'événement est publié dans l'agenda.")
            else:
                messages.success(
                    request,
                    "Merci ! Votre proposition est enregistrée. Elle sera examinée et vous "
                    "recevrez la réponse par courriel.",
                )
            return redirect(event)
    return render(
        request,
        template,
        {"form": form, "title": title, "breadcrumb_data": _breadcrumb(current=title)},
    )


def propose(request):
    return _create(request, AtelierForm, "events/propose.html", title="Proposer un atelier")


def create(request):
    require(request.user, can_create_any_event)
    return _create(
        request,
        EventForm,
        "events/propose.html",
        title="Créer un événement",
        instances=_manageable_instances(request.user),
    )


def proposals(request):
    require(request.user, can_create_any_event)
    events = (
        Event.objects.reviewable_by(request.user)
        .select_related("departement", "commune", "proposed_by")
        .order_by("created_at", "pk")
    )
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/proposals.html",
        {"page_obj": page, "breadcrumb_data": _breadcrumb(current="Propositions à examiner")},
    )


def manage(request, pk, *, reason_form=None, reason_action="", host_form=None, status=200):
    event = _visible(request, pk)
    if not (can_manage_event(request.user, event) or can_withdraw_event(request.user, event)):
        raise PermissionDenied
    counts = {
        "registered": event.registered_count,
        "waiting": event.registrations.waiting().count(),
    }
    return render(
        request,
        "events/manage.html",
        {
            "event": event,
            "hosts": event.hosts.order_by("first_name", "last_name"),
            "transitions": [
                t
                for t in EVENT_WORKFLOW.available(event, request.user)
                if t.name not in ("refuse", "cancel")
            ],
            "can_refuse": can_review_event(request.user, event)
            and event.status == EventStatus.PROPOSED,
            "can_cancel": can_manage_event(request.user, event)
            and event.status == EventStatus.PUBLISHED,
            "is_manager": can_manage_event(request.user, event),
            "refuse_form": reason_form if reason_action == "refuse" else ReasonForm(),
            "cancel_form": reason_form if reason_action == "cancel" else ReasonForm(),
            "host_form": host_form or AddHostForm(),
            "counts": counts,
            "breadcrumb_data": _breadcrumb(_event_link(event), current="Gérer"),
        },
        status=status,
    )


_SIMPLE_TRANSITIONS = {
    "accept": (services.accept_event, "La proposition est acceptée et publiée."),
    "withdraw": (services.withdraw_event, "La proposition est retirée."),
    "finish": (services.finish_event, "L'événement est marqué comme terminé."),
}


@require_POST
def transition(request, pk, name):
    event = _visible(request, pk)
    if name not in _SIMPLE_TRANSITIONS:
        raise PermissionDenied
    service, done = _SIMPLE_TRANSITIONS[name]
    try:
        service(by=request.user, event=event)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("events:manage", pk=event.pk)


def _with_reason(request, pk, action, service, done):
    event = _visible(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            service(by=request.user, event=event, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, done)
            return redirect("events:manage", pk=event.pk)
    return manage(request, pk, reason_form=form, reason_action=action, status=400)


@require_POST
def refuse(request, pk):
    return _with_reason(
        request,
        pk,
        "refuse",
        services.refuse_event,
        "La proposition est refusée ; la personne qui l'a faite est prévenue par courriel.",
    )


@require_POST
def cancel(request, pk):
    return _with_reason(
        request,
        pk,
        "cancel",
        services.cancel_event,
        "L'événement est annulé ; les personnes inscrites sont prévenues par courriel.",
    )


@require_POST
def add_host(request, pk):
    event = _managed(request, pk)
    form = AddHostForm(request.POST)
    if form.is_valid():
        try:
            services.add_host(by=request.user, event=event, user=form.host)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{form.host.display_name} anime désormais l'événement.")
            return redirect("events:manage", pk=event.pk)
    return manage(request, pk, host_form=form, status=400)


def attendance(request, pk):
    event = _managed(request, pk)
    registrations = event.registrations.registered().select_related("user")
    registrations = registrations.order_by("user__last_name", "user__first_name", "pk")
    if request.method == "POST":
        try:
            present = services.record_attendance(
                by=request.user, event=event, present_ids=request.POST.getlist("present")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Présences enregistrées : {present} présent(s).")
            return redirect("events:attendance", pk=event.pk)
    return render(
        request,
        "events/attendance.html",
        {
            "event": event,
            "registrations": registrations,
            "breadcrumb_data": _breadcrumb(_event_link(event), current="Présences"),
        },
    )


def outcome(request, pk):
    event = _managed(request, pk)
    initial = {
        "minutes": event.minutes,
        "priorities": "\n".join(event.priorities),
        "elected": "\n".join(event.elected),
    }
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_outcome(by=request.user, event=event, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Le compte rendu est publié sur la page de l'événement.")
            return redirect(event)
    return render(
        request,
        "events/outcome.html",
        {
            "event": event,
            "form": form,
            "breadcrumb_data": _breadcrumb(_event_link(event), current="Compte rendu"),
        },
    )


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
            "breadcrumb_data": _breadcrumb(current="Mes inscriptions"),
        },
    )


def priority_vote(request, pk):
    """The hosts open the ranking of the territory's needs by the people present."""
    event = _managed(request, pk)
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = PriorityVoteForm(
        request.POST or None,
        initial={"opens_at": now, "closes_at": now + timedelta(hours=2)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ballot = services.open_priority_vote(
                by=request.user,
                event=event,
                priorities=data["priorities"].splitlines(),
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, "Le vote est ouvert aux personnes présentes.")
            return redirect("votes:ballot", pk=ballot.pk)
    return render(
        request,
        "events/priority_vote.html",
        {
            "event": event,
            "form": form,
            "breadcrumb_data": _breadcrumb(_event_link(event), current="Classer les priorités"),
        },
    )
