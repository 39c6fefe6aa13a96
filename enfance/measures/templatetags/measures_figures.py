"""How the public figures read: a secret count as « secret », a delay withheld as « secret
statistique » (stats.Cell holds None in their place)."""

from django import template

from enfance.core.text import format_count

register = template.Library()

HIDDEN_COUNT = "secret"
HIDDEN_DELAY = "secret statistique"
NOTHING = "—"


@register.filter
def public_count(value) -> str:
    return HIDDEN_COUNT if value is None else format_count(value)


@register.filter
def delay(cell, which: str = "median") -> str:
    """The median (``"median"``) or 90th percentile (``"p90"``) of a cell, in days."""
    if cell.delays_secret:
        return HIDDEN_DELAY
    value = getattr(cell, which)
    if value is None:
        return NOTHING
    days = round(value)
    return f"{format_count(days)} jour{'s' if days > 1 else ''}"


@register.filter
def share(cell) -> str:
    if cell.delays_secret:
        return HIDDEN_DELAY
    if cell.within_share is None:
        return NOTHING
    return f"{cell.within_share}\u202f%"


@register.filter
def at(sequence, index):
    return sequence[index]


@register.filter
def number(value) -> str:
    """12345 -> « 12 345 »."""
    return format_count(value)
