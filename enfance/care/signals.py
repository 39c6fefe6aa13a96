"""Every write to a structure or its places bumps the version of its département's searches
(``search.places_version``), after it commits: a cached result never outlives a declaration."""

from django.db.models.signals import post_delete, post_save

from enfance.core.cache import bump_on_commit

from .models import PlaceCategory, Structure
from .search import places_version_name


def _bump(sender, instance, **kwargs):
    departement_id = (
        instance.departement_id if sender is Structure else instance.structure.departement_id
    )
    bump_on_commit(places_version_name(departement_id))


def connect() -> None:
    for model in (Structure, PlaceCategory):
        post_save.connect(_bump, sender=model, dispatch_uid=f"care-places-{model.__name__}-save")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"care-places-{model.__name__}-del")
