"""A fiche's cached page follows every write on the fiche, including the Django admin's, which
does not go through the services."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from enfance.core import fulltext
from enfance.core.cache import bump

from . import library
from .models import Practice


def forget_cached_fiche(sender, instance, **kwargs):
    transaction.on_commit(lambda: bump(library.fiche_cache_name(instance.pk)))


def connect():
    post_save.connect(forget_cached_fiche, sender=Practice, dispatch_uid="practices-fiche-save")
    post_delete.connect(forget_cached_fiche, sender=Practice, dispatch_uid="practices-fiche-del")
    # A process that deletes a fiche without having indexed one (the admin, a command).
    fulltext.follow_deletions(Practice)
