"""The cache every module shares: versions that a write bumps, and values rebuilt by one request
at a time. Whole pages for visitors are in ``pagecache``, built on these two.

**Versions.** A cached value's key carries the versions of what it shows; a write bumps them
(after its transaction commits), so a value is never served once the data it shows has changed,
whatever process or server cached it. ``versions()`` reads several in one round trip.

**Rebuilt once.** ``rebuilt_once`` keeps a value for ``fresh_for`` seconds; when it is stale, one
request rebuilds it while the others go on serving the previous one, and when there is none yet,
the others wait for the first rather than run the same slow query side by side. Sixteen readers
arriving on an expiry then never compute it sixteen times at once (that was what made the
petition page's p95 ten times its median).
"""

import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

# A stale value is served, while one request rebuilds it, for at most this long.
STALE_SECONDS = 3600
# A rebuilding request that crashed leaves the others to try again after this long.
REBUILD_LOCK_SECONDS = 30
# How long a request waits for another one building the first value, and how often it looks.
FIRST_BUILD_WAIT = 10.0
FIRST_BUILD_POLL = 0.05


def digest(value) -> str:
    """A short, stable part of a key for what a value was built from (a question, its filters):
    the same value gives the same digest in every process."""
    return hashlib.sha256(repr(value).encode()).hexdigest()[:32]


def _version_key(name: str) -> str:
    return f"version:{name}"


def version(name: str) -> int:
    return cache.get_or_set(_version_key(name), 1, timeout=None)


def versions(*names: str) -> str:
    """The versions of ``names`` joined with dots ("3.1.7"), read in one round trip."""
    keys = [_version_key(name) for name in names]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # add, not set: a bump by another process meanwhile must not be undone.
            cache.add(key, 1, timeout=None)
            found[key] = cache.get(key, 1)
    return ".".join(str(found[key]) for key in keys)


def bump(name: str) -> None:
    try:
        cache.incr(_version_key(name))
    except ValueError:
        cache.set(_version_key(name), 2, timeout=None)


def bump_on_commit(*names: str) -> None:
    """Bump after the current transaction commits: a value computed meanwhile from the old data
    must not be cached under the new version."""

    def bump_all():
        for name in names:
            bump(name)

    transaction.on_commit(bump_all)


def rebuilt_once(
    key: str,
    build: Callable[[], Any],
    *,
    fresh_for: int,
    token: Any = None,
    stale_for: int = STALE_SECONDS,
) -> Any:
    """The value cached under ``key``, rebuilt when ``fresh_for`` seconds have passed or when
    ``token`` (what it was built from) has changed, by one request at a time. A build that
    returns None caches nothing (the value could not be shared)."""
    entry = cache.get(key)
    lock = f"{key}:rebuild"
    if entry is not None:
        built_from, fresh_until, value = entry
        if built_from == token and time.time() < fresh_until:
            return value
        if not cache.add(lock, 1, timeout=REBUILD_LOCK_SECONDS):
            return value
    elif not cache.add(lock, 1, timeout=REBUILD_LOCK_SECONDS):
        deadline = time.monotonic() + FIRST_BUILD_WAIT
        while time.monotonic() < deadline:
            time.sleep(FIRST_BUILD_POLL)
            found = cache.get_many([key, lock])
            entry = found.get(key)
            if entry is not None and entry[0] == token:
                return entry[2]
            if lock not in found:
                break
        # The other request built nothing to share, is slow or is gone: build it here.
    try:
        value = build()
        if value is not None:
            entry = (token, time.time() + fresh_for, value)
            cache.set(key, entry, timeout=max(stale_for, fresh_for))
    finally:
        cache.delete(lock)
    return value
