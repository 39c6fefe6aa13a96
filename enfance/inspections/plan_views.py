"""The contrôleurs' pages of yearly control plans and alerts (rules in plans.py)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from enfance.care.models import Structure
from enfance.care.search import places_version_name
from enfance.core.access import get_visible_or_404
from enfance.core.cache import versions
from enfance.core.forms import BoundedDateField, act
from enfance.core.pagecache import shared_fragment
from enfance.core.text import BoundedTextField
from enfance.territories.models import Departement

from . import perms, plans
from .enums import AlertSource
from .models import ALERT_DAY, ALERT_TEXT_MAX, REASON_MAX, Alert, ControlPlan, Inspection
from .public_views import PER_PAGE, breadcrumb
from .signals import PLANS_VERSION

# A plan's tables are rendered again at least this often, even if nothing changed.
PLAN_BODY_SECONDS = 10 * 60


class ReasonForm(forms.Form):
    reason = BoundedTextField(
        label="Raison", limit=REASON_MAX, label_in_message="La raison", required=False
    )


class AddForm(ReasonForm):
    structure = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(ReasonForm):
    entry = forms.IntegerField(widget=forms.HiddenInput)


class AlertForm(forms.Form):
    source = forms.ChoiceField(label="Origine", choices=AlertSource.choices)
    received_on = BoundedDateField(
        label="Reçue le", bounds=ALERT_DAY, widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = BoundedTextField(
        label="Ce qui est signalé (sans aucun nom d'enfant ni de professionnel)",
        limit=ALERT_TEXT_MAX,
        label_in_message="Le signalement",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Dites ce qui est signalé, sans aucun nom."},
    )


def _territory_departements(user):
    territory = perms.controlled(user, prefix="")
    if territory is None:
        raise PermissionDenied
    return Departement.objects.filter(
        pk__in=Structure.objects.filter(territory).values("departement")
    ).order_by("code")


def plans_index(request):
    year = timezone.localdate().year
    departements = _territory_departements(request.user)
    made = set(
        ControlPlan.objects.filter(year=year, departement__in=departements).values_list(
            "departement_id", flat=True
        )
    )
    return render(
        request,
        "inspections/plans.html",
        {
            "year": year,
            "rows": [(d, d.pk in made) for d in departements],
            "breadcrumb_data": breadcrumb(current="Plans de contrôle"),
        },
    )


def plan(request, code, year):
    departement = get_visible_or_404(_territory_departements(request.user), code=code)
    existing = (
        ControlPlan.objects.filter(departement=departement, year=year)
        .select_related("departement")
        .first()
    )
    body = None
    if existing is not None:
        scored, computed_at = plans.shared_risks(departement)
        today = timezone.localdate()
        # The tables are the same for every contrôleur of the département: rendered once until a
        # plan, a line, an inspection or a structure changes, the scores are computed again or
        # the day turns (a visit falls late).
        shown = versions(PLANS_VERSION, places_version_name(departement.pk))
        body = shared_fragment(
            request,
            f"inspections:plan:{existing.pk}:{shown}:{today.isoformat()}:{computed_at}",
            lambda csrf_token: _plan_body(
                request, existing, scored, computed_at, today, csrf_token
            ),
            fresh_for=PLAN_BODY_SECONDS,
        )
    return render(
        request,
        "inspections/plan.html",
        {
            "departement": departement,
            "year": year,
            "plan": existing,
            "body": body,
            "breadcrumb_data": breadcrumb(
                {"url": reverse("inspections:plans"), "title": "Plans de contrôle"},
                current=f"{departement.name}, {year}",
            ),
        },
    )


def _plan_body(request, plan, scored, computed_at, today, csrf_token) -> str:
    entries = list(
        plan.entries.select_related("structure__commune").prefetch_related(
            Prefetch(
                "inspections",
                queryset=Inspection.objects.only("pk", "status", "visit_on", "plan_entry_id"),
            )
        )
    )
    for entry in entries:
        entry.state = plans.entry_state(entry, today=today)
    active = [e for e in entries if e.withdrawn_at is None]
    return render_to_string(
        "inspections/_plan_body.html",
        {
            "departement": plan.departement,
            "year": plan.year,
            "plan": plan,
            "entries": entries,
            "progress": plans.progress(active, today=today),
            "withdrawable": active,
            "proposals": plans.proposals(plan, scored=scored),
            "computed_at": computed_at,
            "by_hand": Structure.objects.filter(departement=plan.departement)
            .exclude(pk__in=[e.structure_id for e in entries])
            .order_by("name")
            .values("pk", "name"),
            "points": {
                "levels": plans.LEVEL_POINTS,
                "never": plans.NEVER_INSPECTED_POINTS,
                "years": plans.YEARS_SINCE_POINTS,
                "alert": plans.ALERT_POINTS,
                "alert_max": plans.ALERT_MAX,
                "stale": plans.STALE_MAX,
                "overdue": plans.OVERDUE_POINTS,
                "overdue_max": plans.OVERDUE_MAX,
            },
            "csrf_token": csrf_token,
        },
        request=request,
    )


def _plan_url(departement, year) -> str:
    return reverse("inspections:plan", kwargs={"code": departement.code, "year": year})


@require_POST
def plan_create(request, code, year):
    departement = get_visible_or_404(_territory_departements(request.user), code=code)
    act(
        request,
        forms.Form(request.POST),
        lambda data: plans.plan_for(departement, year, by=request.user),
        f"Le plan de contrôle {year} est ouvert.",
    )
    return redirect(_plan_url(departement, year))


@require_POST
def plan_add(request, code, year):
    departement = get_visible_or_404(_territory_departements(request.user), code=code)
    existing = get_visible_or_404(ControlPlan.objects.all(), departement=departement, year=year)
    act(
        request,
        AddForm(request.POST),
        lambda data: plans.add_to_plan(
            existing,
            get_visible_or_404(
                Structure.objects.filter(departement=departement), pk=data["structure"]
            ),
            by=request.user,
            reason=data["reason"],
        ),
        "La structure est ajoutée au plan.",
    )
    return redirect(_plan_url(departement, year))


@require_POST
def plan_withdraw(request, pk):
    plan = get_visible_or_404(ControlPlan.objects.select_related("departement"), pk=pk)
    departement = get_visible_or_404(_territory_departements(request.user), pk=plan.departement_id)
    act(
        request,
        WithdrawForm(request.POST),
        lambda data: plans.withdraw(
            get_visible_or_404(plan.entries.filter(withdrawn_at__isnull=True), pk=data["entry"]),
            by=request.user,
            reason=data["reason"],
        ),
        "La structure est retirée du plan.",
    )
    return redirect(_plan_url(departement, plan.year))


def _alerts_visible(user):
    territory = perms.controlled(user)
    if territory is None:
        raise PermissionDenied
    return Alert.objects.filter(territory).select_related("structure__departement")


def alerts(request):
    listed = _alerts_visible(request.user).prefetch_related("inspections")
    return render(
        request,
        "inspections/alerts.html",
        {
            "page_obj": Paginator(listed, PER_PAGE).get_page(request.GET.get("page")),
            "breadcrumb_data": breadcrumb(current="Alertes"),
        },
    )


def alert_new(request, structure_pk):
    territory = perms.controlled(request.user, prefix="")
    if territory is None:
        raise PermissionDenied
    structure = get_visible_or_404(Structure.objects.filter(territory), pk=structure_pk)
    form = AlertForm(request.POST or None)
    if request.method == "POST" and act(
        request,
        form,
        lambda data: plans.record_alert(
            structure,
            by=request.user,
            source=data["source"],
            summary=data["summary"],
            received_on=data["received_on"],
        ),
        "L'alerte est enregistrée : vous pouvez ouvrir une inspection.",
    ):
        return redirect("inspections:alerts")
    return render(
        request,
        "inspections/alert_new.html",
        {
            "structure": structure,
            "form": form,
            "breadcrumb_data": breadcrumb(
                {"url": reverse("inspections:alerts"), "title": "Alertes"},
                current="Enregistrer une alerte",
            ),
        },
    )
