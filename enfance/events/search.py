"""The events in the platform's full-text search (``core.fulltext``): an event is found by its
title, where it takes place and its description; its entry is rewritten on every save, and the
search keeps the public events only (``Event.objects.public``)."""

from django.db.models.signals import post_save

from enfance.core import fulltext

from .models import Event


def event_texts(event) -> dict[str, str]:
    where = [event.place, event.departement.name if event.departement_id else ""]
    if event.commune_id:
        where.insert(0, event.commune.name)
    return {"A": event.title, "B": " ".join(filter(None, where)), "C": event.description}


def _reindex(sender, instance, raw=False, **kwargs):
    # Fixtures loaded raw (loaddata) have no related rows yet to read.
    if not raw:
        fulltext.index(instance, event_texts(instance))


def connect() -> None:
    post_save.connect(_reindex, sender=Event, dispatch_uid="events-search-index")
    fulltext.follow_deletions(Event)
