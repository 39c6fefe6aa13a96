"""Every write on an interpellation or an institution bumps the version of the cached public
fragments (the list's results, the institutions' figures: views.py). Writes made with .update()
send no signal: the services use it only for the reminders' bookkeeping, which no public page
shows."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from enfance.core.cache import bump, version

NAME = "interpellations"


def interpellations_version() -> int:
    return version(NAME)


def _on_change(sender, **kwargs):
    # After the commit: a page rendered meanwhile from the old data must not be cached under the
    # new version.
    transaction.on_commit(lambda: bump(NAME))


def connect() -> None:
    from .models import Institution, Interpellation

    for model in (Institution, Interpellation):
        uid = f"interpellations-{model.__name__}"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete")
