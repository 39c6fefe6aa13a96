"""How views obtain objects: 404 for what the person may not see, 403 for what they may not do.

A view never calls ``Model.objects.get`` on an identifier from the URL: it asks here, with the
queryset of what this person may see and the predicate of what they want to do.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404


def get_visible_or_404(queryset: QuerySet, **lookup) -> Model:
    """The object if it is in the visible queryset; 404 otherwise, whether it exists or not,
    so that an identifier never reveals what it designates."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404("Cette page n'existe pas ou ne vous est pas accessible.") from None


def require(user, predicate: Callable[[object, Model], bool], obj: Model | None = None) -> None:
    if not predicate(user, obj):
        raise PermissionDenied
