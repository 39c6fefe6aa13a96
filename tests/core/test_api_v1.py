"""The public API under /api/v1/: the addresses before the version redirected with their method,
open data page by page with its filters, refusals in French with a code, ETag and 304, and the
cache headers."""

import json
from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enfance.assemblies.models import Instance
from enfance.core import opendata
from tests.assemblies.factories import InstanceFactory
from tests.factories import DepartementFactory

pytestmark = pytest.mark.django_db

DATASETS = "/api/v1/donnees/"
INSTANCES = "/api/v1/donnees/instances-locales/"
# A dataset with neither a département nor a date.
MEASURES = "/api/v1/donnees/strategie-2020-2022-mesures/"


@pytest.fixture
def instances(db):
    rhone = DepartementFactory(code="69", name="Rhône")
    nord = DepartementFactory(code="59", name="Nord")
    made = [
        InstanceFactory(name="Instance de Lyon", departement=rhone),
        InstanceFactory(name="Instance de Villeurbanne", departement=rhone),
        InstanceFactory(name="Instance de Lille", departement=nord),
    ]
    for instance, day in zip(made, (3, 10, 20), strict=True):
        created = timezone.make_aware(datetime(2026, 3, day, 12))
        Instance.objects.filter(pk=instance.pk).update(created_at=created)
    return made


def refused(response, status=422) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/api/pratiques/?q=parents&niveau=1", "/api/v1/pratiques/?q=parents&niveau=1"),
        ("/api/pratiques/12", "/api/v1/pratiques/12"),
        ("/api/openapi.json", "/api/v1/openapi.json"),
        ("/api/accueil/places", "/api/v1/accueil/places"),
    ],
)
def test_the_addresses_before_the_version_redirect_with_their_method(client, old, new):
    for method in (client.get, client.post):
        response = method(old)
        assert response.status_code == 308
        assert response["Location"] == new


def test_a_structure_software_posting_to_the_old_address_reaches_the_new_one(client):
    response = client.post(
        "/api/accueil/places",
        json.dumps({"categories": [{"id": 1, "places_libres": 1}]}),
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer pe_inconnu",
        follow=True,
    )
    assert response.redirect_chain == [("/api/v1/accueil/places", 308)]
    assert refused(response, 401)["code"] == "non_authentifie"


def test_the_api_root_leads_to_its_documentation(client):
    assert reverse("api:openapi-json") == "/api/v1/openapi.json"
    response = client.get("/api/v1/")
    assert response.status_code == 302 and response["Location"] == reverse("api:docs")


def test_the_datasets_are_listed_with_their_fields_downloads_and_rows(client):
    data = client.get(DATASETS).json()
    assert data["count"] == len(opendata.datasets())
    by_slug = {dataset["slug"]: dataset for dataset in data["results"]}
    instances = by_slug["instances-locales"]
    assert instances["licence"] == opendata.LICENCE
    assert {"name": "departement", "type": "string"}.items() <= instances["fields"][2].items()
    assert instances["filters"] == ["departement", "depuis", "jusqu_au"]
    assert instances["csv_url"] == "http://testserver/donnees-ouvertes/instances-locales.csv"
    assert instances["rows_url"] == f"http://testserver{INSTANCES}"
    assert by_slug["strategie-2020-2022-mesures"]["filters"] == []


def test_rows_are_paginated_and_filtered_by_departement_and_date(client, instances):
    data = client.get(INSTANCES, {"limit": 2}).json()
    assert (data["count"], data["limit"], data["offset"], len(data["results"])) == (3, 2, 0, 2)
    assert set(data["results"][0]) == set(opendata.get("instances-locales").names)
    data = client.get(INSTANCES, {"departement": "69"}).json()
    assert sorted(row["nom"] for row in data["results"]) == [
        "Instance de Lyon",
        "Instance de Villeurbanne",
    ]
    # Both bounds are kept.
    data = client.get(INSTANCES, {"depuis": "2026-03-10", "jusqu_au": "2026-03-20"}).json()
    assert sorted(row["creee_le"] for row in data["results"]) == ["2026-03-10", "2026-03-20"]
    data = client.get(INSTANCES, {"departement": "59", "depuis": "2026-03-21"}).json()
    assert data["count"] == 0
    data = client.get(INSTANCES, {"offset": 2}).json()
    assert (data["count"], len(data["results"])) == (3, 1)


