"""The free places a magistrate or the département's services find: fresh figures only count;
a stale one is listed apart, as unknown since its last declaration, never as free."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from enfance.core.cache import digest, versions

from .enums import PlaceType, StructureStatus
from .models import PlaceCategory, freshness_limit

# A search answers with at most this many lines of each kind; narrower filters find the rest.
LIMIT = 100
# The rendered results of a search are shared by the searchers of the département for at most
# this long, and never past the moment the first figure they show as free turns unknown.
CACHE_SECONDS = 60


def places_version_name(departement_id: int) -> str:
    return f"care-places:{departement_id}"


@dataclass
class SearchResults:
    available: list[PlaceCategory]
    unknown: list[PlaceCategory]
    limit: int = LIMIT

    @property
    def free_total(self) -> int:
        return sum(category.free for category in self.available)


def search_places(departement_ids, filters: dict, *, now) -> SearchResults:
    categories = PlaceCategory.objects.filter(
        structure__departement__in=departement_ids,
        structure__status=StructureStatus.VALIDATED,
    ).select_related("structure__commune")
    if filters.get("age_band"):
        categories = categories.filter(age_band=filters["age_band"])
    if filters.get("place_type"):
        categories = categories.filter(place_type=filters["place_type"])
    if filters.get("siblings"):
        categories = categories.filter(siblings=True)
    if filters.get("disability"):
        categories = categories.filter(disability=True)
    if filters.get("urgent"):
        categories = categories.filter(
            Q(place_type=PlaceType.URGENCE) | Q(structure__takes_urgent=True)
        )
    fresh = PlaceCategory.objects.fresh_q(now)
    available = categories.filter(fresh, free__gt=0).order_by("-declared_at", "pk")[:LIMIT]
    unknown = categories.exclude(fresh).order_by("-declared_at", "pk")[:LIMIT]
    return SearchResults(available=list(available), unknown=list(unknown))


def results_html(departement, filters: dict, *, now) -> str:
    """The rendered results (the same for every searcher of the département): cached under the
    version of its places, until the first free figure shown turns unknown."""
    key = "care-search:" + digest(
        (departement.pk, sorted(filters.items()), versions(places_version_name(departement.pk)))
    )
    html = cache.get(key)
    if html is None:
        results = search_places([departement.pk], filters, now=now)
        html = render_to_string(
            "care/_search_results.html",
            {"results": results, "departement": departement, "filters": filters},
        )
        expiries = [c.declared_at + freshness_limit(c.place_type) for c in results.available]
        seconds = min([CACHE_SECONDS, *((e - now).total_seconds() for e in expiries)])
        if seconds >= 1:
            cache.set(key, html, timeout=int(seconds))
    # Rendered by our own template, escaped there.
    return mark_safe(html)  # noqa: S308
