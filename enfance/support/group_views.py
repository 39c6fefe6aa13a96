"""Pages of the groupes de parole: thin, rules in groups.py, what a page offers in the group's
``abilities``. Anyone sees that a group exists, its theme, territory and facilitator; its
sessions, announcements and members are for its members and its facilitator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from enfance.accounts.naming import public_name
from enfance.core.access import get_visible_or_404
from enfance.core.forms import act, add_service_errors, told
from enfance.events.enums import ACTIVE_REGISTRATION_STATUSES, EventStatus
from enfance.events.models import Event, Registration

from . import groups, perms
from .enums import GroupStatus
from .forms import (
    AnnouncementForm,
    GroupFilterForm,
    GroupForm,
    JoinForm,
    ReasonForm,
    SessionForm,
)
from .models import SupportGroup
from .views import PER_PAGE, breadcrumb
from .workflows import refusal_to_join

ANNOUNCEMENTS_SHOWN = 10


def _groups_link() -> dict:
    return {"url": reverse("support:groups"), "title": "Groupes de parole"}


def _group(pk) -> SupportGroup:
    return get_visible_or_404(
        SupportGroup.objects.select_related("departement", "facilitator__child_profile"), pk=pk
    )


@login_not_required
def groups_page(request):
    user = request.user
    found = (
        SupportGroup.objects.filter(status=GroupStatus.OPEN)
        .select_related("departement", "facilitator__child_profile")
        .annotate(members=Count("memberships", filter=Q(memberships__left_at__isnull=True)))
        .order_by("departement__code", "title", "pk")
    )
    form = GroupFilterForm(request.GET or None)
    if form.is_valid():
        if form.cleaned_data["departement"]:
            found = found.filter(departement=form.cleaned_data["departement"])
        if form.cleaned_data["theme"]:
            found = found.filter(theme=form.cleaned_data["theme"])
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    for group in page:
        group.facilitator_name = public_name(group.facilitator) if group.facilitator else ""
    mine = (
        SupportGroup.objects.filter(
            Q(memberships__user=user, memberships__left_at__isnull=True) | Q(facilitator=user)
        )
        .distinct()
        .select_related("departement")
        if user.is_authenticated
        else []
    )
    return render(
        request,
        "support/groups.html",
        {
            "page_obj": page,
            "mine": mine,
            "form": form,
            "can_create": perms.is_professional(user),
            "breadcrumb_data": breadcrumb(current="Groupes de parole"),
        },
    )


def _sessions(group: SupportGroup, user):
    """The group's sessions, the coming ones first, each with the person's registration."""
    mine = Registration.objects.filter(user=user.pk, status__in=ACTIVE_REGISTRATION_STATUSES)
    return (
        Event.objects.filter(group_session__group=group)
        .select_related("departement", "commune")
        .exclude(status=EventStatus.PROPOSED)
        .prefetch_related(Prefetch("registrations", queryset=mine, to_attr="mine"))
        .order_by("-starts_at", "-pk")
    )


@login_not_required
def group_page(request, pk):
    group = _group(pk)
    user = request.user
    abilities = group.abilities(user)
    now = timezone.now()
    sessions = announcements = members = None
    if abilities["see_sessions"]:
        every = list(_sessions(group, user))
        sessions = {
            "coming": sorted((e for e in every if e.ends_at >= now), key=lambda e: e.starts_at),
            "past": [e for e in every if e.ends_at < now][:10],
        }
        announcements = group.announcements.all()[:ANNOUNCEMENTS_SHOWN]
    if abilities["lead"]:
        members = group.memberships.current().select_related("user")
    return render(
        request,
        "support/group.html",
        {
            "group": group,
            "abilities": abilities,
            "facilitator": public_name(group.facilitator) if group.facilitator else "",
            "members_count": group.memberships.current().count(),
            "sessions": sessions,
            "announcements": announcements,
            "members": members,
            "join_form": JoinForm() if abilities["join"] else None,
            "join_refusal": None
            if abilities["join"] or abilities["leave"] or abilities["lead"]
            else refusal_to_join(user, group),
            "announcement_form": AnnouncementForm() if abilities["announce"] else None,
            "reason_form": ReasonForm() if abilities["lead"] else None,
            "breadcrumb_data": breadcrumb(_groups_link(), current=group.title),
        },
    )


def new_group(request):
    if not perms.is_professional(request.user):
        raise PermissionDenied
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = groups.create_group(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "Le groupe est ouvert. Programmez sa première séance quand vous voulez."
            )
            return redirect(created)
    return render(
        request,
        "support/group_new.html",
        {
            "form": form,
            "breadcrumb_data": breadcrumb(_groups_link(), current="Ouvrir un groupe"),
        },
    )


@require_POST
def join(request, pk):
    group = _group(pk)
    act(
        request,
        JoinForm(request.POST),
        lambda data: groups.join(group, by=request.user, charter_accepted=data["charter"]),
        "Bienvenue dans le groupe. Les séances à venir sont ci-dessous : inscrivez-vous à "
        "celles qui vous conviennent.",
    )
    return redirect(group)


@require_POST
def leave(request, pk):
    group = _group(pk)
    told(
        request,
        lambda: groups.leave(group, by=request.user),
        "Vous avez quitté le groupe. Vos inscriptions aux séances à venir sont annulées.",
    )
    return redirect(group)


@require_POST
def announce(request, pk):
    group = _group(pk)
    act(
        request,
        AnnouncementForm(request.POST),
        lambda data: groups.announce(group, by=request.user, text=data["text"]),
        "L'annonce est publiée ; les membres en sont prévenus par courriel.",
    )
    return redirect(group)


@require_POST
def remove_member(request, pk, membership_pk):
    group = _group(pk)
    act(
        request,
        ReasonForm(request.POST),
        lambda data: groups.remove_member(
            group, by=request.user, membership_id=membership_pk, reason=data["reason"]
        ),
        "La personne est retirée du groupe ; elle en est prévenue avec le motif.",
    )
    return redirect(group)


@require_POST
def close(request, pk):
    group = _group(pk)
    act(
        request,
        ReasonForm(request.POST),
        lambda data: groups.close_group(group, by=request.user, reason=data["reason"]),
        "Le groupe est clos ; les séances à venir sont annulées et les inscrits prévenus.",
    )
    return redirect(group)


def new_session(request, pk):
    group = _group(pk)
    if not group.abilities(request.user)["schedule"]:
        raise PermissionDenied
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = form.event_fields()
        for unused in ("kind", "instance"):
            fields.pop(unused)
        try:
            session = groups.schedule_session(group, by=request.user, **fields)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "La séance est programmée ; les membres en sont prévenus.")
            return redirect(session.event)
    return render(
        request,
        "support/group_session_new.html",
        {
            "group": group,
            "form": form,
            "breadcrumb_data": breadcrumb(
                _groups_link(),
                {"url": group.get_absolute_url(), "title": group.title},
                current="Programmer une séance",
            ),
        },
    )
