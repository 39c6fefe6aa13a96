"""The strategy's public pages: the four engagements and the contract criteria, an engagement
with its measures, a measure as the seed gives it, with its quantified targets, the official
indicators that help to read it (for a chosen département, else France entière) and, where the
platform holds the data, a link to the live figures."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch
from django.shortcuts import render
from django.utils import timezone

from enfance.core.access import get_visible_or_404
from enfance.core.cache import digest, rebuilt_once
from enfance.core.csv_export import csv_response
from enfance.core.navigation import breadcrumb, crumb
from enfance.core.pagecache import visitor_page
from enfance.territories.models import Departement
from enfance.territories.tilemap import tile_map

from . import dashboard, deployment, indicators
from .live import live_links
from .models import ContractCriterion, Engagement, Measure

TITLE = "Stratégie nationale 2020-2022"
# The national dashboard's figures are counted again after this many seconds.
DASHBOARD_FRESH = 60


def _breadcrumb(*links, current: str) -> dict:
    return breadcrumb(crumb("strategy:home", TITLE), *links, current=current)


@login_not_required
def home(request):
    engagements = Engagement.objects.prefetch_related(
        Prefetch(
            "measures",
            queryset=Measure.objects.annotate(target_count=Count("targets")).order_by("position"),
        )
    )
    return render(
        request,
        "strategy/home.html",
        {
            "engagements": engagements,
            "criteria": ContractCriterion.objects.all(),
            "breadcrumb_data": breadcrumb(current=TITLE),
        },
    )


@login_not_required
def engagement(request, number):
    found = get_visible_or_404(Engagement.objects.all(), number=number)
    return render(
        request,
        "strategy/engagement.html",
        {
            "engagement": found,
            "measures": found.measures.annotate(target_count=Count("targets")).order_by("position"),
            "breadcrumb_data": _breadcrumb(current=f"Engagement {found.number}"),
        },
    )


@login_not_required
def measure(request, number):
    found = get_visible_or_404(
        Measure.objects.select_related("engagement"), number=number.replace("-", ".")
    )
    departements = list(Departement.objects.order_by("code").only("code", "name"))
    chosen = next((d for d in departements if d.code == request.GET.get("departement")), None)
    return render(
        request,
        "strategy/measure.html",
        {
            "measure": found,
            "targets": list(found.targets.all()),
            "live": live_links(found),
            "departements": departements,
            "chosen_departement": chosen,
            "official": indicators.for_departement(chosen, found.official_indicators.all()),
            "sections": [
                ("Le contexte", found.context),
                ("Les initiatives et documents d'appui", found.supporting),
                ("Les mesures annoncées, les objectifs", found.objectives),
                ("Mode de pilotage", found.pilotage),
                ("Acteurs concernés", found.actors),
                ("Calendrier", found.calendar),
            ],
            "breadcrumb_data": _breadcrumb(
                crumb(
                    "strategy:engagement",
                    f"Engagement {found.engagement.number}",
                    found.engagement.number,
                ),
                current=f"Mesure {found.number}",
            ),
        },
    )


@login_not_required
def deployment_page(request):
    found = deployment.figures()
    return render(
        request,
        "strategy/deployment.html",
        {
            "figures": found,
            "phases": deployment.phases(found),
            "targets": deployment.targets(found),
            "breadcrumb_data": breadcrumb(current="Le déploiement du ministère"),
        },
    )


@login_not_required
def dashboard_page(request):
    chosen = dashboard.BY_KEY.get(request.GET.get("indicateur", ""), dashboard.INDICATORS[0])
    # Counted at most a minute ago, the same rows for the page and its CSV.
    rows = rebuilt_once("strategy:dashboard:figures", dashboard.figures, fresh_for=DASHBOARD_FRESH)
    if request.GET.get("format") == "csv":
        keys = [indicator.key for indicator in dashboard.INDICATORS]
        return csv_response(
            [
                ["departement", "nom", *keys],
                *([r["code"], r["name"], *(r[k] for k in keys)] for r in rows),
            ],
            filename=f"tableau-de-bord-{timezone.localdate().isoformat()}.csv",
        )
    return visitor_page(
        request,
        f"strategy:dashboard:{chosen.key}",
        lambda **extra: _render_dashboard(request, chosen, rows, **extra),
        fresh_for=DASHBOARD_FRESH,
        # The page is drawn again as soon as the figures were counted again.
        token=digest(rows),
    )


def _render_dashboard(request, chosen, rows, **extra):
    return render(
        request,
        "strategy/dashboard.html",
        {
            "chosen": chosen,
            "indicators": dashboard.INDICATORS,
            "rows": rows,
            "totals": {i.key: sum(r[i.key] for r in rows) for i in dashboard.INDICATORS},
            "map": tile_map((r["code"], r[chosen.key], {"row": r}) for r in rows),
            "breadcrumb_data": breadcrumb(current="Tableau de bord national"),
            **extra,
        },
    )
