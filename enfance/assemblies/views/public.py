"""The public pages of the instances: the list, the map, an instance, its meetings and draws.

The list and an instance's page are served whole to visitors from the page cache
(``core.pagecache``), keyed by the versions of what they show (``caching``: bumped by every
write, so a change is seen at once) and rebuilt when the clock moves what they show: the member
counts of the list are today's, the "upcoming" meetings of an instance this hour's. Their heavy
part is also kept for signed-in people (``core.cache.rebuilt_once``).
"""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from enfance.core.access import get_visible_or_404
from enfance.core.cache import digest, rebuilt_once, versions
from enfance.core.pagecache import visitor_page
from enfance.territories.models import Departement
from enfance.territories.services import TERRITORIES
from enfance.territories.tilemap import tile_map

from .. import draw as draw_module
from .. import perms
from ..caching import INSTANCES, instance_version_name
from ..enums import InstanceStatus
from ..forms import InstanceFilterForm
from ..models import Decision, Instance, Minutes
from .common import breadcrumb, composition_view, instance_link, public_instance

INSTANCES_PER_PAGE = 20
# Seed 000, "Chiffres et budget": the prototype, then the national deployment.
PROTOTYPE_TARGET = (6, 10)
NATIONAL_TARGET = (1000, 1200)
# What moves with the clock: today's member counts (the list), this hour's "upcoming" meetings
# (an instance's page).
DAY = 24 * 3600
HOUR = 3600
# How long a process keeps the number behind an instance's address (it never changes).
SLUG_SECONDS = 600


@login_not_required
def instance_list(request):
    shown = versions(INSTANCES, TERRITORIES)
    today = f"{timezone.localdate():%Y%m%d}"
    return visitor_page(
        request,
        f"assemblies:list:{shown}:{digest(sorted(request.GET.lists()))}",
        lambda **extra: _render_list(request, shown, today, **extra),
        fresh_for=DAY,
        token=today,
    )


def _render_list(request, shown: str, today: str, **extra):
    form = InstanceFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    filtered = form.is_bound and any(form.data.get(k) for k in form.fields)
    results, page_number = rebuilt_once(
        f"assemblies:list-results:{shown}:{digest(sorted(request.GET.lists()))}",
        lambda: _list_results(request, filters, filtered=filtered),
        fresh_for=DAY,
        token=today,
    )
    total = Instance.objects.exclude(status=InstanceStatus.DISSOUTE).count()
    return render(
        request,
        "assemblies/list.html",
        {
            "form": form,
            "results": mark_safe(results),  # noqa: S308 - rendered by our own template, escaped there
            "page_number": page_number,
            "total": total,
            "targets": [
                {"label": label, "low": low, "high": high, "missing": max(low - total, 0)}
                for label, (low, high) in (
                    ("Prototype (2025-2026)", PROTOTYPE_TARGET),
                    ("Déploiement national", NATIONAL_TARGET),
                )
            ],
            "filtered": filtered,
            "filters_version": shown,
            "can_create": perms.can_create_instance(request.user, None),
            **extra,
        },
    )


