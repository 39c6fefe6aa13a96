"""Proposing and organising events: the review of proposals, an event's management page and what
its hosts record (attendance, the ranking of priorities, the outcome)."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from enfance.assemblies.models import Instance
from enfance.core.access import require
from enfance.core.forms import add_service_errors

from .. import services
from ..enums import EventStatus
from ..forms import AddHostForm, AtelierForm, EventForm, OutcomeForm, PriorityVoteForm, ReasonForm
from ..models import Event
from ..perms import can_create_any_event
from .common import EVENTS_PER_PAGE, breadcrumb, event_link, managed, visible


def _manageable_instances(user):
    """The instances an event may be attached to by this person."""
    return Instance.objects.order_by("name").managed_by(user)


def _create(request, form_class, template, *, title, **form_kwargs):
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.propose_event(by=request.user, **form.event_fields())
        except ValidationError as exc:
            add_service_errors(form, exc)
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
        {"form": form, "title": title, "breadcrumb_data": breadcrumb(current=title)},
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
        {"page_obj": page, "breadcrumb_data": breadcrumb(current="Propositions à examiner")},
    )


def manage(request, pk, *, reason_form=None, reason_action="", host_form=None, status=200):
    event = visible(request, pk)
    abilities = event.abilities(request.user)
    if not abilities["open_management"]:
        raise PermissionDenied
    return render(
        request,
        "events/manage.html",
        {
            "event": event,
            "abilities": abilities,
            "hosts": event.hosts.order_by("first_name", "last_name"),
            "refuse_form": reason_form if reason_action == "refuse" else ReasonForm(),
            "cancel_form": reason_form if reason_action == "cancel" else ReasonForm(),
            "host_form": host_form or AddHostForm(),
            "counts": {
                "registered": event.registered_count,
                "waiting": event.registrations.waiting().count(),
            },
            "breadcrumb_data": breadcrumb(event_link(event), current="Gérer"),
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
    event = visible(request, pk)
    if name not in _SIMPLE_TRANSITIONS:
        raise PermissionDenied
    service, done = _SIMPLE_TRANSITIONS[name]
    try:
        service(event, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("events:manage", pk=event.pk)


def _with_reason(request, pk, action, service, done):
    event = visible(request, pk)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            service(event, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
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
    event = managed(request, pk)
    form = AddHostForm(request.POST)
    if form.is_valid():
        try:
            services.add_host(event, by=request.user, user=form.host)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{form.host.display_name} anime désormais l'événement.")
            return redirect("events:manage", pk=event.pk)
    return manage(request, pk, host_form=form, status=400)


def attendance(request, pk):
    event = managed(request, pk)
    registrations = event.registrations.registered().select_related("user")
    registrations = registrations.order_by("user__last_name", "user__first_name", "pk")
    if request.method == "POST":
        try:
            present = services.record_attendance(
                event, by=request.user, present_ids=request.POST.getlist("present")
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
            "abilities": event.abilities(request.user),
            "registrations": registrations,
            "breadcrumb_data": breadcrumb(event_link(event), current="Présences"),
        },
    )


def outcome(request, pk):
    event = managed(request, pk)
    initial = {
        "minutes": event.minutes,
        "priorities": "\n".join(event.priorities),
        "elected": "\n".join(event.elected),
    }
    form = OutcomeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_outcome(event, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Le compte rendu est publié sur la page de l'événement.")
            return redirect(event)
    return render(
        request,
        "events/outcome.html",
        {
            "event": event,
            "form": form,
            "breadcrumb_data": breadcrumb(event_link(event), current="Compte rendu"),
        },
    )


def priority_vote(request, pk):
    """The hosts open the ranking of the territory's needs by the people present."""
    event = managed(request, pk)
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = PriorityVoteForm(
        request.POST or None,
        initial={"opens_at": now, "closes_at": now + timedelta(hours=2)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ballot = services.open_priority_vote(
                event,
                by=request.user,
                priorities=data["priorities"].splitlines(),
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Le vote est ouvert aux personnes présentes.")
            return redirect("votes:ballot", pk=ballot.pk)
    return render(
        request,
        "events/priority_vote.html",
        {
            "event": event,
            "form": form,
            "breadcrumb_data": breadcrumb(event_link(event), current="Classer les priorités"),
        },
    )
