"""The difference between two versions of a text, for a reader who is not a lawyer.

Articles are paired by their ``key`` (their identity across versions), so a renumbered article is
"the same article" and an inserted one is "added". Inside a modified article the words removed and
the words added are computed with difflib on words (whitespace kept, so the text reads as typed).
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

# A word with the spaces after it (leading spaces alone): half as many tokens as words and
# spaces apart, and no token as common as " ", which makes SequenceMatcher slow.
_TOKENS = re.compile(r"^\s+|\S+\s*")
_TRAILING_SPACE = re.compile(r"\s*$")


@dataclass(frozen=True)
class Segment:
    # "same", "removed" or "added".
    kind: str
    text: str


@dataclass
class ArticleChange:
    # "added", "removed", "modified" or "unchanged".
    status: str
    old: object = None
    new: object = None
    title_changed: bool = False
    segments: list[Segment] = field(default_factory=list)

    @property
    def renumbered(self) -> bool:
        return self.old is not None and self.new is not None and self.old.number != self.new.number


@dataclass
class VersionDiff:
    old: object
    new: object
    title_changed: bool
    preamble: list[Segment] | None
    articles: list[ArticleChange]

    def count(self, status: str) -> int:
        return sum(1 for change in self.articles if change.status == status)

    @property
    def counts(self) -> dict[str, int]:
        return {
            status: self.count(status) for status in ("modified", "added", "removed", "unchanged")
        }

    @property
    def has_changes(self) -> bool:
        return (
            self.title_changed
            or self.preamble is not None
            or any(change.status != "unchanged" for change in self.articles)
        )


def word_diff(old: str, new: str) -> list[Segment]:
    """Segments of same, removed and added text; adjacent pieces of one kind are merged."""
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    segments: list[Segment] = []

    def push(kind: str, tokens: list[str]) -> None:
        text = "".join(tokens)
        if not text:
            return
        if segments and segments[-1].kind == kind:
            segments[-1] = Segment(kind, segments[-1].text + text)
        else:
            segments.append(Segment(kind, text))

    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            push("same", old_tokens[a1:a2])
        elif op == "replace":
            # "48 heures" → "72 heures": the space after the replaced words is not a change.
            removed, added = "".join(old_tokens[a1:a2]), "".join(new_tokens[b1:b2])
            space = _TRAILING_SPACE.search(removed).group()
            if space and added.endswith(space):
                removed, added = removed[: -len(space)], added[: -len(space)]
            else:
                space = ""
            push("removed", [removed])
            push("added", [added])
            push("same", [space])
        else:
            push("removed", old_tokens[a1:a2])
            push("added", new_tokens[b1:b2])
    return segments


def diff_versions(old_version, old_articles, new_version, new_articles) -> VersionDiff:
    """Pair articles by key, in the order of the newer version; a removed article appears where
    it stood in the older one."""
    old_by_key = {article.key: article for article in old_articles}
    new_keys = {article.key for article in new_articles}
    changes: list[ArticleChange] = []
    # Removed articles go right after the article that preceded them in the old version.
    removed_after: dict[int | None, list] = {}
    previous_kept = None
    for article in old_articles:
        if article.key in new_keys:
            previous_kept = article.key
        else:
            removed_after.setdefault(previous_kept, []).append(article)

    def flush_removed(after_key):
        for article in removed_after.pop(after_key, []):
            changes.append(ArticleChange("removed", old=article))

    flush_removed(None)
    for article in new_articles:
        before = old_by_key.get(article.key)
        if before is None:
            changes.append(ArticleChange("added", new=article))
            continue
        title_changed = before.title != article.title
        if before.body == article.body and not title_changed:
            changes.append(ArticleChange("unchanged", old=before, new=article))
        else:
            changes.append(
                ArticleChange(
                    "modified",
                    old=before,
                    new=article,
                    title_changed=title_changed,
                    segments=word_diff(before.body, article.body),
                )
            )
        flush_removed(article.key)
    for leftover in list(removed_after):
        flush_removed(leftover)
    preamble_changed = old_version.preamble != new_version.preamble
    return VersionDiff(
        old=old_version,
        new=new_version,
        title_changed=old_version.title != new_version.title,
        preamble=word_diff(old_version.preamble, new_version.preamble)
        if preamble_changed
        else None,
        articles=changes,
    )
