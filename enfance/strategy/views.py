"""The strategy's public pages: the four engagements and the contract criteria, an engagement
with its measures, a measure as the seed gives it, with its quantified targets and, where the
platform holds the data, a link to the live figures."""

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch
from django.shortcuts import render

from enfance.core.access import get_visible_or_404
from enfance.core.navigation import breadcrumb, crumb

from . import deployment
from .live import live_links
from .models import ContractCriterion, Engagement, Measure

TITLE = "Stratégie nationale 2020-2022"


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
    return render(
        request,
        "strategy/measure.html",
        {
            "measure": found,
            "targets": list(found.targets.all()),
            "live": live_links(found),
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
