"""The full-text interface: the same answers on SQLite (FTS5) and PostgreSQL (tsvector)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enfance.core import fulltext
from enfance.core.models import SearchEntry
from tests.testapp.models import Document, VotingBody

pytestmark = pytest.mark.django_db


def make(title, **weighted):
    document = Document.objects.create(title=title)
    fulltext.index(document, {"A": title, **weighted})
    return document


def found(query, queryset=None, **kwargs):
    queryset = Document.objects.all() if queryset is None else queryset
    return set(fulltext.search(queryset, query, **kwargs).values_list("title", flat=True))


def test_normalize_folds_case_accents_and_stems_french():
    assert fulltext.normalize("Des Enfants") == fulltext.normalize("enfant")
    assert fulltext.normalize("ÉDUCATION") == fulltext.normalize("education")
    assert fulltext.normalize("Œuvre") == fulltext.normalize("oeuvre")
    # Stop words are not searchable, with or without their accents.
    assert fulltext.normalize("le de des à a été ete") == ""


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("enfant", {"Soutien aux enfants placés"}),
        ("ENFANTS", {"Soutien aux enfants placés"}),
        ("education", {"Éducation à la parentalité"}),
        ("Éducation", {"Éducation à la parentalité"}),
        ("parentalite", {"Éducation à la parentalité"}),
        ("placement", {"Soutien aux enfants placés"}),
        ("soutien enfants", {"Soutien aux enfants placés"}),
        ("soutien parentalité", set()),
        ("à la parentalité", {"Éducation à la parentalité"}),
        ("a la parentalite", {"Éducation à la parentalité"}),
        ("parentalité été", {"Éducation à la parentalité"}),
    ],
)
def test_french_search_ignores_case_accents_and_inflection(query, expected):
    make("Soutien aux enfants placés")
    make("Éducation à la parentalité")
    make("Théâtre forum")
    assert found(query) == expected


def test_any_matches_one_word_and_all_every_word():
    make("Soutien aux enfants placés")
    make("Éducation à la parentalité")
    assert found("soutien parentalité", match="any") == {
        "Soutien aux enfants placés",
        "Éducation à la parentalité",
    }
    assert found("soutien parentalité", match="all") == set()


def test_rank_prefers_the_title_weight():
    make("Accueil de jour", D="famille")
    make("Famille d'accueil", D="jour")
    results = list(fulltext.search(Document.objects.all(), "famille").order_by("-search_rank"))
    assert [document.title for document in results] == ["Famille d'accueil", "Accueil de jour"]
    assert all(isinstance(document.search_rank, float) for document in results)
    assert results[0].search_rank > results[1].search_rank > 0


def test_search_keeps_only_rows_of_the_queryset():
    make("Soutien scolaire").__class__.objects.filter(title="Soutien scolaire").update(
        state="published"
    )
    make("Soutien éducatif")
    assert found("soutien", Document.objects.filter(state="published")) == {"Soutien scolaire"}


def test_reindex_replaces_and_unindex_removes():
    document = make("Ancien titre")
    fulltext.index(document, {"A": "Nouveau titre"})
    assert found("ancien") == set()
    assert found("nouveau") == {"Ancien titre"}
    assert SearchEntry.objects.filter(object_id=document.pk).count() == 1
    fulltext.unindex(document)
    assert found("nouveau") == set()
    assert not SearchEntry.objects.exists()


def test_bulk_index_takes_a_generator():
    documents = [Document.objects.create(title=f"Fiche {n}") for n in range(2500)]
    count = fulltext.bulk_index(
        Document,
        (
            (document.pk, {"A": "Médiation familiale", "B": f"numéro{n}"})
            for n, document in enumerate(documents)
        ),
    )
    assert count == 2500
    assert fulltext.search(Document.objects.all(), "mediation").count() == 2500
    assert found("numéro1234") == {"Fiche 1234"}
    # Indexing again replaces, never duplicates.
    fulltext.bulk_index(Document, [(documents[0].pk, {"A": "Autre chose"})])
    assert SearchEntry.objects.count() == 2500
    assert fulltext.search(Document.objects.all(), "mediation").count() == 2499


@pytest.mark.parametrize(
    "query",
    ["", "   ", "le des", "!!!", "&", "%", "😀", '"', "'", "enfant\"'&|!():*<->", "a:b -c OR d"],
)
def test_blank_or_odd_queries_never_raise(query):
    make("Soutien aux enfants placés")
    result = fulltext.search(Document.objects.all(), query)
    assert len(list(result)) <= 1


def test_fts_syntax_is_read_as_words():
    make("Soutien aux enfants placés")
    make("Near et or")
    assert found('enfant" OR "near') == set()
    assert found("NEAR(enfant placé)") == set()
    assert found("enfant* placé") == {"Soutien aux enfants placés"}
    assert found("soutien & enfant") == {"Soutien aux enfants placés"}
    assert found("soutien | théâtre") == set()


def test_a_query_without_searchable_word_is_empty():
    make("Le de des")
    assert fulltext.search(Document.objects.all(), "le de des").count() == 0
    assert not fulltext.search(Document.objects.all(), "").exists()


def test_very_long_query_is_answered():
    make("Soutien aux enfants placés")
    assert found("enfant " + "x" * 10_000) == set()
    assert found("enfant " * 2000) == {"Soutien aux enfants placés"}
    assert found("😀" * 10_000) == set()


def test_search_is_one_query_and_composes():
    make("Soutien aux enfants placés")
    with CaptureQueriesContext(connection) as queries:
        results = list(
            fulltext.search(Document.objects.all(), "enfant").order_by("-search_rank")[:10]
        )
    assert len(results) == 1
    assert len(queries) == 1
    # The search can itself be a subquery (aliases are renamed there).
    nested = Document.objects.filter(
        pk__in=fulltext.search(Document.objects.all(), "enfant").values("pk")
    )
    assert nested.count() == 1


def test_kinds_are_kept_apart():

    document = make("Soutien")
    fulltext.bulk_index(VotingBody, [(document.pk, {"A": "Autre chose"})])
    assert found("soutien") == {"Soutien"}
    assert found("autre") == set()


def test_empty_answer_can_still_be_ordered_by_rank():
    make("Soutien")
    assert list(fulltext.search(Document.objects.all(), '"').order_by("-search_rank")) == []


def test_a_deleted_object_leaves_no_entry():
    kept = make("Soutien aux enfants placés")
    deleted = [make("Soutien scolaire"), make("Soutien éducatif")]
    deleted[0].delete()
    Document.objects.filter(pk=deleted[1].pk).delete()
    assert list(SearchEntry.objects.values_list("object_id", flat=True)) == [kept.pk]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM core_searchentry_fts")
            assert cursor.fetchone()[0] == 1
    assert found("soutien") == {"Soutien aux enfants placés"}


def test_the_rank_is_read_with_the_match_not_once_per_row():
    """One subquery (the matching entries with their ranks), joined: not a correlated subquery
    per row, which cost seconds for a word found in most of 100,000 rows."""
    make("Soutien aux enfants placés")
    searched = fulltext.search(Document.objects.all(), "enfant").order_by("-search_rank")
    sql = str(searched.query).upper()
    assert sql.count("SELECT") == 2 and "INNER JOIN (SELECT" in sql


def test_searches_compose_with_filters_counts_and_each_other():
    make("Soutien aux enfants placés", D="théâtre")
    make("Soutien scolaire")
    make("Théâtre forum")
    within = fulltext.search(Document.objects.all(), "soutien")
    both = fulltext.search(within, "théâtre").order_by("-search_rank")
    assert [document.title for document in both] == ["Soutien aux enfants placés"]
    assert within.count() == 2 and within.order_by("-search_rank").exists()
    assert within.filter(title__startswith="Soutien s").count() == 1
    # The search as a subquery of another search: every alias is renamed.
    nested = fulltext.search(
        Document.objects.filter(pk__in=within.values("pk")), "théâtre"
    ).values_list("title", flat=True)
    assert list(nested) == ["Soutien aux enfants placés"]
