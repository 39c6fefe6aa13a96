from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.shortcuts import get_object_or_404, render

from enfance.core.cache import digest, versions
from enfance.core.navigation import breadcrumb, crumb
from enfance.core.pagecache import visitor_page

from .models import Departement, Region
from .search import commune_label, search_communes
from .services import TERRITORIES

COMMUNES_PER_PAGE = 50
# Longest text the search box and the suggestions accept; commune names stay under 50 characters.
MAX_QUERY_LENGTH = 100
# The page shows territories only: an import bumps their version; this bounds the rest.
DEPARTEMENT_FRESH_FOR = 24 * 3600


def _breadcrumb(*links, current: str) -> dict:
    return breadcrumb(crumb("territories:index", "Territoires"), *links, current=current)


@login_not_required
def index(request):
    regions = Region.objects.prefetch_related("departements")
    return render(
        request,
        "territories/index.html",
        {
            "metropolitan_regions": [r for r in regions if not r.is_outre_mer],
            "overseas_regions": [r for r in regions if r.is_outre_mer],
        },
    )


@login_not_required
def region(request, code):
    region = get_object_or_404(Region, code=code)
    departements = region.departements.with_commune_stats().order_by("code")
    return render(
        request,
        "territories/region.html",
        {
            "region": region,
            "departements": departements,
            "breadcrumb_data": _breadcrumb(current=region.name),
        },
    )


@login_not_required
def departement(request, code):
    """Served whole to visitors from the page cache: it shows territories only, the same for
    everyone until the next import (which bumps their version)."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    shown = versions(TERRITORIES)
    question = (code, query, request.GET.get("page"))
    return visitor_page(
        request,
        f"territories:departement:{shown}:{digest(question)}",
        lambda **extra: _render_departement(request, code, query, shown, **extra),
        fresh_for=DEPARTEMENT_FRESH_FOR,
    )


def _render_departement(request, code, query, shown, **extra):
    departement = get_object_or_404(Departement.objects.select_related("region"), code=code)
    totals = departement.communes.aggregate(
        commune_count=Count("pk"), population_total=Sum("population")
    )
    communes = departement.communes.order_by("search_name", "code")
    if query:
        communes = communes.matching(query)
    paginator = Paginator(communes, COMMUNES_PER_PAGE)
    if not query:
        # The total is already known from the aggregate: spare the paginator its COUNT.
        paginator.count = totals["commune_count"]
    page = paginator.get_page(request.GET.get("page"))
    region_link = {"url": departement.region.get_absolute_url(), "title": departement.region.name}
    return render(
        request,
        "territories/departement.html",
        {
            "departement": departement,
            "page_obj": page,
            "query": query,
            "cache_version": shown,
            **totals,
            "breadcrumb_data": _breadcrumb(region_link, current=str(departement)),
            **extra,
        },
    )


@login_not_required
def commune_suggestions(request):
    """`<option>`s for the commune inputs' `<datalist>`: `champ` names the GET parameter that
    holds the text (the input's own name, as htmx sends it)."""
    field = request.GET.get("champ", "q")
    query = request.GET.get(field, "") or request.GET.get("q", "")
    communes = search_communes(query[:MAX_QUERY_LENGTH], limit=10)
    options = [{"label": commune_label(c), "departement": c.departement} for c in communes]
    return render(request, "territories/commune_suggestions.html", {"options": options})
