"""What forms of every module share: service refusals shown on the form, bounded dates."""

from collections.abc import Callable
from datetime import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from .dates import DateBounds


def add_service_errors(form, error: ValidationError) -> None:
    """A service's refusal shown on the form as typed: beside its field when the form has that
    field, at the top when it does not (or when the refusal names no field)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def told(request, action: Callable[[], object], success: str) -> bool:
    """Call a service (a button's transition) and tell its outcome as a message: the service's
    refusal in its own words, or ``success``. Returns whether it was done."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


def act(request, form, action, success: str) -> bool:
    """A small form posted from a page that shows its outcome as a message: ``action`` gets the
    cleaned data and calls the service; a refusal of the form or of the service is told.
    Returns whether it was done."""
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return False
    return told(request, lambda: action(form.cleaned_data), success)


class DateInput(forms.DateInput):
    """The browser's date picker, given the ISO date it expects."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class _Bounded:
    """What a bounded date field adds to Django's: the day checked against ``bounds`` (its
    local day, for a date and time), the refusal in French."""

    def __init__(self, *, bounds: DateBounds, too_early=None, too_late=None, **kwargs):
        self.bounds = bounds.worded(too_early=too_early, too_late=too_late)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        if isinstance(value, datetime):
            value = (timezone.localtime(value) if timezone.is_aware(value) else value).date()
        self.bounds.check(value)


class BoundedDateField(_Bounded, forms.DateField):
    """A date within ``bounds`` (one of ``core.dates``: BIRTH, HAPPENED, PLANNED…), with the
    field's own messages if given."""


class BoundedDateTimeField(_Bounded, forms.DateTimeField):
    """A date and time whose day is within ``bounds``."""
