"""The instances in the platform's full-text search (``core.fulltext``): an instance is found by
its name, its département and its presentation; its entry is rewritten on every save."""

from django.db.models.signals import post_save

from enfance.core import fulltext

from .models import Instance


def instance_texts(instance) -> dict[str, str]:
    departement = instance.departement
    return {
        "A": instance.name,
        "B": f"{departement.name} {departement.code}",
        "C": instance.description,
    }


def _reindex(sender, instance, raw=False, **kwargs):
    # Fixtures loaded raw (loaddata) have no related rows yet to read.
    if not raw:
        fulltext.index(instance, instance_texts(instance))


def connect() -> None:
    post_save.connect(_reindex, sender=Instance, dispatch_uid="assemblies-search-index")
    fulltext.follow_deletions(Instance)
