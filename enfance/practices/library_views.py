"""The public library: the list with its search and filters, the fiche page, the exports."""

import json
from functools import cache as memoize
from itertools import chain
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django_ratelimit.core import is_ratelimited

from enfance.core.cache import rebuilt_once, version
from enfance.core.csv_export import csv_response
from enfance.core.pagecache import visitor_page
from enfance.core.views import too_many_requests

from . import library
from .enums import EvidenceLevel, PracticeLevel
from .library import LibraryQuery
from .models import Practice

# New questions per address (a question already answered is served from the cache and not
# counted): far above what a person asks, low enough to stop a crawler hammering the database.
SEARCH_RATE = "120/m"
EXPORT_RATE = "30/m"
RESULTS_CACHE_SECONDS = 300
# A fiche's page follows its version (bumped on every re-index or withdrawal); the expiry only
# bounds what a write outside the services (the admin) leaves behind.
FICHE_CACHE_SECONDS = 3600


def _breadcrumb(*links, current: str) -> str:
    data = {"links": list(links), "current": current, "root_dir": reverse("core:home")}
    return render_to_string("practices/library/_breadcrumb.html", {"breadcrumb_data": data})


@memoize
def _library_breadcrumb() -> str:
    # The same on every request of the list: rendered once per process.
    return _breadcrumb(current="Pratiques inspirantes")


def _library_link(query: LibraryQuery | None = None) -> dict:
    url = reverse("practices:library")
    if query is not None and query.params():
        url += "?" + urlencode(query.params())
    return {"url": url, "title": "Pratiques inspirantes"}


def _limited(request, group: str, rate: str) -> bool:
    return is_ratelimited(request, group=group, key="ip", rate=rate, increment=True)


def _page_number(raw) -> int:
    raw = str(raw or "1")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) < 7 else 1


@login_not_required
def library_list(request):
    query = LibraryQuery.from_params(request.GET)
    page_number = _page_number(request.GET.get("page"))

    def build(**extra):
        results_html = _results_html(request, query, page_number)
        if results_html is None:
            return too_many_requests(request)
        return render(
            request,
            "practices/library/list.html",
            {
                "query": query,
                "results": results_html,
                "breadcrumb": _library_breadcrumb(),
                **extra,
            },
        )

    # A visitor without an account and without a pending message sees exactly the same page as
    # every other such visitor asking the same question: the whole page comes from the cache.
    # Its key carries the library's version (query.cache_key).
    key = query.cache_key(f"practices:page:{page_number}")
    return _visitor_page(request, key, build, fresh_for=RESULTS_CACHE_SECONDS)


def _visitor_page(request, key, build, *, fresh_for):
    # django-csp's nonce is lazy and false until read, and core.pagecache takes a false nonce
    # for none (it would cache the first visitor's nonce and serve pages without one): read it
    # first. To go once the kernel reads it itself.
    str(request.csp_nonce)
    return visitor_page(request, key, build, fresh_for=fresh_for)


def _results_html(request, query: LibraryQuery, page_number: int) -> str | None:
    """The results, the same for everyone asking the same question: rendered once, until the
    library changes (the key carries its version) or a few minutes pass. None when this
    address asked too many new questions."""
    refused = []

    def build():
        if query.text and _limited(request, "practices.search", SEARCH_RATE):
            refused.append(True)
            return None
        return render_to_string(
            "practices/library/_results.html", _results_context(query, page_number)
        )

    html = rebuilt_once(
        query.cache_key(f"practices:results:{page_number}"),
        build,
        fresh_for=RESULTS_CACHE_SECONDS,
    )
    return None if refused else html


def _results_context(query: LibraryQuery, page_number: int) -> dict:
    total = library.count(query)
    page = library.page(query, page_number)
    base = reverse("practices:library")
    facets = library.facets(query)
    active = [
        {
            "title": counts.facet.title,
            "label": value.label,
            "remove_url": _url(base, _without(query.params(), counts.facet.param, value.value)),
        }
        for counts in facets
        for value in counts.values
        if value.selected
    ]
    params = query.params()
    return {
        "query": query,
        "page_obj": page,
        "total": total,
        # French grouping of thousands: 2 774.
        "total_label": f"{total:,}".replace(",", "\u202f"),
        "facets": facets,
        "active_filters": active,
        "page_urls": {
            "previous": _url(base, [*params, ("page", page.previous_page_number())])
            if page.has_previous()
            else None,
            "next": _url(base, [*params, ("page", page.next_page_number())])
            if page.has_next()
            else None,
            "first": _url(base, params),
            "last": _url(base, [*params, ("page", page.paginator.num_pages)]),
        },
        "clear_url": base,
        "clear_text_url": _url(base, [pair for pair in params if pair[0] not in ("q", "tri")]),
        "export_csv_url": _url(reverse("practices:export_csv"), params),
        "export_json_url": _url(reverse("practices:export_json"), params),
        "sort_options": [
            (library.SORT_RELEVANCE, "Pertinence"),
            (library.SORT_DATE, "Date de publication"),
        ],
    }


