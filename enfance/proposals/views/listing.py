"""The list of proposals: search, filters, sort; cached by question (caching.CachedResults), a
card by what it shows, and the whole page for visitors (core.pagecache)."""

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from enfance.assemblies.models import Instance
from enfance.core import fulltext
from enfance.core.cache import digest
from enfance.core.pagecache import is_shared_visitor, visitor_page
from enfance.territories.services import cache_version

from ..caching import (
    CARD_TTL,
    PAGE_TTL,
    CachedResults,
    list_versions,
    themes_versions,
)
from ..forms import ProposalFilterForm
from ..models import Proposal
from .common import breadcrumb

PROPOSALS_PER_PAGE = 20
# The ids of ten pages are read (and cached) at once: ranking costs the same for 20 as for 200.
RESULTS_WINDOW = PROPOSALS_PER_PAGE * 10
FILTER_KEYS = ("region", "departement", "theme", "etat", "instance")
# What a card or a flagship shows that may change without a bump of the proposals version.
_ROW_FIELDS = ("pk", "support_count", "comment_count", "state", "updated_at")


@login_not_required
def proposal_list(request):
    form = ProposalFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    proposals = Proposal.objects.published()
    instance = None
    if filters.get("instance"):
        instance = Instance.objects.filter(slug=filters["instance"]).first()
        proposals = proposals.filter(instance=instance) if instance else proposals.none()
    if filters.get("region"):
        proposals = proposals.filter(
            Q(region=filters["region"]) | Q(departement__region=filters["region"])
        )
    if filters.get("departement"):
        proposals = proposals.filter(departement=filters["departement"])
    if filters.get("theme"):
        proposals = proposals.filter(themes=filters["theme"])
    if filters.get("etat"):
        proposals = proposals.filter(state=filters["etat"])
    query = (filters.get("q") or "").strip()
    sort = filters.get("tri") or ""
    if query:
        proposals = fulltext.search(proposals, query)
    if sort == "soutiens":
        proposals = proposals.order_by("-support_count", "-published_at", "-pk")
    elif query and not sort:
        proposals = proposals.order_by("-search_rank", "-pk")
    else:
        proposals = proposals.order_by("-published_at", "-pk")
    key = _list_key(filters, instance, query, sort)
    filtered = form.is_bound and any(filters.get(k) for k in ("q", *FILTER_KEYS))
    # The filters' fragment varies with the filters chosen, not with the words searched.
    chosen = "&".join(f"{k}={request.GET.get(k, '')}" for k in (*FILTER_KEYS, "tri"))
    filters_version = f"{themes_versions()}.{cache_version()}:{chosen}"

    def build(page, **extra):
        return render(
            request,
            "proposals/list.html",
            {
                "form": form,
                "page_obj": page,
                "cards": cards(page.object_list),
                "filters_version": filters_version,
                "query": query,
                "filtered": filtered,
                "instance": instance,
                "flagship": Proposal.objects.published().flagship() if not filtered else [],
                **extra,
            },
        )

    number = request.GET.get("page")
    if not is_shared_visitor(request):
        results = CachedResults(proposals, key, _fresh_proposals, RESULTS_WINDOW)
        return build(Paginator(results, PROPOSALS_PER_PAGE).get_page(number))
    # Not signed in: the whole page, rebuilt when a cheap fresh read of the proposals shown
    # changes.
    rows = CachedResults(proposals, key, _fresh_rows, RESULTS_WINDOW)
    page = Paginator(rows, PROPOSALS_PER_PAGE).get_page(number)
    flagship = _flagship_rows() if not filtered else []

    def build_page(**extra):
        found = _fresh_proposals([row[0] for row in page.object_list])
        page.object_list = [found[row[0]] for row in page.object_list if row[0] in found]
        return build(page, **extra)

    return visitor_page(
        request,
        f"proposals-list-page:{key}:{digest((filters_version, request.get_full_path()))}",
        build_page,
        fresh_for=PAGE_TTL,
        token=(page.number, page.object_list, flagship),
    )


def _fresh_rows(ids: list[int]) -> dict:
    return {
        row[0]: row
        for row in Proposal.objects.published().filter(pk__in=ids).values_list(*_ROW_FIELDS)
    }


def _flagship_rows() -> list:
    return list(Proposal.objects.published().flagship().values_list(*_ROW_FIELDS))


def _list_key(filters: dict, instance, query: str, sort: str) -> str:
    """One key per question: the search words (case and spaces do not matter to the search),
    filters and sort, under the version that every change of a published proposal bumps."""
    question = (
        " ".join(query[: fulltext.MAX_QUERY_CHARACTERS].casefold().split()),
        *(getattr(filters.get(name), "pk", None) for name in ("region", "departement", "theme")),
        filters.get("etat") or "",
        filters.get("instance") or "",
        instance.pk if instance else None,
        sort,
    )
    return f"proposals-list:{list_versions()}:{digest(question)}"


def cards(proposals: list[Proposal]) -> list[str]:
    """The cards of a page of proposals. A card is cached under the digest of everything it
    shows, read fresh with the page: any change gives a new key, so a card is never stale."""
    keys = {}
    for proposal in proposals:
        shown = (
            proposal.pk,
            proposal.title,
            proposal.problem,
            proposal.state,
            proposal.is_flagship,
            proposal.support_count,
            proposal.comment_count,
            proposal.territory_label,
            str(proposal.instance) if proposal.instance_id else "",
            [theme.label for theme in proposal.themes.all()],
        )
        keys[proposal.pk] = f"proposal-card:{digest(shown)}"
    cached = cache.get_many(keys.values())
    missing = {}
    for proposal in proposals:
        if keys[proposal.pk] not in cached:
            html = render_to_string("proposals/_card.html", {"proposal": proposal})
            cached[keys[proposal.pk]] = missing[keys[proposal.pk]] = html
    if missing:
        cache.set_many(missing, CARD_TTL)
    return [mark_safe(cached[keys[proposal.pk]]) for proposal in proposals]  # noqa: S308


def _fresh_proposals(ids: list[int]) -> dict:
    """The proposals of a page, read now: current supports, and a proposal hidden since the ids
    were cached is left out at once."""
    # A card shows neither the proposal itself nor its expected effect: up to 20 KB a row unread.
    return Proposal.objects.published().for_list().defer("body", "expected_effect").in_bulk(ids)


def my_proposals(request):
    proposals = (
        Proposal.objects.filter(author=request.user).for_list().order_by("-updated_at", "-pk")
    )
    page = Paginator(proposals, PROPOSALS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/mine.html",
        {"page_obj": page, "breadcrumb_data": breadcrumb(current="Mes propositions")},
    )
