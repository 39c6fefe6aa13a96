"""The public API checked against its own schema by schemathesis (every check: no server error,
every status documented, responses and content types as the schema says, what the schema accepts
is accepted and what it refuses is refused), on the fixed examples schemathesis derives from the
schema and on generated ones. Run by ``make test``, so CI runs it on SQLite and on PostgreSQL."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from enfance.core.api_errors import NOT_FOUND
from enfance.practices import library
from enfance.practices.enums import EvidenceStage, PracticeLevel
from tests.assemblies.factories import InstanceFactory
from tests.factories import DepartementFactory
from tests.practices.factories import PracticeFactory

pytestmark = pytest.mark.django_db


# The schema as the API serves it, read once when the tests are collected.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def fiches(db):
    # As Django's test client does: the WSGI handler would close the test's database connection
    # at the start and the end of each request.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    for title, level in (("Visites médiatisées", PracticeLevel.ONPE), ("Aide aux devoirs", 1)):
        practice = PracticeFactory(
            title=title, level=level, evidence_stage=EvidenceStage.ONPE, evidence_level=2
        )
        library.index_practice(practice)
    # Rows in an open dataset, in two départements: its filters have something to find.
    for code, name in (("69", "Rhône"), ("2A", "Corse-du-Sud")):
        InstanceFactory(departement=DepartementFactory(code=code, name=name))
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    # The same cases on every run: CI never fails by chance. A wider search, `make run` aside:
    # uv run schemathesis run http://127.0.0.1:8000/api/v1/openapi.json --checks all
    # --rate-limit 250/m
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(fiches, case):
    # The throttle (its own test below) would answer 429 to most cases and test nothing else.
    cache.clear()
    case.call_and_validate()


def test_every_operation_documents_invalid_input_and_the_throttle(client):
    for path, operations in client.get("/api/v1/openapi.json").json()["paths"].items():
        for method, operation in operations.items():
            assert {"200", "422", "429"} <= set(operation["responses"]), (method, path)


def test_an_unknown_address_is_a_json_404(client):
    for address in ("/api/v1/pratiques/null,null", "/api/rien/", "/api/v1/rien/", "/api/docs"):
        response = client.get(address)
        assert response.status_code == 404
        assert response.json() == {"code": "introuvable", "detail": NOT_FOUND}
    response = client.get("/api/v1/pratiques/999999999")
    assert response.status_code == 404
    assert response.json() == {
        "code": "introuvable",
        "detail": "Cette fiche n'existe pas ou n'est pas publiée.",
    }
    # As for a page, the final slash is added when the address with it exists.
    response = client.get("/api/v1/pratiques?q=x")
    assert response.status_code == 301 and response["Location"] == "/api/v1/pratiques/?q=x"


def test_throttled_in_json_with_the_delay(client, monkeypatch):
    monkeypatch.setattr("ninja.throttling.SimpleRateThrottle.allow_request", lambda *a: False)
    monkeypatch.setattr("ninja.throttling.SimpleRateThrottle.wait", lambda self: 42.5)
    for address in ("/api/v1/pratiques/", "/api/v1/donnees/instances-locales/"):
        response = client.get(address)
        assert response.status_code == 429
        assert response["Retry-After"] == "43"
        assert response.json() == {
            "code": "trop_de_requetes",
            "detail": "Trop de requêtes : réessayez dans 43 secondes.",
        }
