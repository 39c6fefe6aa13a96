"""What an operator relies on: health of each dependency, a 503 rather than an error while one
restarts, a request identifier in every log line, anonymous reads from a replica, pooled
PostgreSQL connections."""

import json
import logging

import pytest
from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import path
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError

from enfance.accounts.models import User
from enfance.core import db_routers, health, logs
from tests.core.test_settings import run_with
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@login_not_required
def raise_database_outage(request):
    raise OperationalError("connection refused")


@login_not_required
def raise_cache_outage(request):
    raise RedisConnectionError("Connection refused")


@login_not_required
def raise_shared_cache_outage(request):
    try:
        raise RedisConnectionError("Connection refused")
    except RedisConnectionError as error:
        raise ConnectionInterrupted(connection=None) from error


@login_not_required
def raise_bug(request):
    raise ZeroDivisionError


urlpatterns = [
    path("base-coupee/", raise_database_outage),
    path("cache-coupe/", raise_cache_outage),
    path("cache-partage-coupe/", raise_shared_cache_outage),
    path("bogue/", raise_bug),
]
handler500 = "enfance.core.views.server_error"


def test_health_reports_each_dependency(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "queue": "ok"}


@pytest.mark.parametrize("failing", ["database", "cache", "queue"])
def test_health_answers_503_and_names_the_failing_dependency(client, monkeypatch, failing):
    def broken():
        raise OperationalError("indisponible")

    monkeypatch.setitem(health.CHECKS, failing, broken)
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "indisponible"
    assert response.json()[failing] == "erreur"
    assert {name for name, state in response.json().items() if state == "ok"} == (
        set(health.CHECKS) - {failing}
    )


def test_the_redis_queue_is_checked_where_its_workers_read_it(settings):
    settings.TASKS_BACKEND = "rq"
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:6399/0"}}
    with pytest.raises(RedisConnectionError):
        health.CHECKS["queue"]()
    assert health.check_all()["queue"] == "erreur"


def test_the_database_check_of_the_queue_reads_the_queue_table(settings, monkeypatch):
    settings.TASKS_BACKEND = "database"
    with CaptureQueriesContext(connections["default"]) as queries:
        health.CHECKS["queue"]()
    assert "django_tasks_database_dbtaskresult" in queries[0]["sql"]


@pytest.mark.urls("tests.core.test_operations")
@pytest.mark.parametrize("address", ["/base-coupee/", "/cache-coupe/", "/cache-partage-coupe/"])
def test_an_outage_is_a_french_503_that_asks_to_retry(client, address):
    client.raise_request_exception = False
    response = client.get(address)

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Service momentanément indisponible" in page
    assert "Réessayez dans un instant" in page
    assert "Traceback" not in page


@pytest.mark.urls("tests.core.test_operations")
def test_a_bug_is_still_a_500(client):
    client.raise_request_exception = False
    response = client.get("/bogue/")
    assert response.status_code == 500
    assert "Erreur inattendue" in response.content.decode()
    assert "Retry-After" not in response


def test_every_response_carries_a_request_id_that_the_proxy_may_give(client):
    generated = client.get("/healthz")["X-Request-ID"]
    given = client.get("/healthz", headers={"X-Request-ID": "nginx-0123456789abcdef"})
    forged = client.get("/healthz", headers={"X-Request-ID": 'x" level=CRITICAL'})

    assert len(generated) == 32
    assert given["X-Request-ID"] == "nginx-0123456789abcdef"
    assert forged["X-Request-ID"] not in ('x" level=CRITICAL', generated)


def test_a_log_line_in_json_carries_the_request_id(monkeypatch):
    config = logs.logging_config(json=True, level="INFO")
    formatter = logging.config.DictConfigurator(config).configure_formatter(
        config["formatters"]["structured"]
    )
    record = logging.LogRecord("enfance.test", logging.WARNING, __file__, 1, "Lent", None, None)
    token = logs.request_id.set("nginx-0123456789abcdef")
    try:
        logs.RequestIdFilter().filter(record)
    finally:
        logs.request_id.reset(token)

    line = json.loads(formatter.format(record))
    assert line["request_id"] == "nginx-0123456789abcdef"
    assert (line["level"], line["logger"], line["message"]) == ("WARNING", "enfance.test", "Lent")


def test_production_writes_json_logs_by_default():
    result = run_with(
        {"REDIS_URL": "redis://127.0.0.1:6399/0"},
        "from django.conf import settings; "
        "print(settings.LOGGING['formatters']['structured']['()'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "pythonjsonlogger.json.JsonFormatter"


def test_postgresql_connections_come_from_a_checked_pool():
    result = run_with(
        {
            "REDIS_URL": "redis://127.0.0.1:6399/0",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
            "DATABASE_REPLICA_URL": "postgres://postgres@127.0.0.1:5433/postgres",
            "DATABASE_POOL_MAX_SIZE": "6",
        },
        "from django.conf import settings; d = settings.DATABASES; "
        "print(d['default']['OPTIONS']['pool']['max_size'], d['replica']['OPTIONS']['pool']"
        "['max_size'], d['default']['CONN_MAX_AGE'], settings.READ_REPLICA, "
        "d['default']['CONN_HEALTH_CHECKS'])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[:4] == ["6", "6", "0", "replica"]
    # With a pool, Django has psycopg check a connection before lending it.
    assert result.stdout.split()[4] == "True"


@pytest.fixture
def replica(settings):
    settings.READ_REPLICA = "replica"
    yield connections["replica"]
    # The test database is dropped at the end of the run: no connection may stay open on it.
    connections["replica"].close()


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_an_anonymous_visitor_reads_the_replica_and_a_member_the_primary(client, replica):
    member = UserFactory()

    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        assert client.get("/propositions/").status_code == 200
    assert len(on_replica) > 0
    assert not [q for q in on_primary if "proposals_" in q["sql"]]

    client.force_login(member)
    with (
        CaptureQueriesContext(replica) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        assert client.get("/propositions/").status_code == 200
    assert len(on_replica) == 0
    assert [q for q in on_primary if "proposals_" in q["sql"]]


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_what_is_read_from_the_replica_is_written_to_the_primary(replica):
    UserFactory(first_name="Camille")
    token = db_routers._reading_replica.set(True)
    try:
        with CaptureQueriesContext(replica) as on_replica:
            person = User.objects.get(first_name="Camille")
        assert person._state.db == "replica" and len(on_replica) == 1
        with (
            CaptureQueriesContext(replica) as on_replica,
            CaptureQueriesContext(connections["default"]) as on_primary,
        ):
            person.first_name = "Camille-Anne"
            person.save(update_fields=["first_name"])
            # Having written, the request reads the primary, in a transaction or not.
            with transaction.atomic():
                assert User.objects.get(pk=person.pk).first_name == "Camille-Anne"
            assert User.objects.get(pk=person.pk).first_name == "Camille-Anne"
        assert len(on_replica) == 0
        assert [q for q in on_primary if q["sql"].startswith("UPDATE")]
    finally:
        db_routers._reading_replica.reset(token)
