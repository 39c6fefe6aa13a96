"""What every page of texts uses: the section a text lives under, its breadcrumb, how a text is
read from its address, and the rate of what one person posts."""

from django.urls import reverse
from django_ratelimit.core import is_ratelimited

from enfance.core.access import get_visible_or_404

from ..models import LawProposal, Text

# What one person may post on texts (QUALITY.md: rate limits on comments).
POST_RATE = "10/m"
PREFIXES = {"text": "Textes participatifs", "law": "Propositions de loi"}


def section(prefix: str) -> dict:
    name = "texts:law_list" if prefix == "law" else "texts:text_list"
    return {"url": reverse(name), "title": PREFIXES[prefix]}


def breadcrumb(prefix: str, *links, current: str) -> dict:
    return {
        "links": [section(prefix), *links],
        "current": current,
        "root_dir": reverse("core:home"),
    }


def text_link(text) -> dict:
    return {"url": text.get_absolute_url(), "title": text.title}


def get_text(prefix: str, slug: str):
    """A text under its own section: a law proposal's address is under /propositions-de-loi/."""
    queryset = LawProposal.objects.all() if prefix == "law" else Text.objects.participatory()
    return get_visible_or_404(queryset.select_related("current_version"), slug=slug)


def too_many(request, group: str) -> bool:
    return is_ratelimited(
        request,
        group=f"texts.{group}",
        key="user_or_ip",
        rate=POST_RATE,
        method="POST",
        increment=True,
    )


def form_status(form) -> int:
    return 400 if form.is_bound and form.errors else 200
