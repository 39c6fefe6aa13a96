"""How views obtain objects: 404 for what the person may not see, 403 for what they may not do.

A view never calls ``Model.objects.get`` on an identifier from the URL: it asks here, with the
queryset of what this person may see and the predicate of what they want to do.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

NOT_VISIBLE = "Cette page n'existe pas ou ne vous est pas accessible."


def get_visible_or_404(queryset: QuerySet, **lookup) -> Model:
    """The object if it is in the visible queryset; 404 otherwise, whether it exists or not,
    so that an identifier never reveals what it designates."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404(NOT_VISIBLE) from None


def one_of_or_404(visible: Iterable[Model], **attributes) -> Model:
    """The first of the objects already read (what the person may see) whose attributes are
    ``attributes``; 404 as ``get_visible_or_404`` otherwise, without a query."""
    for obj in visible:
        if all(getattr(obj, name) == value for name, value in attributes.items()):
            return obj
    raise Http404(NOT_VISIBLE)


def permit(allowed: bool, message: str) -> None:
    """A 403 with the French reason unless ``allowed`` (the services' check of a right)."""
    if not allowed:
        raise PermissionDenied(message)


def require(user, predicate: Callable[[object, Model], bool], obj: Model | None = None) -> None:
    if not predicate(user, obj):
        raise PermissionDenied
