"""« Mon espace », the signed-in person's hub on their account page, filled by the modules that
hold their items (each in its ``my_space.py``, discovered at start): core knows none of them.

**Blocks.** A module registers a function giving, for one person, its blocks: a title, how many
items the person has, the latest few as links, and either a link to the module's full list or,
when there is nothing yet, a kind word and where to begin. Each block costs a fixed number of
queries (a count and a slice), so the page does not grow with what the person did.

**Roles.** A module registers the roles a person holds in it, each with where it acts (« Secrétaire
— Instance locale de Lyon (Rhône) »): the account page lists them all under « Mes rôles », the
platform's roles (accounts) and those held in an instance (assemblies) alike.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from .dates import written_date

# The latest items a block shows; the module's own list has the rest.
LATEST = 3


@dataclass(frozen=True)
class Item:
    label: str
    url: str = ""
    # What the person reads under the link: a date, a state.
    line: str = ""


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Block:
    title: str
    count: int
    items: list[Item]
    # Said when the count is nought, in a neutral wording (« Aucune inscription pour l'instant. »).
    empty: str
    # The module's full list, offered when the person has items.
    more: Link | None = None
    # Where to begin, offered when the person has none.
    start: Link | None = None


@dataclass(frozen=True)
class Held:
    """A role a person holds, and where it acts."""

    label: str
    where: str
    # What the role lets the person open (« Gérer l'instance »), when it has a page.
    link: Link | None = None


@dataclass(frozen=True)
class Section:
    name: str
    order: int
    blocks: Callable[[object], list[Block]] = field(compare=False)


@dataclass(frozen=True)
class RoleSource:
    name: str
    order: int
    roles: Callable[[object], list[Held]] = field(compare=False)


_sections: dict[str, Section] = {}
_role_sources: dict[str, RoleSource] = {}


def latest(queryset, limit: int = LATEST) -> tuple[list, int]:
    """The first ``limit`` rows of the queryset and how many it has in all: the count costs a
    query only when the slice is full."""
    rows = list(queryset[:limit])
    return rows, queryset.count() if len(rows) == limit else len(rows)


def day(moment: datetime) -> str:
    """The day of a moment, in Paris, as people write it: « 1er décembre 2026 »."""
    return written_date(timezone.localtime(moment).date())


def register_section(section: Section) -> Section:
    if section.name in _sections:
        raise ValueError(f"La rubrique « {section.name} » de Mon espace est déjà déclarée.")
    _sections[section.name] = section
    return section


def register_roles(source: RoleSource) -> RoleSource:
    if source.name in _role_sources:
        raise ValueError(f"La source de rôles « {source.name} » est déjà déclarée.")
    _role_sources[source.name] = source
    return source


def blocks(user) -> list[Block]:
    """Every module's blocks for this person, in the modules' order."""
    ordered = sorted(_sections.values(), key=lambda s: (s.order, s.name))
    return [block for section in ordered for block in section.blocks(user)]


def roles(user) -> list[Held]:
    """Every role this person holds, the platform's and the modules', in the modules' order."""
    ordered = sorted(_role_sources.values(), key=lambda s: (s.order, s.name))
    return [held for source in ordered for held in source.roles(user)]