def _without(params: list[tuple[str, str]], param: str, value) -> list[tuple[str, str]]:
    return [pair for pair in params if pair != (param, str(value))]


def _url(base: str, params) -> str:
    return f"{base}?{urlencode(params)}" if params else base


@login_not_required
def fiche(request, pk):
    # The page is the same for every visitor (no button, no form): cached under the fiche's
    # version, bumped whenever it is re-indexed (an edit, its evidence level, a renamed option:
    # tasks.reindex_fiches_of_option) or withdrawn. The permalink is absolute, hence the host in
    # the key. A visitor gets the whole page from the cache; anyone else the cached fiche in
    # their own layout.
    key = (
        f"practices:fiche:{pk}:{version(library.fiche_cache_name(pk))}:"
        f"{request.scheme}://{request.get_host()}"
    )

    def build(**extra):
        page = rebuilt_once(key, lambda: _fiche_page(request, pk), fresh_for=FICHE_CACHE_SECONDS)
        return render(
            request,
            "practices/library/fiche.html",
            {
                "title": page["title"],
                # Rendered by our own templates, escaped there.
                "breadcrumb": mark_safe(page["breadcrumb"]),  # noqa: S308
                "body": mark_safe(page["body"]),  # noqa: S308
                **extra,
            },
        )

    return _visitor_page(request, key, build, fresh_for=FICHE_CACHE_SECONDS)


def _fiche_page(request, pk) -> dict:
    try:
        practice = library.published_fiche(pk)
    except Practice.DoesNotExist:
        raise Http404("Cette fiche n'existe pas ou n'est pas publiée.") from None
    sections = [
        (practice._meta.get_field(name).verbose_name.capitalize(), getattr(practice, name))
        for name in library.LEVEL_2_SECTIONS
        if getattr(practice, name)
    ]
    body = render_to_string(
        "practices/library/_fiche_body.html",
        {
            "practice": practice,
            "facts": _facts(practice),
            "is_onpe_fiche": practice.level == PracticeLevel.ONPE,
            "sections": sections,
            "evidence_level_label": EvidenceLevel(practice.evidence_level).label
            if practice.evidence_level
            else "",
            "permalink": request.build_absolute_uri(practice.get_absolute_url()),
        },
    )
    return {
        "title": practice.title,
        "breadcrumb": _breadcrumb(_library_link(), current=practice.title),
        "body": body,
    }


def _facts(practice: Practice) -> list[tuple[str, str]]:
    """The fiche's "in short" table: only what is filled in."""
    facts = [
        (
            "Mise en œuvre depuis le",
            date_format(practice.implemented_on, "j F Y") if practice.implemented_on else "",
        ),
        ("Échelle de l'action", practice.get_scale_display() if practice.scale else ""),
        *(
            (
                str(practice._meta.get_field(name).verbose_name).capitalize(),
                practice.option_label(name),
            )
            for name in ("intervention_type", "theme", "audience", "relay")
        ),
        ("Département", str(practice.departement) if practice.departement_id else ""),
        ("Commune", practice.commune.name if practice.commune_id else ""),
        (
            "Type de structure",
            practice.get_structure_kind_display() if practice.structure_kind else "",
        ),
        ("Effets attendus", ", ".join(practice.outcome_domains)),
        ("Coût", practice.get_cost_display() if practice.cost else ""),
        (
            "Transférabilité",
            practice.get_transferability_display() if practice.transferability else "",
        ),
        (
            "Accord du département",
            f"recueilli le {date_format(practice.departement_agreement_on, 'j F Y')}"
            if practice.has_departement_agreement
            else "",
        ),
        (
            "Publiée le",
            date_format(timezone.localtime(practice.published_at), "j F Y")
            if practice.published_at
            else "",
        ),
    ]
    return [(label, value) for label, value in facts if value]


def _export_rows(request):
    query = LibraryQuery.from_params(request.GET)
    base_url = request.build_absolute_uri("/").rstrip("/")
    for practice in library.results(query).iterator(chunk_size=500):
        yield library.fiche_data(practice, base_url=base_url)


@login_not_required
def export_csv(request):
    if _limited(request, "practices.export", EXPORT_RATE):
        return too_many_requests(request)
    keys = [key for key, _ in library.EXPORT_COLUMNS]
    header = [[label for _, label in library.EXPORT_COLUMNS]]
    rows = ([row[key] for key in keys] for row in _export_rows(request))
    return csv_response(chain(header, rows), filename="pratiques-inspirantes.csv")


@login_not_required
def export_json(request):
    if _limited(request, "practices.export", EXPORT_RATE):
        return too_many_requests(request)
    rows = list(_export_rows(request))
    content = json.dumps(
        {"count": len(rows), "results": rows}, cls=DjangoJSONEncoder, ensure_ascii=False
    )
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pratiques-inspirantes.json"'
    return response
