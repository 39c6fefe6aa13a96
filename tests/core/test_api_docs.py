"""The API's documentation page: served by the platform from the schema, every operation on it,
no asset from elsewhere (it works without network), and reached from the open-data catalogue."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

DOCS = "/api/v1/docs/"
METHODS = ("get", "post", "put", "patch", "delete")


def test_the_page_lists_every_operation_of_the_schema(client):
    page = client.get(DOCS)
    assert page.status_code == 200
    html = page.content.decode()
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method in METHODS:
            if method in operations:
                operation = operations[method]
                assert f'id="{operation["operationId"]}"' in html, (method, path)
                assert f"<caption>Paramètres de {method.upper()} {path}</caption>" in html or (
                    not operation.get("parameters") and "requestBody" not in operation
                ), (method, path)
                assert f"<caption>Réponses de {method.upper()} {path}</caption>" in html
    for code in ("introuvable", "parametre_invalide", "trop_de_requetes", "non_authentifie"):
        assert f"<code>{code}</code>" in html
    # Its limits, as the schema gives them.
    assert "de 1 à 100 ; par défaut : 20" in html


def test_the_page_uses_no_asset_from_elsewhere(client):
    html = client.get(DOCS).content.decode()
    assets = re.findall(r"<(?:script|link|img|iframe)\b[^>]*>", html)
    assert assets
    for tag in assets:
        assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", tag), tag
    assert "Content-Security-Policy" in client.get(DOCS).headers


def test_the_catalogue_links_to_the_api_documentation(client):
    html = client.get(reverse("core:opendata")).content.decode()
    assert f'href="{reverse("api:docs")}"' in html
