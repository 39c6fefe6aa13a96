"""The texts in the platform's full-text search (``core.fulltext``): the charter and the law
proposals, every one of them public, found by their title and presentation. A law proposal is
indexed as the text it is (its parent row), so that one search over ``Text`` finds both kinds."""

from django.db.models.signals import post_save

from enfance.core import fulltext

from .models import LawProposal, Text


def text_texts(text) -> dict[str, str]:
    return {"A": text.title, "B": text.summary}


def _reindex(sender, instance, raw=False, **kwargs):
    # Fixtures loaded raw (loaddata) are indexed by the data migration's way, not here.
    if not raw:
        fulltext.bulk_index(Text, [(instance.pk, text_texts(instance))])


def connect() -> None:
    # A LawProposal's save sends its signals with sender=LawProposal only, not Text.
    for model in (Text, LawProposal):
        post_save.connect(_reindex, sender=model, dispatch_uid=f"texts-search-{model.__name__}")
    fulltext.follow_deletions(Text)
