"""Versioned cache keys: a fragment's key carries a version, and a write bumps the version, so a
cached fragment is never served after the data it shows has changed."""

from django.core.cache import cache


def version(name: str) -> int:
    return cache.get_or_set(f"version:{name}", 1, timeout=None)


def bump(name: str) -> None:
    try:
        cache.incr(f"version:{name}")
    except ValueError:
        cache.set(f"version:{name}", 2, timeout=None)