def _list_results(request, filters: dict, *, filtered: bool) -> tuple[str, int]:
    """The table of instances and its page number, the same for everyone asking the same thing."""
    instances = Instance.objects.select_related("departement__region")
    if filters.get("region"):
        instances = instances.filter(departement__region=filters["region"])
    if filters.get("departement"):
        instances = instances.filter(departement=filters["departement"])
    if filters.get("status"):
        instances = instances.filter(status=filters["status"])
    page = Paginator(instances.order_by("name", "pk"), INSTANCES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    # Members are counted for the rows of the page only: counting them for every instance
    # before paginating cost more than the rest of the page at national scale.
    counts = dict(
        Instance.objects.filter(pk__in=[i.pk for i in page.object_list])
        .with_member_count()
        .values_list("pk", "member_count")
    )
    for instance in page.object_list:
        instance.member_count = counts.get(instance.pk, 0)
    html = render_to_string(
        "assemblies/_list_results.html",
        {"page_obj": page, "filtered": filtered},
        request=request,
    )
    return html, page.number


@login_not_required
def instance_map(request):
    counts = dict(
        Instance.objects.exclude(status=InstanceStatus.DISSOUTE)
        .values_list("departement__code")
        .annotate(n=Count("pk"))
    )
    list_url = reverse("assemblies:list")
    departements = Departement.objects.order_by("code")
    drawn = tile_map(
        (
            d.code,
            counts.get(d.code, 0),
            {"departement": d, "url": f"{list_url}?departement={d.code}"},
        )
        for d in departements
    )
    return render(
        request,
        "assemblies/map.html",
        {
            "tiles": drawn.tiles,
            "levels": drawn.levels,
            "width": drawn.width,
            "height": drawn.height,
            "tile_size": drawn.tile_size,
            "breadcrumb_data": breadcrumb(current="Carte des instances"),
        },
    )


def _instance_pk(slug: str) -> int:
    """The number behind an instance's address, for the key of its page. An address is given
    once, when the instance is created, and never changes: each process keeps what it read, so
    that a visitor's cached page asks nothing of the database. Whether the instance is still
    public is the page's to say (its version moves when it changes)."""
    key = f"assemblies:slug:{slug}"
    pk = caches["local"].get(key)
    if pk is None:
        pk = get_visible_or_404(Instance.objects.public().values_list("pk", flat=True), slug=slug)
        caches["local"].set(key, pk, SLUG_SECONDS)
    return pk


@login_not_required
def instance_detail(request, slug):
    pk = _instance_pk(slug)
    shown = versions(instance_version_name(pk), TERRITORIES)
    hour = f"{timezone.localtime():%Y%m%d%H}"
    return visitor_page(
        request,
        f"assemblies:detail:{pk}:{shown}",
        lambda **extra: _render_detail(request, public_instance(slug), pk, shown, hour, **extra),
        fresh_for=HOUR,
        token=hour,
    )


def _render_detail(request, instance, pk: int, shown: str, hour: str, **extra):
    if instance.pk != pk:
        # The address now names another instance (the first one was deleted in the admin):
        # forget what this process knew and ask again.
        caches["local"].delete(f"assemblies:slug:{instance.slug}")
        return redirect(request.get_full_path())
    body = rebuilt_once(
        f"assemblies:detail-body:{instance.pk}:{shown}",
        lambda: _public_body(request, instance),
        fresh_for=HOUR,
        token=hour,
    )
    return render(
        request,
        "assemblies/detail.html",
        {
            "instance": instance,
            "communes": list(instance.communes.order_by("name").values_list("name", flat=True)),
            "public_body": mark_safe(body),  # noqa: S308 - rendered by our own template, escaped there
            "abilities": instance.abilities(request.user),
            "breadcrumb_data": breadcrumb(current=instance.name),
            **extra,
        },
    )


def _public_body(request, instance) -> str:
    """Composition, priorities, meetings, decisions and minutes: the same for everyone."""
    report, colleges = composition_view(instance)
    priorities = list(instance.priorities.all())
    return render_to_string(
        "assemblies/_detail_public.html",
        {
            "instance": instance,
            "report": report,
            "colleges": colleges,
            "meetings": list(instance.meetings.upcoming()[:5]),
            "decisions": list(
                Decision.objects.filter(meeting__instance=instance)
                .select_related("meeting")
                .order_by("-meeting__starts_at", "-pk")[:10]
            ),
            "minutes_list": list(
                Minutes.objects.published()
                .filter(meeting__instance=instance)
                .select_related("meeting")
                .order_by("-meeting__starts_at")[:10]
            ),
            "priorities": priorities,
            "ranked": any(p.rank for p in priorities),
        },
        request=request,
    )


@login_not_required
def meeting_detail(request, slug, pk):
    instance = public_instance(slug)
    meeting = get_visible_or_404(instance.meetings.all(), pk=pk)
    abilities = instance.abilities(request.user)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None and minutes.status != "publie" and not abilities["manage"]:
        minutes = None
    return render(
        request,
        "assemblies/meeting.html",
        {
            "instance": instance,
            "meeting": meeting,
            "agenda": meeting.agenda_items.all(),
            "decisions": meeting.decisions.all(),
            "minutes": minutes,
            "abilities": abilities,
            "breadcrumb_data": breadcrumb(instance_link(instance), current=meeting.title),
        },
    )


@login_not_required
def draw_detail(request, slug, pk):
    instance = public_instance(slug)
    record = get_visible_or_404(instance.draws.select_related("college"), pk=pk)
    recomputed = draw_module.draw(
        record.candidates, record.seats, record.seed, record.strata or None
    )
    tickets = [
        {
            "code": code,
            "ticket": draw_module.ticket(record.seed, code),
            "stratum": record.strata.get(code, ""),
            "drawn": code in record.result,
        }
        for code in record.candidates
    ]
    return render(
        request,
        "assemblies/draw.html",
        {
            "instance": instance,
            "draw": record,
            "tickets": tickets,
            "verified": recomputed == record.result,
            "breadcrumb_data": breadcrumb(
                instance_link(instance), current=f"Tirage au sort n° {record.pk}"
            ),
        },
    )
