import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enfance.care import services
from enfance.care.enums import DeclarationSource
from enfance.care.models import PlaceDeclaration

from .factories import CategoryFactory, StructureFactory, manager_of, role

pytestmark = pytest.mark.django_db

PLACES = "/api/v1/accueil/places"


@pytest.fixture
def software():
    category = CategoryFactory(capacity=10)
    manager = manager_of(category.structure)
    access, token = services.create_token(category.structure, by=manager, label="Logiciel Hestia")
    return category, manager, access, token


def call(client, token, path=PLACES, payload=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    if payload is None:
        return client.get(path, **headers)
    return client.post(path, json.dumps(payload), content_type="application/json", **headers)


def test_the_software_reads_its_categories_and_declares_free_places(client, software):
    category, manager, access, token = software
    response = call(client, token, "/api/v1/accueil/structure")
    # An answer to a request with a token is kept by no cache, so it has no ETag either.
    assert response["Cache-Control"] == "private, no-store" and not response.has_header("ETag")
    data = response.json()
    assert data["finess"] == category.structure.finess
    assert data["categories"][0]["id"] == category.pk and data["categories"][0]["inconnues"]
    response = call(
        client, token, payload={"categories": [{"id": category.pk, "places_libres": 4}]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["categories"][0]["places_libres"] == 4
    declaration = PlaceDeclaration.objects.get()
    assert (declaration.source, declaration.declared_by) == (DeclarationSource.API, manager)
    access.refresh_from_db()
    assert access.last_used_at is not None
    assert token not in access.digest and len(access.digest) == 64


def test_bad_figures_are_refused_with_their_reason_and_nothing_is_saved(client, software):
    category, _, _, token = software
    other = CategoryFactory(structure=StructureFactory())
    for figures, status, message in [
        ([{"id": category.pk, "places_libres": 11}], 400, "de 0 à 10"),
        (
            [{"id": category.pk, "places_libres": 2}, {"id": other.pk, "places_libres": 1}],
            400,
            "n'appartient pas",
        ),
        ([{"id": category.pk, "places_libres": -1}], 422, ""),
        ([], 422, ""),
    ]:
        response = call(client, token, payload={"categories": figures})
        assert response.status_code == status, (figures, response.content)
        assert message in json.dumps(response.json(), ensure_ascii=False)
    assert not PlaceDeclaration.objects.exists()


def test_a_missing_unknown_or_revoked_token_opens_nothing(client, software):
    category, manager, access, token = software
    payload = {"categories": [{"id": category.pk, "places_libres": 1}]}
    for wrong in ("", "pe_inconnu"):
        response = call(client, wrong, payload=payload)
        assert response.status_code == 401
        assert "Jeton d'accès absent, inconnu ou révoqué" in response.json()["detail"]
        assert response.json()["code"] == "non_authentifie"
        assert response["Cache-Control"] == "private, no-store"
    services.revoke_token(access, by=manager)
    assert call(client, token, payload=payload).status_code == 401
    assert not PlaceDeclaration.objects.exists()


def test_gestionnaires_make_and_revoke_tokens_from_the_structure_page(client, software):
    category, manager, access, _ = software
    client.force_login(manager)
    page = client.get(category.structure.get_absolute_url()).content.decode()
    assert "Logiciel Hestia" in page and "Révoquer" in page
    response = client.post(
        reverse("care:token_create", args=[category.structure.pk]), {"label": "Tableur"}
    )
    text = response.content.decode()
    assert "il ne sera plus jamais affiché" in text and response["Cache-Control"] == "no-store"
    token = text.split('<code id="jeton">')[1].split("</code>")[0]
    assert call(client, token, "/api/v1/accueil/structure").status_code == 200
    # Someone who does not manage the structure makes no token and revokes none.
    client.force_login(role("magistrat", category.structure.departement))
    assert (
        client.post(
            reverse("care:token_create", args=[category.structure.pk]), {"label": "Pirate"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("care:token_revoke", args=[category.structure.pk, access.pk])
        ).status_code
        == 403
    )
    access.refresh_from_db()
    assert access.is_active


def test_a_stale_figure_is_told_unknown_to_the_software_too(client, software):
    category, manager, _, token = software
    services.declare_places(
        category.structure,
        by=manager,
        figures={category.pk: {"free": 3}},
        now=timezone.now() - timedelta(hours=30),
    )
    [data] = call(client, token, "/api/v1/accueil/structure").json()["categories"]
    assert data["places_libres"] == 3 and data["inconnues"]
