"""Every write on a text or one of its versions bumps the version of the cached public fragments
(the comparison page: views.compare). Articles are only ever created with their version
(bulk_create, in the same transaction), and comments or proposals show on no cached fragment."""

from django.db.models.signals import post_delete, post_save

from enfance.core.cache import bump_on_commit, versions

from . import search
from .models import LawProposal, Text, TextVersion

NAME = "texts"


def texts_version() -> str:
    return versions(NAME)


def _on_change(sender, **kwargs):
    bump_on_commit(NAME)


def connect() -> None:
    search.connect()
    # A LawProposal's save sends its signals with sender=LawProposal only, not Text.
    for model in (Text, LawProposal, TextVersion):
        uid = f"texts-{model.__name__}"
        post_save.connect(_on_change, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"{uid}-delete")
