"""Every write on an event or a registration (places left) bumps the agenda's cache version
(``caching``). The registered count is updated with .update(), which sends no signal, but always
together with a Registration save, which does."""

from django.db.models.signals import post_delete, post_save

from enfance.core.cache import bump_on_commit

from . import search
from .caching import EVENTS
from .models import Event, Registration


def _on_change(sender, **kwargs):
    bump_on_commit(EVENTS)


def connect() -> None:
    search.connect()
    for model in (Event, Registration):
        uid = f"events-calendar-{model.__name__}"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete")