def test_the_rows_endpoint_asks_a_fixed_number_of_queries(
    client, instances, django_assert_max_num_queries
):
    for n in range(20):
        InstanceFactory(name=f"Instance {n}", departement=instances[0].departement)
    with django_assert_max_num_queries(2):
        response = client.get(INSTANCES, {"departement": "69", "limit": 100})
    assert response.json()["count"] == 22


@pytest.mark.parametrize(
    ("path", "params", "loc", "kind", "message"),
    [
        (
            INSTANCES,
            {"limit": 10**9},
            ["query", "limit"],
            "less_than_equal",
            "La valeur doit être inférieure ou égale à 100.",
        ),
        (
            "/api/v1/pratiques/",
            {"limit": 10**9},
            ["query", "limit"],
            "less_than_equal",
            "La valeur doit être inférieure ou égale à 100.",
        ),
        (
            INSTANCES,
            {"offset": -1},
            ["query", "offset"],
            "greater_than_equal",
            "La valeur doit être supérieure ou égale à 0.",
        ),
        (
            INSTANCES,
            {"limit": "dix"},
            ["query", "limit"],
            "int_parsing",
            "Un nombre entier est attendu.",
        ),
        (
            INSTANCES,
            {"depuis": "2026-13-45"},
            ["query", "depuis"],
            None,
            "Une date au format AAAA-MM-JJ est attendue (par exemple 2025-01-31).",
        ),
        (
            INSTANCES,
            {"departement": "Rhône"},
            ["query", "departement"],
            "string_pattern_mismatch",
            None,
        ),
        (
            INSTANCES,
            {"region": "84"},
            ["query", "region"],
            "parametre_inconnu",
            "Paramètre inconnu : « region »",
        ),
        (
            DATASETS,
            {"page": "2"},
            ["query", "page"],
            "parametre_inconnu",
            "Paramètre inconnu : « page »",
        ),
        (
            "/api/v1/pratiques/",
            {"thematiques": "1"},
            ["query", "thematiques"],
            "parametre_inconnu",
            "Paramètre inconnu : « thematiques »",
        ),
        (
            "/api/v1/pratiques/facettes",
            {"limit": "5"},
            ["query", "limit"],
            "parametre_inconnu",
            "Paramètre inconnu : « limit »",
        ),
        (
            MEASURES,
            {"departement": "69"},
            ["query", "departement"],
            "filtre_indisponible",
            "Ce jeu de données n'a pas de département : le filtre « departement » ne s'y "
            "applique pas.",
        ),
        (
            MEASURES,
            {"depuis": "2026-01-01"},
            ["query", "depuis"],
            "filtre_indisponible",
            "Ce jeu de données n'a pas de date : le filtre « depuis » ne s'y applique pas.",
        ),
    ],
)
def test_bad_input_is_refused_in_french_with_a_code(client, path, params, loc, kind, message):
    body = refused(client.get(path, params))
    assert body["code"] == "parametre_invalide"
    [error] = body["detail"]
    assert error["loc"] == loc
    if kind:
        assert error["type"] == kind
    if message:
        assert error["msg"] == message


def test_an_unknown_dataset_is_a_json_404_with_its_code(client):
    body = refused(client.get("/api/v1/donnees/jeu-inconnu/"), 404)
    assert body == {"code": "introuvable", "detail": "Cette adresse ne désigne rien dans l'API."}


def test_an_answer_carries_an_etag_and_a_304_when_nothing_changed(
    client, instances, django_capture_on_commit_callbacks
):
    first = client.get(INSTANCES, {"departement": "69"})
    assert first["Cache-Control"] == "public, max-age=60"
    etag = first["ETag"]
    again = client.get(INSTANCES, {"departement": "69"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    # The instances' version is bumped once the write commits: the kept answer is read again.
    with django_capture_on_commit_callbacks(execute=True):
        InstanceFactory(name="Instance de Bron", departement=instances[0].departement)
    changed = client.get(INSTANCES, {"departement": "69"}, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_every_get_operation_documents_its_304(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert INSTANCES in paths and DATASETS in paths
    for path, operations in paths.items():
        if "get" in operations and not path.startswith("/api/v1/accueil/"):
            assert "304" in operations["get"]["responses"], path
