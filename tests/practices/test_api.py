"""The library's public API (/api/v1/pratiques/) and the OpenAPI schema."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from enfance.practices import library, library_views
from enfance.practices.enums import EvidenceStage, PracticeLevel, PracticeState
from tests.practices.factories import PracticeFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/pratiques/"


def published(**kwargs):
    practice = PracticeFactory(**kwargs)
    library.index_practice(practice)
    return practice


@pytest.fixture
def fiches(db):
    return [
        published(title="Éducation à la parentalité", description="Pour les parents."),
        published(
            title="Visites médiatisées",
            level=PracticeLevel.ONPE,
            evidence_stage=EvidenceStage.ONPE,
            evidence_level=2,
            objectives="Garder le lien.",
        ),
    ]


def test_openapi_schema_is_served_without_an_account(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/pratiques/",
        "/api/v1/pratiques/facettes",
        "/api/v1/pratiques/{fiche_id}",
    } <= set(schema["paths"])
    parameters = {p["name"] for p in schema["paths"]["/api/v1/pratiques/"]["get"]["parameters"]}
    assert {"q", "thematique", "niveau", "etape", "preuve", "limit", "offset"} <= parameters
    assert reverse("api:openapi-json") == "/api/v1/openapi.json"


def test_the_documentation_is_the_platform_s_own_page(client):
    # ninja's own page (assets from a CDN) is not served; tests/core/test_api_docs.py reads ours.
    assert client.get("/api/docs").status_code == 404
    assert client.get(reverse("api:docs")).status_code == 200


def test_search_and_filter(client, fiches):
    data = client.get(API, {"q": "parentalite"}).json()
    assert data["count"] == 1
    assert data["results"][0]["title"] == "Éducation à la parentalité"
    assert data["results"][0]["url"] == f"http://testserver{fiches[0].get_absolute_url()}"
    data = client.get(API, {"niveau": 2, "preuve": 2}).json()
    assert [fiche["title"] for fiche in data["results"]] == ["Visites médiatisées"]
    assert data["results"][0]["objectives"] == "Garder le lien."
    assert data["results"][0]["level_label"] == "Fiche dispositif ONPE"


def test_pagination_with_limit_and_offset(client, fiches):
    data = client.get(API, {"limit": 1, "offset": 1}).json()
    assert (data["count"], data["limit"], data["offset"]) == (2, 1, 1)
    assert len(data["results"]) == 1
    assert client.get(API, {"limit": 1000}).status_code == 422


def test_facets(client, fiches):
    data = client.get(f"{API}facettes", {"niveau": 2}).json()
    levels = next(facet for facet in data if facet["param"] == "niveau")
    assert {(value["value"], value["count"], value["selected"]) for value in levels["values"]} == {
        (1, 1, False),
        (2, 1, True),
    }


def test_one_fiche_and_unpublished_ones_not_found(client, fiches):
    response = client.get(f"{API}{fiches[1].pk}")
    assert response.status_code == 200
    assert response.json()["title"] == "Visites médiatisées"
    draft = PracticeFactory(state=PracticeState.DRAFT, published_at=None)
    assert client.get(f"{API}{draft.pk}").status_code == 404
    assert client.get(f"{API}999999").status_code == 404


def test_results_follow_the_schema_fields(client, fiches):
    schema = client.get("/api/v1/openapi.json").json()
    fields = set(schema["components"]["schemas"]["FicheOut"]["properties"])
    data = client.get(API).json()
    for fiche in data["results"]:
        assert set(fiche) == fields
    assert fields == {key for key, _ in library.EXPORT_COLUMNS}


def usable_id(value: str) -> bool:
    """What the library reads as an identifier: ASCII digits, nine at most, spaces around."""
    value = value.strip()
    return value.isascii() and value.isdigit() and len(value) <= 9


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300), page=st.text(max_size=5))
@example(text="", page="-1")
@example(text="", page="1_0")
@example(text="", page="+1")
@example(text="", page=" 7 ")
@example(text="", page="\x1c7")
@example(text="", page="")
def test_odd_queries_get_one_answer(client, fiches, monkeypatch, text, page):
    # A value the library would drop is refused, never answered as if it were not there.
    response = client.get(API, {"q": text, "thematique": page, "tri": text})
    assert response.status_code == (200 if usable_id(page) else 422), response.content
    if response.status_code == 422:
        assert response.json()["detail"][0]["loc"] == ["query", "filters", "thematique", 0]
    # The page drops what it cannot read (its rate limit has its own test in test_library).
    monkeypatch.setattr(library_views, "SEARCH_RATE", "100000/m")
    response = client.get(reverse("practices:library"), {"q": text, "page": page})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"thematique": "99999999999"},
        {"niveau": "3"},
        {"preuve": "-1"},
        {"echelle": "lune"},
        {"etape": "x"},
        {"departement": "' OR 1=1 --"},
    ],
)
def test_values_the_library_cannot_use_are_refused_in_french(client, fiches, params):
    for path in (API, f"{API}facettes"):
        response = client.get(path, params)
        assert response.status_code == 422
        [error] = response.json()["detail"]
        assert error["loc"] == ["query", "filters", next(iter(params)), 0]
    for param, value in (("echelle", "lune"), ("thematique", "-1")):
        [error] = client.get(API, {param: value}).json()["detail"]
        assert error["msg"] == f"Valeur non reconnue : « {value} »"
