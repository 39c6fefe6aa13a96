"""Meetings and the local diagnostic, as the secretariat runs them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from enfance.core.access import get_visible_or_404
from enfance.core.forms import add_service_errors

from .. import services
from ..forms import BallotDatesForm, DecisionForm, MeetingForm, MinutesForm, PriorityForm
from ..models import Minutes, Priority, PriorityRanking
from .common import default_ballot_dates, manage_crumbs, managed_instance

MEETINGS_PER_PAGE = 20


def meetings(request, slug):
    instance = managed_instance(request, slug)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.schedule_meeting(
                instance,
                by=request.user,
                title=data["title"],
                starts_at=data["starts_at"],
                place=data["place"],
                online_link=data["online_link"],
                agenda=data["agenda"].splitlines(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "La réunion est prévue. Envoyez la convocation aux membres.")
            return redirect("assemblies:manage_meeting", slug=slug, pk=meeting.pk)
    page = Paginator(instance.meetings.order_by("-starts_at"), MEETINGS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "assemblies/meetings.html",
        {
            "instance": instance,
            "form": form,
            "page_obj": page,
            "breadcrumb_data": manage_crumbs(instance, "Réunions"),
        },
    )


def manage_meeting(request, slug, pk):
    instance = managed_instance(request, slug)
    meeting = get_visible_or_404(instance.meetings.all(), pk=pk)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    decision_form = DecisionForm(prefix="decision")
    minutes_form = MinutesForm(prefix="minutes", initial={"text": minutes.text if minutes else ""})
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "convoquer":
                sent = services.convene_meeting(meeting, by=request.user)
                messages.success(request, f"Convocation envoyée à {sent} membre(s).")
                return redirect(request.path)
            if action == "presences":
                present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
                here, total = services.record_attendance(meeting, by=request.user, present=present)
                messages.success(request, f"Présences enregistrées : {here} sur {total}.")
                return redirect(request.path)
            if action == "decision":
                decision_form = DecisionForm(request.POST, prefix="decision")
                if decision_form.is_valid():
                    services.record_decision(meeting, by=request.user, **decision_form.cleaned_data)
                    messages.success(request, "La décision est inscrite.")
                    return redirect(request.path)
            if action in {"compte_rendu", "publier"}:
                minutes_form = MinutesForm(request.POST, prefix="minutes")
                if minutes_form.is_valid():
                    minutes = services.save_minutes(
                        meeting, by=request.user, **minutes_form.cleaned_data
                    )
                    if action == "publier":
                        services.publish_minutes(minutes, by=request.user)
                        messages.success(request, "Le compte rendu est publié.")
                    else:
                        messages.success(request, "Le brouillon du compte rendu est enregistré.")
                    return redirect(request.path)
        except ValidationError as exc:
            target = minutes_form if action in {"compte_rendu", "publier"} else decision_form
            if action in {"convoquer", "presences"}:
                messages.error(request, " ".join(exc.messages))
                return redirect(request.path)
            add_service_errors(target, exc)
    members = list(services.members_for_meeting(meeting))
    present = set(meeting.attendances.filter(present=True).values_list("membership_id", flat=True))
    required = instance.quorum_for(len(members))
    return render(
        request,
        "assemblies/manage_meeting.html",
        {
            "instance": instance,
            "meeting": meeting,
            "agenda": meeting.agenda_items.all(),
            "decisions": meeting.decisions.all(),
            "members": members,
            "present": present,
            "quorum_required": required,
            "quorum_reached": len(present) >= required and bool(members),
            "minutes": minutes,
            # Minutes not written yet are a draft that the page offers to write and publish.
            "abilities": (minutes or Minutes(meeting=meeting)).abilities(request.user),
            "decision_form": decision_form,
            "minutes_form": minutes_form,
            "breadcrumb_data": manage_crumbs(instance, meeting.title),
        },
    )


def priorities(request, slug):
    instance = managed_instance(request, slug)
    form = PriorityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_priority(instance, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Le besoin est ajouté au diagnostic local.")
            return redirect("assemblies:priorities", slug=slug)
    return render(
        request,
        "assemblies/priorities.html",
        {
            "instance": instance,
            "form": form,
            "priorities": Priority.objects.filter(instance=instance),
            "ranking": PriorityRanking.objects.filter(instance=instance, closed_at__isnull=True)
            .select_related("ballot")
            .first(),
            "ballot_form": BallotDatesForm(initial=default_ballot_dates()),
            "breadcrumb_data": manage_crumbs(instance, "Priorités locales"),
        },
    )


@require_POST
def rank_priorities(request, slug):
    """Open the majority-judgment ranking of the priorities, or close the one in progress."""
    instance = managed_instance(request, slug)
    ranking = PriorityRanking.objects.filter(instance=instance, closed_at__isnull=True).first()
    try:
        if ranking is None:
            form = BallotDatesForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Indiquez l'ouverture et la clôture du vote.")
                return redirect("assemblies:priorities", slug=slug)
            services.open_priority_ranking(instance, by=request.user, **form.cleaned_data)
            messages.success(request, "Le classement est ouvert : les membres peuvent voter.")
        else:
            services.close_priority_ranking(ranking, by=request.user)
            messages.success(request, "Le classement est clos et publié sur la page de l'instance.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("assemblies:priorities", slug=slug)
