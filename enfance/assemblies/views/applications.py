"""The applications of an instance and how they become mandates: shortlisting, draws,
co-optation votes, concluding elections."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from enfance.core.access import get_visible_or_404
from enfance.core.forms import add_service_errors

from .. import services
from ..enums import ApplicationStatus
from ..forms import BallotDatesForm, DrawForm, SeatApplicationForm
from .common import default_ballot_dates, manage_crumbs, managed_instance

APPLICATIONS_PER_PAGE = 30


def applications(request, slug):
    instance = managed_instance(request, slug)
    rows = instance.applications.select_related(
        "college", "applicant", "commune", "cooptation_ballot"
    ).order_by("college__position", "-created_at")
    status = request.GET.get("etat", "")
    if status in ApplicationStatus.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, APPLICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "assemblies/applications.html",
        {
            "instance": instance,
            "page_obj": page,
            "rows": [
                {"application": a, "abilities": a.abilities(request.user)} for a in page.object_list
            ],
            "status": status,
            "statuses": ApplicationStatus.choices,
            "seat_form": SeatApplicationForm(initial={"mandate_start": timezone.localdate()}),
            "ballot_form": BallotDatesForm(initial=default_ballot_dates()),
            "draws": instance.draws.select_related("college")[:10],
            "breadcrumb_data": manage_crumbs(instance, "Candidatures"),
        },
    )


@require_POST
def decide_application(request, slug, pk, decision):
    instance = managed_instance(request, slug)
    application = get_visible_or_404(instance.applications.all(), pk=pk)
    actions = {"retenir": services.shortlist, "ecarter": services.reject}
    if decision not in actions:
        raise PermissionDenied
    try:
        actions[decision](application, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Candidature {application.public_code} mise à jour.")
    return redirect("assemblies:applications", slug=slug)


@require_POST
def cooptation(request, slug, pk):
    """Open the co-optation ballot of a shortlisted application, or close it."""
    instance = managed_instance(request, slug)
    application = get_visible_or_404(instance.applications.all(), pk=pk)
    try:
        if application.cooptation_ballot_id is None:
            form = BallotDatesForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Indiquez l'ouverture et la clôture du vote.")
                return redirect("assemblies:applications", slug=slug)
            services.open_cooptation(application, by=request.user, **form.cleaned_data)
            messages.success(request, "Le vote de cooptation est ouvert aux membres.")
        else:
            decided = services.conclude_cooptation(application, by=request.user)
            messages.success(
                request, f"Vote clos : candidature {decided.get_status_display().lower()}."
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("assemblies:applications", slug=slug)


@require_POST
def seat(request, slug, pk):
    instance = managed_instance(request, slug)
    application = get_visible_or_404(instance.applications.all(), pk=pk)
    form = SeatApplicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez les dates du mandat.")
        return redirect("assemblies:applications", slug=slug)
    try:
        services.seat_application(application, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"La candidature {application.public_code} devient un mandat.")
    return redirect("assemblies:applications", slug=slug)


def run_draw(request, slug):
    instance = managed_instance(request, slug)
    form = DrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.run_draw(instance, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Le tirage au sort est fait et publié.")
            return redirect(record)
    shortlisted = (
        instance.applications.filter(status=ApplicationStatus.RETENUE)
        .values("college__label")
        .annotate(n=Count("pk"))
        .order_by("college__label")
    )
    return render(
        request,
        "assemblies/draw_form.html",
        {
            "instance": instance,
            "form": form,
            "shortlisted": shortlisted,
            "breadcrumb_data": manage_crumbs(instance, "Tirage au sort"),
        },
    )


@require_POST
def conclude_election(request, slug, pk):
    instance = managed_instance(request, slug)
    election = get_visible_or_404(instance.elections.select_related("ballot", "college"), pk=pk)
    try:
        seated = services.conclude_college_election(election, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"Élection conclue : {len(seated)} personne{'s' if len(seated) > 1 else ''} "
            f"installée{'s' if len(seated) > 1 else ''} au collège {election.college.of_label}.",
        )
    return redirect("instance_events:elections", slug=slug)
