"""The free places a magistrate or the département's services find, in their département and
the neighbouring départements that take part: fresh figures only count, the nearest first; a
stale one is listed apart, as unknown since its last declaration, never as free."""

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Case, IntegerField, Q, Sum, Value, When
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from enfance.core.cache import digest, versions
from enfance.territories.geography import neighbours
from enfance.territories.models import Departement
from enfance.territories.tilemap import TileMap, tile_map

from .enums import PlaceType, StructureStatus
from .models import DepartementParticipation, PlaceCategory, freshness_limit

# A search answers with at most this many lines of each kind; narrower filters find the rest.
LIMIT = 100
# The rendered results of a search are shared by the searchers of the département for at most
# this long, and never past the moment the first figure they show as free turns unknown.
CACHE_SECONDS = 60


def places_version_name(departement_id: int) -> str:
    return f"care-places:{departement_id}"


def _zone(departement, *, with_neighbours: bool) -> tuple[bool, dict[int, int]]:
    """Whether the département takes part, and its zone (one query)."""
    distances = neighbours(departement.code) if with_neighbours else {}
    taking_part = dict(
        DepartementParticipation.objects.filter(
            departement__code__in=[departement.code, *distances]
        ).values_list("departement__code", "departement_id")
    )
    zone = {departement.pk: 0}
    zone.update({pk: distances[code] for code, pk in taking_part.items() if code in distances})
    return departement.code in taking_part, zone


def search_zone(departement, *, with_neighbours: bool = True) -> dict[int, int]:
    """Where a search of this département looks: département id -> kilometres between the
    centres, itself at 0, then its neighbours that take part in the tool."""
    return _zone(departement, with_neighbours=with_neighbours)[1]


def participating_zone(departement, *, with_neighbours: bool = True) -> dict[int, int] | None:
    """The zone of a search, or None when the département itself does not take part yet."""
    takes_part, zone = _zone(departement, with_neighbours=with_neighbours)
    return zone if takes_part else None


@dataclass
class SearchResults:
    available: list[PlaceCategory]
    unknown: list[PlaceCategory]
    # Département id -> free places found there (all of them, not only the lines shown).
    free_by_departement: dict[int, int] = field(default_factory=dict)
    limit: int = LIMIT

    @property
    def free_total(self) -> int:
        return sum(self.free_by_departement.values())


def _by_distance(zone: dict[int, int]):
    """Kilometres from the searched département, as a column the database sorts on."""
    return Case(
        *(When(structure__departement_id=pk, then=Value(km)) for pk, km in zone.items()),
        default=Value(0),
        output_field=IntegerField(),
    )


def _categories(zone: dict[int, int], filters: dict):
    """The validated structures' categories of the zone that match, the nearest département
    first and, within one, the most recent declaration first."""
    categories = PlaceCategory.objects.filter(
        structure__departement__in=zone,
        structure__status=StructureStatus.VALIDATED,
    ).select_related("structure__commune", "structure__departement")
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
    return categories


def _ordered(categories, zone: dict[int, int]):
    return categories.annotate(distance_km=_by_distance(zone)).order_by(
        "distance_km", "-declared_at", "pk"
    )


def free_places(zone: dict[int, int], filters: dict, *, now) -> list[PlaceCategory]:
    """The fresh free places of the zone, the nearest first (at most LIMIT lines)."""
    fresh = PlaceCategory.objects.fresh_q(now)
    return list(_ordered(_categories(zone, filters), zone).filter(fresh, free__gt=0)[:LIMIT])


def search_places(zone: dict[int, int], filters: dict, *, now) -> SearchResults:
    """Fresh free places first, then the stale figures, each the nearest first."""
    categories = _categories(zone, filters)
    fresh = PlaceCategory.objects.fresh_q(now)
    free_by_departement = dict(
        categories.filter(fresh, free__gt=0)
        .values_list("structure__departement_id")
        .annotate(Sum("free"))
        .order_by()
    )
    return SearchResults(
        available=free_places(zone, filters, now=now),
        unknown=list(_ordered(categories, zone).exclude(fresh)[:LIMIT]),
        free_by_departement=free_by_departement,
    )


def zone_rows(departement, zone: dict[int, int], results: SearchResults) -> list[dict]:
    """The département and all its neighbours, the nearest first: the free places found in
    those that take part, and which ones do not (yet), so that nobody wonders why."""
    distances = {departement.code: 0, **neighbours(departement.code)}
    return sorted(
        (
            {
                "departement": d,
                "km": distances[d.code],
                "takes_part": d.pk in zone,
                "free": results.free_by_departement.get(d.pk, 0),
            }
            for d in Departement.objects.filter(code__in=distances)
        ),
        key=lambda row: (row["km"], row["departement"].code),
    )


def zone_map(rows: list[dict]) -> TileMap:
    """The tiles of the zone, each with its free places (the table beside says the same)."""
    return tile_map(((row["departement"].code, row["free"], row) for row in rows), crop=True)


def results_html(
    departement, zone: dict[int, int], filters: dict, *, now, with_neighbours: bool = True
) -> str:
    """The rendered results of a search of ``zone`` (participating_zone; the same for every
    searcher of the zone): cached under the versions of its départements' places, until the
    first free figure shown turns unknown."""
    key = "care-search:" + digest(
        (
            departement.pk,
            sorted(zone.items()),
            sorted(filters.items()),
            versions(*(places_version_name(pk) for pk in sorted(zone))),
        )
    )
    html = cache.get(key)
    if html is None:
        results = search_places(zone, filters, now=now)
        rows = zone_rows(departement, zone, results) if with_neighbours else []
        html = render_to_string(
            "care/_search_results.html",
            {
                "results": results,
                "departement": departement,
                "filters": filters,
                "zone_rows": rows,
                "map": zone_map(rows) if len(rows) > 1 else None,
            },
        )
        expiries = [c.declared_at + freshness_limit(c.place_type) for c in results.available]
        seconds = min([CACHE_SECONDS, *((e - now).total_seconds() for e in expiries)])
        if seconds >= 1:
            cache.set(key, html, timeout=int(seconds))
    # Rendered by our own template, escaped there.
    return mark_safe(html)  # noqa: S308
