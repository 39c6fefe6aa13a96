"""A département's page of the strategy: what the platform counts there today, the official
indicators (its own figures, else the national ones marked « France entière »), each with its
year and source, its contracts, and charts over time, each with its table beside it and the
same rows as CSV. Served whole to visitors from the page cache."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from enfance.assemblies.caching import INSTANCES
from enfance.care.signals import COOPERATIVES_VERSION
from enfance.core.cache import digest, versions
from enfance.core.charts import horizontal_bars
from enfance.core.csv_export import csv_response
from enfance.core.navigation import breadcrumb, crumb
from enfance.core.pagecache import visitor_page
from enfance.territories.models import Departement
from enfance.territories.services import TERRITORIES

from . import dashboard, facts, indicators

# The contracts, the facts and the petition's counts carry no cache version: a visitor sees
# them at most this late.
FRESH_FOR = 60
BAR_LENGTH = 380
CSV_HEADER = ["annee", "valeur", "unite", "perimetre", "source", "source_url"]


def _chart(key: str, title: str, unit: str, where: str, points: list[dict]) -> dict:
    """``points``: {"year", "value", "source", "source_url"}, oldest first."""
    maximum = max((point["value"] for point in points), default=0)
    return {
        "key": key,
        "title": title,
        "unit": unit,
        "where": where,
        "points": [
            {**point, "text": indicators.with_unit(point["value"], unit)} for point in points
        ],
        "bars": horizontal_bars(
            (
                (str(p["year"]), float(p["value"]), indicators.with_unit(p["value"], unit))
                for p in points
            ),
            maximum=float(maximum),
            # Room after the longest bar for « 9,1 milliards d'euros ».
            length=BAR_LENGTH,
        ),
    }


def _official_points(figures) -> list[dict]:
    return [
        {
            "year": figure.year,
            "value": figure.value,
            "source": figure.source,
            "source_url": figure.source_url,
        }
        for figure in figures
    ]


def charts(departement: Departement, official: list[dict], series: list[dict]) -> list[dict]:
    """Every chart of the page: each official series (the département's own, then the
    national one), then the platform's series of the département."""
    found = []
    for row in official:
        indicator = row["indicator"]
        if row["own"]:
            found.append(
                _chart(
                    f"{departement.code}-{indicator.key}",
                    f"{indicator.label} : {departement.name}",
                    indicator.unit,
                    departement.name,
                    _official_points(row["own"]),
                )
            )
        if row["national"]:
            found.append(
                _chart(
                    f"france-{indicator.key}",
                    f"{indicator.label} : {indicators.FRANCE}",
                    indicator.unit,
                    indicators.FRANCE,
                    _official_points(row["national"]),
                )
            )
    for item in series:
        if item["points"]:
            found.append(
                _chart(
                    f"plateforme-{item['key']}",
                    f"{item['label']} : {departement.name}",
                    item["unit"],
                    departement.name,
                    [
                        {"year": year, "value": value, "source": item["source"], "source_url": ""}
                        for year, value in item["points"]
                    ],
                )
            )
    return found


def _csv(chart: dict, code: str):
    return csv_response(
        [
            CSV_HEADER,
            *(
                [p["year"], p["value"], chart["unit"], chart["where"], p["source"], p["source_url"]]
                for p in chart["points"]
            ),
        ],
        filename=f"strategie-{code}-{chart['key']}.csv",
    )


@login_not_required
def choose_departement(request):
    """The département selector of the dashboard: its page, or the dashboard again."""
    code = request.GET.get("departement", "")
    if Departement.objects.filter(code=code).exists():
        return redirect("strategy:departement", code)
    return redirect("strategy:dashboard")


@login_not_required
def departement_page(request, code):
    chart_key = request.GET.get("graphique", "")
    if request.GET.get("format") == "csv":
        departement = get_object_or_404(Departement, code=code)
        chosen = [c for c in _charts_of(departement) if c["key"] == chart_key]
        if not chosen:
            return redirect("strategy:departement", code)
        return _csv(chosen[0], code)
    shown = versions(TERRITORIES, INSTANCES, COOPERATIVES_VERSION, indicators.VERSION)
    return visitor_page(
        request,
        f"strategy:departement:{shown}:{digest(code)}",
        lambda **extra: _render(request, code, **extra),
        fresh_for=FRESH_FOR,
    )


def _charts_of(departement: Departement) -> list[dict]:
    return charts(
        departement,
        indicators.for_departement(departement),
        dashboard.series_for(departement),
    )


def _render(request, code: str, **extra):
    departement = get_object_or_404(Departement, code=code)
    official = indicators.for_departement(departement)
    live = dashboard.for_departement(departement)
    return render(
        request,
        "strategy/departement.html",
        {
            "departement": departement,
            "live": live,
            "live_indicators": [
                {
                    "indicator": indicator,
                    "text": indicators.with_unit(live[indicator.key], indicator.unit),
                }
                for indicator in dashboard.INDICATORS
            ],
            "official": official,
            "has_own_figures": any(row["own"] for row in official),
            "charts": charts(departement, official, dashboard.series_for(departement)),
            "facts": facts.latest_for(departement),
            "page_url": reverse("strategy:departement", args=[departement.code]),
            "breadcrumb_data": breadcrumb(
                crumb("strategy:home", "Stratégie nationale 2020-2022"),
                crumb("strategy:dashboard", "Tableau de bord national"),
                current=f"{departement.name} ({departement.code})",
            ),
            **extra,
        },
    )
