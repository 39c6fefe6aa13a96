"""Events held for a circle of people, such as the sessions of a groupe de parole.

The app that keeps the circle (``enfance.support``) says who is in it, so that the events module,
which knows nothing of it, shows such an event and registers for it only its members and its
hosts; and where its page leads back to.
"""

from collections.abc import Callable

from django.db.models import Q

from .enums import MEMBERS_ONLY_KINDS

_members: dict[str, Callable[[object], Q]] = {}
_home: dict[str, Callable[[object], dict]] = {}


def keep(kind: str, *, members: Callable[[object], Q], home: Callable[[object], dict]) -> None:
    """``members(user)``: the events of this kind the person belongs to, as a condition on
    events; ``home(event)``: the link back, ``{"url": …, "title": …}``."""
    if kind not in MEMBERS_ONLY_KINDS:
        raise ValueError(f"{kind} is not a members-only kind of event")
    _members[kind] = members
    _home[kind] = home


def belongs(user) -> Q:
    """The members-only events the person belongs to (none for a kind no app keeps)."""
    condition = Q(pk__in=[])
    if user.is_authenticated:
        for kind, members in _members.items():
            condition |= Q(kind=kind) & members(user)
    return condition


def admits(event, user) -> bool:
    """May this person attend: anyone for an ordinary event, the circle for the others."""
    if event.kind not in MEMBERS_ONLY_KINDS:
        return True
    return type(event).objects.filter(pk=event.pk).filter(belongs(user)).exists()


def home(event) -> dict | None:
    return _home[event.kind](event) if event.kind in _home else None
