"""What every signed-in page asks of the account (its active roles, whether it has a second
factor, the subjects a professional answers), kept in the shared cache between requests.

A fact is stored with the account's version (``core.cache``), which every change to a role, an
authenticator or a subject bumps after it commits (``signals``), so a fact is never read once
what it says has changed. Where the cache is one per process (``ACCOUNT_FACTS_SECONDS`` is 0),
a bump in one process would not reach the others: facts are then read from the database once
per request only, as before.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

from enfance.core.cache import bump_on_commit, versions


def _name(user_id) -> str:
    return f"account:{user_id}"


def fact(user, name: str, build: Callable[[], Any]) -> Any:
    """The fact ``name`` about ``user``, built once per version of the account, and read once
    per request (the user object lives that long)."""
    kept = getattr(user, "_account_facts", None)
    if kept is None:
        kept = user._account_facts = {}
    if name in kept:
        return kept[name]
    seconds = settings.ACCOUNT_FACTS_SECONDS
    if not seconds or user.pk is None:
        kept[name] = build()
        return kept[name]
    if "_version" not in kept:
        kept["_version"] = versions(_name(user.pk))
    key = f"account-facts:{user.pk}:{kept['_version']}:{name}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = build()
        cache.set(key, value, timeout=seconds)
    kept[name] = value
    return value


def forget(user_id) -> None:
    """The account changed: its facts are built again once the change commits."""
    bump_on_commit(_name(user_id))


def refresh(user) -> None:
    """After a change made in this request: read again now, and everywhere once it commits."""
    user.__dict__.pop("_account_facts", None)
    forget(user.pk)


def _forget_owner(sender, instance, **kwargs):
    forget(instance.user_id)


def forget_on_change(*models) -> None:
    """Every save or deletion of these models (each with a ``user``) changes a fact of the
    account; bulk writes call ``forget`` themselves."""
    for model in models:
        uid = f"account-facts-{model._meta.label}"
        post_save.connect(_forget_owner, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_forget_owner, sender=model, dispatch_uid=f"{uid}-delete")


_MISSING = object()
