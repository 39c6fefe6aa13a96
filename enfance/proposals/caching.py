"""Shared caches of the proposals pages, kept right across processes by versions held in the cache
(``enfance.core.cache``) and bumped on commit by every write that changes what they show
(signals.py, and services for the writes that send no signal), plus a TTL for the rest.

- The list: the ordered ids of a question (search words, filters, sort), by windows of ten pages,
  and its count. A full-text search that matches most proposals costs a second to rank; the page
  itself is then read fresh by id, ``published()``, so supports are current and a hidden proposal
  vanishes at once, even before the version is bumped.
- The proposal page: the rendered thread of public comments, one per page of comments and per kind
  of visitor (see ``comments_key``).
- Whole pages for visitors who are not signed in (``anonymous_page``): the list and the proposal
  page, keyed by what a cheap fresh read of the proposals shown gives (state, counts: a hidden
  proposal is never read, so it vanishes at once) and by the versions above; each request puts
  its own CSRF token and CSP nonce back.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token

from enfance.core.cache import bump, version

# Supports change the "most supported" order without a bump (one UPDATE per support, which would
# empty the cache at every click): the order is at most this late. Counts shown are always fresh.
LIST_TTL = 60
# Names of authors may change (signals.py bumps on account changes); the thread waits no longer.
COMMENTS_TTL = 600
# A card is cached under the digest of what it shows (views._cards): it is never stale; the TTL only
# lets go of cards no longer shown.
CARD_TTL = 3600
# Several visitors asking the same new question at once: one computes, the others wait for it
# rather than run the same slow query side by side (per process with the local-memory cache).
LOCK_TTL = 30
LOCK_WAIT = 10.0
LOCK_POLL = 0.05
# A whole page for visitors who are not signed in. What a proposal page shows from other apps
# (ballot, propositions de loi, names of instances and territories) waits no longer than this.
PAGE_TTL = 60
# Placeholders of a cached page: each request puts its own token and nonce back.
_CSRF_PLACEHOLDER = "proposals-csrf-token-placeholder"
_NONCE_PLACEHOLDER = "proposals-csp-nonce-placeholder"


def proposals_version() -> int:
    return version("proposals")


def themes_version() -> int:
    """Part of the key of the cached filters of the list (their choices of themes)."""
    return version("proposal-themes")


def comments_key(proposal_id: int, number: int, variant: str) -> str:
    """The thread of a proposal as seen by one kind of visitor: the links under each comment
    depend only on being signed in, being allowed to comment and to moderate (``variant``)."""
    every = version("proposal-comments")
    own = version(f"proposal-comments:{proposal_id}")
    return f"proposal-comments:{proposal_id}:{every}.{own}:{number}:{variant}"


def page_version(proposal_id: int) -> str:
    """Bumped by every save of the proposal, of its comments and amendments (signals.py)."""
    return f"{version('proposal-comments')}.{version(f'proposal-comments:{proposal_id}')}"


def digest(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:32]


def shareable(request) -> bool:
    """A visitor who is not signed in and has no message waiting sees the same page as any
    other, but for the CSRF token and CSP nonce."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and not request.user.is_authenticated
    )


def anonymous_page(request, key: str, build) -> HttpResponse:
    """The page cached under ``key`` (which carries what it shows), else rendered by
    ``build(**extra)`` with placeholders for the per-request bits, and cached if it is a 200."""
    html = cache.get(key)
    if html is None:
        response = build(csrf_token=_CSRF_PLACEHOLDER)
        if response.status_code != 200 or response.has_header("Set-Cookie"):
            return _personal(request, response)
        nonce = str(getattr(request, "csp_nonce", "")) or None
        html = response.content.decode()
        if nonce:
            html = html.replace(nonce, _NONCE_PLACEHOLDER)
        cache.set(key, html, PAGE_TTL)
    if _CSRF_PLACEHOLDER in html:
        html = html.replace(_CSRF_PLACEHOLDER, get_token(request))
    if _NONCE_PLACEHOLDER in html:
        html = html.replace(_NONCE_PLACEHOLDER, str(request.csp_nonce))
    return HttpResponse(html)


def _personal(request, response: HttpResponse) -> HttpResponse:
    if _CSRF_PLACEHOLDER.encode() in getattr(response, "content", b""):
        response.content = response.content.replace(
            _CSRF_PLACEHOLDER.encode(), get_token(request).encode()
        )
    return response


def bump_proposals() -> None:
    # After the commit: a page computed meanwhile from the old data must not be cached under the
    # new version.
    transaction.on_commit(lambda: bump("proposals"))


def bump_comments(proposal_id: int) -> None:
    transaction.on_commit(lambda: bump(f"proposal-comments:{proposal_id}"))


def bump_all_comments() -> None:
    transaction.on_commit(lambda: bump("proposal-comments"))


def bump_themes() -> None:
    transaction.on_commit(lambda: bump("proposal-themes"))


def get_or_compute(key: str, compute, timeout: int):
    value = cache.get(key)
    if value is not None:
        return value
    lock = f"{key}:lock"
    if not cache.add(lock, 1, LOCK_TTL):
        deadline = time.monotonic() + LOCK_WAIT
        while value is None and time.monotonic() < deadline:
            time.sleep(LOCK_POLL)
            value = cache.get(key)
        if value is not None:
            return value
    try:
        value = compute()
        cache.set(key, value, timeout)
    finally:
        cache.delete(lock)
    return value


class CachedResults:
    """What a Paginator needs (``count()`` and slicing) from an ordered queryset of proposals:
    ids and count come from the cache, the proposals of the page are read fresh by ``fetch``."""

    def __init__(self, queryset, key: str, fetch, window: int):
        self.queryset, self.key, self.fetch, self.window = queryset, key, fetch, window

    def _ids(self, number: int) -> list[int]:
        start = number * self.window
        return get_or_compute(
            f"{self.key}:ids:{number}",
            lambda: list(self.queryset.values_list("pk", flat=True)[start : start + self.window]),
            LIST_TTL,
        )

    def _count(self) -> int:
        # A question with less than a window of answers is counted by its first window.
        first = self._ids(0)
        if len(first) < self.window:
            return len(first)
        return self.queryset.order_by().count()

    def count(self) -> int:
        return get_or_compute(f"{self.key}:count", self._count, LIST_TTL)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        start, stop = index.start or 0, index.stop
        number = start // self.window
        offset = number * self.window
        # The paginator asks one page: the window holds whole pages, so it never straddles two.
        ids = self._ids(number)[start - offset : stop - offset]
        found = self.fetch(ids)
        return [found[pk] for pk in ids if pk in found]
