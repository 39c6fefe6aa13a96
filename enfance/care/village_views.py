"""The villages de protection: their units and occupancy, seen by their gestionnaires and by
those who book stays there (the ASE and the magistrates of the département and of its
neighbours); the séjours d'observation, each seen by the village and the requesting service.
Rules in villages.py."""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from enfance.core.access import get_visible_or_404, permit
from enfance.core.forms import act, add_service_errors, told
from enfance.territories.models import Departement

from . import villages
from .enums import StayStatus, StructureKind, StructureStatus
from .models import ObservationStay, Structure
from .pages import care_breadcrumb
from .perms import departements_near, departements_of, is_manager_of
from .village_forms import RefusalForm, StayForm, SummaryForm, UnitForm

PER_PAGE = 25
CALENDAR_DAYS = 14


def _readable_villages(user):
    """The villages a person sees: those they manage, those where they may book a stay."""
    return (
        Structure.objects.filter(kind=StructureKind.VILLAGE)
        .filter(
            Q(manager_links__user=user)
            | Q(departement__in=departements_near(user), status=StructureStatus.VALIDATED)
        )
        .select_related("departement", "commune")
        .distinct()
    )


def _village(request, pk) -> Structure:
    return get_visible_or_404(_readable_villages(request.user), pk=pk)


def _villages_link() -> dict:
    return {"url": reverse("care:villages"), "title": "Villages de protection"}


def villages_page(request):
    found = (
        _readable_villages(request.user)
        .annotate(
            unit_count=Count("units", filter=Q(units__active=True), distinct=True),
            beds=Sum("units__capacity", filter=Q(units__active=True)),
        )
        .order_by("departement__code", "name")
    )
    return render(
        request,
        "care/villages.html",
        {
            "page_obj": Paginator(found, PER_PAGE).get_page(request.GET.get("page")),
            "breadcrumb_data": care_breadcrumb(current="Villages de protection"),
        },
    )


def _first_night(request) -> date:
    today = timezone.localdate()
    try:
        asked = date.fromisoformat(request.GET.get("du", ""))
    except ValueError:
        return today
    # The calendar looks a year back and a year ahead, as far as stays are booked.
    return min(max(asked, today - timedelta(days=366)), today + timedelta(days=366))


def village_page(request, pk):
    village = _village(request, pk)
    first = _first_night(request)
    nights, rows = villages.occupancy(village, first, CALENDAR_DAYS, user=request.user)
    manages = is_manager_of(request.user, village)
    pending = (
        village.stays.filter(status=StayStatus.REQUESTED).select_related("unit")
        if manages
        else ObservationStay.objects.none()
    )
    return render(
        request,
        "care/village.html",
        {
            "village": village,
            "nights": nights,
            "rows": rows,
            "earlier": first - timedelta(days=CALENDAR_DAYS),
            "later": first + timedelta(days=CALENDAR_DAYS),
            "manages": manages,
            "can_book": villages.can_book(request.user, village),
            "pending": pending.order_by("starts_at"),
            "unit_form": UnitForm() if manages and villages.is_village(village) else None,
            "breadcrumb_data": care_breadcrumb(_villages_link(), current=village.name),
        },
    )


@require_POST
def unit_add(request, pk):
    village = _village(request, pk)
    act(
        request,
        UnitForm(request.POST),
        lambda data: villages.add_unit(village, by=request.user, **data),
        "L'unité familiale est ajoutée.",
    )
    return redirect("care:village", pk=village.pk)


def stay_new(request, pk):
    village = _village(request, pk)
    permit(villages.can_book(request.user, village), villages.NOT_BOOKER)
    departements = Departement.objects.filter(
        pk__in=departements_of(request.user, *villages.ROLE_OF.values())
    ).order_by("code")
    units = village.units.filter(active=True).order_by("name")
    form = StayForm(
        request.POST or None,
        units=units,
        departements=departements,
        initial={"unit": request.GET.get("unite")},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            stay = villages.book_stay(
                by=request.user,
                village=village,
                departement_id=data.pop("departement"),
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Le séjour {stay.reference} est demandé : le village vous répond par courriel.",
            )
            return redirect(stay)
    return render(
        request,
        "care/stay_new.html",
        {
            "form": form,
            "village": village,
            "breadcrumb_data": care_breadcrumb(
                _villages_link(),
                {"url": reverse("care:village", args=[village.pk]), "title": village.name},
                current="Demander un séjour d'observation",
            ),
        },
    )


def _stays_link() -> dict:
    return {"url": reverse("care:stays"), "title": "Séjours d'observation"}


def stays_page(request):
    found = (
        villages.visible_stays(request.user)
        .select_related("village", "unit", "departement")
        .order_by("-starts_at", "-pk")
    )
    status = request.GET.get("etat", "")
    if status in StayStatus.values:
        found = found.filter(status=status)
    return render(
        request,
        "care/stays.html",
        {
            "page_obj": Paginator(found, PER_PAGE).get_page(request.GET.get("page")),
            "statuses": StayStatus.choices,
            "chosen": status,
            "breadcrumb_data": care_breadcrumb(current="Séjours d'observation"),
        },
    )


def _stay(request, pk) -> ObservationStay:
    return get_visible_or_404(
        villages.visible_stays(request.user).select_related("village", "unit", "departement"),
        pk=pk,
    )


def stay_page(request, pk):
    stay = _stay(request, pk)
    abilities = stay.abilities(request.user)
    return render(
        request,
        "care/stay.html",
        {
            "stay": stay,
            "abilities": abilities,
            "requesting": villages.is_requesting_service(request.user, stay),
            "reads": stay.reads.select_related("reader")
            if villages.is_requesting_service(request.user, stay)
            else [],
            "refusal_form": RefusalForm() if abilities["refuse"] else None,
            "summary_form": SummaryForm() if abilities["observe"] else None,
            "breadcrumb_data": care_breadcrumb(_stays_link(), current=stay.reference),
        },
    )


def stay_summary(request, pk):
    stay = _stay(request, pk)
    summary = villages.read_summary(stay, by=request.user)
    return render(
        request,
        "care/stay_summary.html",
        {
            "stay": stay,
            "summary": summary,
            "breadcrumb_data": care_breadcrumb(
                _stays_link(),
                {"url": stay.get_absolute_url(), "title": stay.reference},
                current="Synthèse d'observation",
            ),
        },
    )


STEPS = {
    "confirmer": (villages.confirm, "Le séjour est confirmé : le service demandeur est prévenu."),
    "annuler": (villages.cancel, "Le séjour est annulé : les nuits sont libérées."),
}


@require_POST
def stay_step(request, pk, step):
    stay = _stay(request, pk)
    if step in STEPS:
        service, success = STEPS[step]
        told(request, lambda: service(stay, by=request.user), success)
    elif step == "refuser":
        act(
            request,
            RefusalForm(request.POST),
            lambda data: villages.refuse(stay, by=request.user, **data),
            "Le séjour est refusé : le service demandeur est prévenu, les nuits sont libérées.",
        )
    elif step == "observation":
        act(
            request,
            SummaryForm(request.POST),
            lambda data: villages.record_observation(stay, by=request.user, **data),
            "La synthèse est transmise au service qui a demandé le séjour.",
        )
    else:
        raise Http404
    return redirect(stay)
