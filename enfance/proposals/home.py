"""What the proposals module gives the home page and the platform's search (``core.home``): the
latest published proposals and the most supported, and the published ones matching a search."""

from django.urls import reverse
from django.utils.http import urlencode

from enfance.core import fulltext
from enfance.core.home import Result, Section, Source, register_section, register_source
from enfance.core.templatetags.ui import pluriel

from .caching import PROPOSALS
from .models import Proposal

HOME_PROPOSALS = 4


def _context(request) -> dict:
    published = Proposal.objects.published()
    # Each read from its index (state, -published_at) and (state, -support_count).
    return {
        "latest": list(published.order_by("-published_at", "-pk")[:HOME_PROPOSALS]),
        "most_supported": list(
            published.filter(support_count__gt=0).order_by("-support_count", "-pk")[:HOME_PROPOSALS]
        ),
    }


def _most_supported_token():
    # A support moves the order without bumping the version (caching.LIST_TTL): a cheap read of
    # the few ids shown keeps the page right.
    return tuple(
        Proposal.objects.published()
        .order_by("-support_count", "-pk")
        .values_list("pk", "support_count")[:HOME_PROPOSALS]
    )


def _find(query: str, limit: int) -> list[Result]:
    found = fulltext.search(Proposal.objects.published(), query).order_by("-search_rank", "-pk")
    return [
        Result(
            title=p.title,
            url=p.get_absolute_url(),
            line=f"{p.support_count} soutien{pluriel(p.support_count)}",
        )
        for p in found[:limit]
    ]


register_section(
    Section(
        name="proposals",
        order=30,
        template="proposals/home_section.html",
        context=_context,
        versions=(PROPOSALS,),
        token=_most_supported_token,
    )
)
register_source(
    Source(
        name="proposals",
        label="Propositions",
        order=30,
        find=_find,
        more_url=lambda query: f"{reverse('proposals:list')}?{urlencode({'q': query})}",
    )
)
