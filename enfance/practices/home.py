"""The published practices in the platform's search (``core.home``)."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import Truncator

from enfance.core import fulltext
from enfance.core.home import Result, Source, register_source

from .models import Practice

LINE_CHARACTERS = 160


def _find(query: str, limit: int) -> list[Result]:
    found = fulltext.search(Practice.objects.published(), query).order_by("-search_rank", "-pk")
    return [
        Result(
            title=str(p),
            url=p.get_absolute_url(),
            line=Truncator(p.description).chars(LINE_CHARACTERS),
        )
        for p in found.only("pk", "title", "description")[:limit]
    ]


register_source(
    Source(
        name="practices",
        label="Pratiques inspirantes",
        order=40,
        find=_find,
        more_url=lambda query: f"{reverse('practices:library')}?{urlencode({'q': query})}",
    )
)
