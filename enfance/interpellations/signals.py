"""Every write on an interpellation or an institution bumps the version of the cached public
fragments (the list's results, the institutions' figures, a public interpellation's page:
views.py), once its transaction commits (core.cache). Writes made with .update() send no
signal: the services use it only for the reminders' bookkeeping, which no public page shows."""

from django.db.models.signals import post_delete, post_save

from enfance.core.cache import bump_on_commit

from .models import Institution, Interpellation

# The name of the version the public fragments of interpellations are keyed by.
VERSION = "interpellations"


def _on_change(sender, **kwargs):
    bump_on_commit(VERSION)


def connect() -> None:
    for model in (Institution, Interpellation):
        uid = f"interpellations-{model.__name__}"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete")
