"""The public library: the list with its search and filters, the fiche page, the exports."""

import csv
import hashlib
import json
from functools import cache as memoize
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django_ratelimit.core import is_ratelimited

from enfance.core.cache import version
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
# Stands for the per-request script nonce in a cached page; "<" never comes out of escaped text.
NONCE_PLACEHOLDER = "<!--csp-nonce-->"


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
    # A visitor without an account and without a pending message sees exactly the same page as
    # every other such visitor asking the same question (no form needing a CSRF token, no
    # account link): the whole page is served from the cache, only the script nonce changes.
    shared = not request.user.is_authenticated and not len(get_messages(request))
    if shared:
        page_key = query.cache_key(f"practices:page:{page_number}:{_shell_token()}")
        html = cache.get(page_key)
        if html is not None:
            return HttpResponse(html.replace(NONCE_PLACEHOLDER, str(request.csp_nonce)))
    # The results are the same for everyone asking the same question: rendered once, until the
    # library changes (the key carries its version) or a few minutes pass.
    key = query.cache_key(f"practices:results:{page_number}")
    results_html = cache.get(key)
    if results_html is None:
        if query.text and _limited(request, "practices.search", SEARCH_RATE):
            return too_many_requests(request)
        results_html = render_to_string(
            "practices/library/_results.html", _results_context(query, page_number)
        )
        cache.set(key, results_html, RESULTS_CACHE_SECONDS)
    response = render(
        request,
        "practices/library/list.html",
        {
            "query": query,
            "results": results_html,
            "breadcrumb": _library_breadcrumb(),
        },
    )
    if shared:
        # The nonce is random: it cannot be mistaken for the page's (escaped) text.
        html = response.content.decode().replace(str(request.csp_nonce), NONCE_PLACEHOLDER)
        cache.set(page_key, html, RESULTS_CACHE_SECONDS)
    return response


@memoize
def _shell_token() -> str:
    # The layout's assets carry their content hash: a page cached before a deployment (in a
    # cache shared by processes, Redis) is not served with the previous stylesheet's address.
    return hashlib.sha256(static("css/enfance.css").encode()).hexdigest()[:12]


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
    # The page is the same for every visitor (no button, no form): rendered once and cached
    # under the fiche's version, bumped whenever it is re-indexed (an edit, its evidence level,
    # a renamed option: tasks.reindex_fiches_of_option) or withdrawn. The permalink is absolute,
    # hence the host in the key.
    key = (
        f"practices:fiche:{pk}:{version(library.fiche_cache_name(pk))}:"
        f"{request.scheme}://{request.get_host()}"
    )
    page = cache.get(key)
    if page is None:
        try:
            practice = library.published_fiche(pk)
        except Practice.DoesNotExist:
            raise Http404("Cette fiche n'existe pas ou n'est pas publiée.") from None
        page = _fiche_page(request, practice)
        cache.set(key, page, FICHE_CACHE_SECONDS)
    return render(
        request,
        "practices/library/fiche.html",
        {
            "title": page["title"],
            # Rendered by our own templates, escaped there.
            "breadcrumb": mark_safe(page["breadcrumb"]),  # noqa: S308
            "body": mark_safe(page["body"]),  # noqa: S308
        },
    )


def _fiche_page(request, practice: Practice) -> dict:
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


class _Echo:
    """A file-like object whose write returns the line, for a streamed CSV."""

    def write(self, value):
        return value


@login_not_required
def export_csv(request):
    if _limited(request, "practices.export", EXPORT_RATE):
        return too_many_requests(request)
    # Semicolons and a byte order mark: the file opens as-is in French spreadsheets.
    writer = csv.writer(_Echo(), delimiter=";")
    keys = [key for key, _ in library.EXPORT_COLUMNS]

    def lines():
        yield "\ufeff" + writer.writerow([header for _, header in library.EXPORT_COLUMNS])
        for row in _export_rows(request):
            yield writer.writerow(["" if row[key] is None else row[key] for key in keys])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pratiques-inspirantes.csv"'
    return response


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
