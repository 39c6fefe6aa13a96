"""The home page's live sections and the platform-wide search, filled by the modules that hold
their data (each in its ``home.py``, discovered at start): core knows none of them.

**Sections.** A module registers what it shows on the home page: a template, a function giving
that template its context, a place in the page, and what makes the section stale: the names of
the cache versions (``core.cache``) that its writes bump, and, for figures kept otherwise (the
petition's counter), a cheap fresh read. The page is cached whole for visitors
(``core.pagecache``), keyed by all of them.

**Search sources.** A module registers how to find its public items for a few words, through the
project's full-text search (``core.fulltext``): the search page shows the best few of each source,
with a link to that module's own search for the same words.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class Section:
    name: str
    order: int
    template: str
    # The template's context, for this request (a signed-in person may see their territory
    # first; a visitor's page is shared by every visitor).
    context: Callable[[HttpRequest], dict] = field(compare=False)
    versions: tuple[str, ...] = ()
    token: Callable[[], Any] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Result:
    title: str
    url: str
    line: str = ""


@dataclass(frozen=True)
class Source:
    name: str
    label: str
    order: int
    # The best ``limit`` public items matching the words, by relevance.
    find: Callable[[str, int], list[Result]] = field(compare=False)
    # The module's own search page for the same words, where it has one.
    more_url: Callable[[str], str] | None = field(default=None, compare=False)


_sections: dict[str, Section] = {}
_sources: dict[str, Source] = {}


def register_section(section: Section) -> Section:
    if section.name in _sections:
        raise ValueError(f"La rubrique « {section.name} » de l'accueil est déjà déclarée.")
    _sections[section.name] = section
    return section


def register_source(source: Source) -> Source:
    if source.name in _sources:
        raise ValueError(f"La source de recherche « {source.name} » est déjà déclarée.")
    _sources[source.name] = source
    return source


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.name))


def sources() -> list[Source]:
    return sorted(_sources.values(), key=lambda s: (s.order, s.name))


def section_versions() -> tuple[str, ...]:
    """Every cache version a section depends on, each once, in a stable order."""
    return tuple(sorted({name for section in sections() for name in section.versions}))


def section_tokens() -> tuple:
    return tuple(section.token() for section in sections() if section.token is not None)


def rendered_sections(request: HttpRequest) -> list[dict]:
    return [
        {"name": section.name, "template": section.template, "data": section.context(request)}
        for section in sections()
    ]
