from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse

from enfance.core.access import get_visible_or_404, require
from enfance.core.eventlog import record_event
from enfance.core.forms import add_service_errors

from . import services
from .enums import DangerReportState
from .forms import DangerFlagForm, RestoreForm, TransmitForm
from .models import DangerReport
from .perms import can_handle_report, is_referent

REPORTS_PER_PAGE = 30


def _breadcrumb(current: str | None = None) -> dict:
    if current is None:
        return {"links": [], "current": "Signalements de danger", "root_dir": reverse("core:home")}
    queue = {"url": reverse("safeguarding:queue"), "title": "Signalements de danger"}
    return {"links": [queue], "current": current, "root_dir": reverse("core:home")}


def queue(request):
    require(request.user, is_referent)
    state = request.GET.get("etat", DangerReportState.OPEN)
    if state not in DangerReportState.values:
        state = DangerReportState.OPEN
    reports = (
        DangerReport.objects.filter(state=state)
        .select_related("content_type", "reported_by", "handled_by")
        # The list shows labels and dates: what was written stays encrypted until opened.
        .defer("target_text", "reason", "handling_note", "family_not_told_reason")
        .order_by("created_at" if state == DangerReportState.OPEN else "-handled_at", "pk")
    )
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "safeguarding/queue.html",
        {
            "page_obj": page,
            "state": state,
            "states": DangerReportState.choices,
            "open_count": DangerReport.objects.open().count(),
            "breadcrumb_data": _breadcrumb(),
        },
    )


def detail(request, pk):
    require(request.user, is_referent)
    report = get_visible_or_404(
        DangerReport.objects.select_related("content_type", "reported_by", "handled_by"), pk=pk
    )
    require(request.user, can_handle_report, report)
    family = services.family_of(report)
    transmit_form = TransmitForm(
        request.POST if request.POST.get("action") == "transmit" else None,
        with_family=family is not None,
    )
    restore_form = RestoreForm(request.POST if request.POST.get("action") == "restore" else None)
    if request.method == "POST":
        form = transmit_form if transmit_form.is_bound else restore_form
        if form.is_valid():
            try:
                if form is transmit_form:
                    services.transmit(report, by=request.user, **form.cleaned_data)
                    messages.success(request, "Le signalement est enregistré comme transmis.")
                else:
                    services.restore(report, by=request.user, **form.cleaned_data)
                    messages.success(request, "Le contenu est rétabli dans l'affichage public.")
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("safeguarding:queue")
    else:
        # Reading a report is itself recorded: who saw what was written about a child.
        record_event(
            by=request.user,
            action="safeguarding.read",
            summary=f"Lecture du signalement n° {report.pk}",
            target=report,
        )
    return render(
        request,
        "safeguarding/detail.html",
        {
            "report": report,
            "abilities": report.abilities(request.user),
            "transmit_form": transmit_form,
            "restore_form": restore_form,
            "has_family": family is not None,
            "breadcrumb_data": _breadcrumb(str(report)),
        },
    )


def flag_page(request, obj, *, back_url: str, done_url: str, breadcrumb):
    """The « danger pour un enfant » page of any text of any module (a comment, a proposal, a
    proposed wording): the text leaves public view at once and goes to the référents protection
    de l'enfance (services.flag_danger). The module gives its addresses and breadcrumb."""
    form = DangerFlagForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.flag_danger(obj, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(
                request,
                "Merci. Le texte est retiré de l'affichage public et un référent protection de "
                "l'enfance va l'examiner. En cas de danger immédiat, appelez le 119.",
            )
            return redirect(done_url)
    return render(
        request,
        "safeguarding/flag.html",
        {
            "form": form,
            "label": obj.safeguarding_label(),
            "back_url": back_url,
            "breadcrumb_data": breadcrumb,
        },
    )
