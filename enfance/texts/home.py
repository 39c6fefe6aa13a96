"""What the texts give the platform's search (``core.home``): the charter and the law proposals
matching a search, the best first."""

from enfance.core import fulltext
from enfance.core.home import Result, Source, register_source

from .models import Text


def _find(query: str, limit: int) -> list[Result]:
    found = fulltext.search(Text.objects.all(), query).order_by("-search_rank", "-updated_at")
    return [
        Result(
            title=text.title,
            url=text.get_absolute_url(),
            line=f"{text.get_kind_display()} · {text.state_label}",
        )
        for text in found[:limit]
    ]


register_source(Source(name="texts", label="Textes", order=50, find=_find))
