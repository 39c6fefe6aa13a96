"""Every write on an event or a registration (places left) bumps the calendar's cache version
(views._calendar_results). The registered count is updated with .update(), which sends no
signal, but always together with a Registration save, which does."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from enfance.core.cache import bump, version


def events_version() -> int:
    return version("events")


def _on_change(sender, **kwargs):
    # After the commit: a page rendered meanwhile from the old data must not be cached under the
    # new version.
    transaction.on_commit(lambda: bump("events"))


def connect() -> None:
    from .models import Event, Registration

    for model in (Event, Registration):
        uid = f"events-calendar-{model.__name__}"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete")
