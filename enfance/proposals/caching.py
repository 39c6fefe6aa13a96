"""What the proposals pages cache, on the shared kernel (``core.cache``, ``core.pagecache``): the
versions that writes bump on commit (signals.py, and services for the writes that send no
signal), and the values rebuilt by one request at a time.

- The list: the ordered ids of a question (search words, filters, sort), by windows of ten pages,
  and its count (``CachedResults``). A full-text search that matches most proposals costs a
  second to rank; the page itself is then read fresh by id, ``published()``, so supports are
  current and a hidden proposal vanishes at once, even before the version is bumped.
- The proposal page: the rendered thread of public comments, one per page of comments and per
  kind of visitor (see ``comments_key``).
- Whole pages for visitors who are not signed in (``core.pagecache.visitor_page``): the list and
  the proposal page, keyed by the versions above and rebuilt when a cheap fresh read of the
  proposals shown (state, counts) changes; a hidden proposal is never read, so it vanishes at
  once.
"""

from enfance.core.cache import bump_on_commit, rebuilt_once, versions

# Supports change the "most supported" order without a bump (one UPDATE per support, which would
# empty the cache at every click): the order is at most this late. Counts shown are always fresh.
LIST_TTL = 60
# Names of authors may change (signals.py bumps on account changes); the thread waits no longer.
COMMENTS_TTL = 600
# A card is cached under the digest of what it shows (views.listing.cards): it is never stale;
# the TTL only lets go of cards no longer shown.
CARD_TTL = 3600
# A whole page for visitors who are not signed in. What a proposal page shows from other apps
# (ballot, propositions de loi, names of instances and territories) waits no longer than this.
PAGE_TTL = 60

# Every published proposal: the list and its search.
PROPOSALS = "proposals"
# The choices of themes in the list's filters.
THEMES = "proposal-themes"
# The names of people, shown in every thread.
AUTHORS = "proposal-authors"


def _page(proposal_id: int) -> str:
    """One proposal's page: the proposal, its comments, its amendments."""
    return f"proposal:{proposal_id}"


def list_versions() -> str:
    return versions(PROPOSALS)


def themes_versions() -> str:
    return versions(THEMES)


def page_versions(proposal_id: int) -> str:
    """Bumped by every save of the proposal, of its comments and amendments (signals.py), and
    by every change of a name."""
    return versions(AUTHORS, _page(proposal_id))


def comments_key(proposal_id: int, number: int, variant: str) -> str:
    """The thread of a proposal as seen by one kind of visitor: what may be done with each
    comment depends only on being signed in, being allowed to comment and to moderate
    (``variant``)."""
    return f"proposal-comments:{proposal_id}:{page_versions(proposal_id)}:{number}:{variant}"


def bump_proposals() -> None:
    bump_on_commit(PROPOSALS)


def bump_page(proposal_id: int) -> None:
    bump_on_commit(_page(proposal_id))


def bump_authors() -> None:
    bump_on_commit(AUTHORS)


def bump_themes() -> None:
    bump_on_commit(THEMES)


class CachedResults:
    """What a Paginator needs (``count()`` and slicing) from an ordered queryset of proposals:
    ids and count come from the cache, the proposals of the page are read fresh by ``fetch``."""

    def __init__(self, queryset, key: str, fetch, window: int):
        self.queryset, self.key, self.fetch, self.window = queryset, key, fetch, window

    def _ids(self, number: int) -> list[int]:
        start = number * self.window
        return rebuilt_once(
            f"{self.key}:ids:{number}",
            lambda: list(self.queryset.values_list("pk", flat=True)[start : start + self.window]),
            fresh_for=LIST_TTL,
        )

    def _count(self) -> int:
        # A question with less than a window of answers is counted by its first window.
        first = self._ids(0)
        if len(first) < self.window:
            return len(first)
        return self.queryset.order_by().count()

    def count(self) -> int:
        return rebuilt_once(f"{self.key}:count", self._count, fresh_for=LIST_TTL)

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
