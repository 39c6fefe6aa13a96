"""The comparison of two versions, article by article and word by word."""

from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from enfance.texts.diff import diff_versions, word_diff


def art(key, number, body, title=""):
    return SimpleNamespace(key=key, number=number, body=body, title=title)


def version(title="Charte", preamble=""):
    return SimpleNamespace(title=title, preamble=preamble)


def test_a_changed_word_is_removed_then_added():
    segments = word_diff("Les familles sont écoutées.", "Les familles sont entendues.")
    assert [(s.kind, s.text) for s in segments] == [
        ("same", "Les familles sont "),
        ("removed", "écoutées."),
        ("added", "entendues."),
    ]


words = st.lists(st.sampled_from(["enfant", "famille", "droit", "a", "le", "ASE", "\n"]))


@given(words, words)
def test_the_segments_rebuild_both_texts(old_words, new_words):
    old, new = " ".join(old_words), " ".join(new_words)
    segments = word_diff(old, new)
    assert "".join(s.text for s in segments if s.kind != "added") == old
    assert "".join(s.text for s in segments if s.kind != "removed") == new


def test_articles_are_paired_by_key_not_by_number():
    old = [art(1, 1, "Vision."), art(2, 2, "Démocratie."), art(3, 3, "Transparence.")]
    new = [art(4, 1, "Nouvel article."), art(1, 2, "Vision."), art(3, 3, "Transparence totale.")]
    diff = diff_versions(version(), old, version(), new)
    assert [(c.status, (c.old or c.new).key) for c in diff.articles] == [
        ("added", 4),
        ("unchanged", 1),
        ("removed", 2),
        ("modified", 3),
    ]
    assert diff.articles[1].renumbered
    assert diff.counts == {"modified": 1, "added": 1, "removed": 1, "unchanged": 1}
    assert diff.has_changes and diff.preamble is None and not diff.title_changed


def test_a_removed_first_article_comes_first_and_titles_count_as_changes():
    old = [art(1, 1, "A."), art(2, 2, "B.", title="Ancien")]
    new = [art(2, 1, "B.", title="Nouveau")]
    diff = diff_versions(version(preamble="x"), old, version(title="Autre", preamble="y"), new)
    assert [c.status for c in diff.articles] == ["removed", "modified"]
    assert diff.articles[1].title_changed and diff.articles[1].segments[0].kind == "same"
    assert diff.title_changed and diff.preamble is not None


def test_identical_versions_have_no_changes():
    articles = [art(1, 1, "A.")]
    diff = diff_versions(version(), articles, version(), articles)
    assert not diff.has_changes
