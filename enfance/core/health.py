"""What the platform depends on, checked for /healthz, and what an outage of it looks like.

A load balancer or systemd watchdog reads /healthz; a person who meets an outage gets the 503
page (views.server_error) rather than an error, since what failed is a dependency that comes
back by itself: the database, the shared cache or the queue."""

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

# Errors of a dependency that is unreachable or restarting (psycopg's pool timing out is an
# OperationalError too; django-redis wraps Redis's own errors): the request may succeed when
# retried in a moment.
OUTAGE_ERRORS = (DatabaseError, ConnectionInterrupted, RedisConnectionError, RedisTimeoutError)


def is_outage(error: BaseException | None) -> bool:
    return isinstance(error, OUTAGE_ERRORS)


def _database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key, value = "healthz", uuid.uuid4().hex
    cache.set(key, value, 10)
    if cache.get(key) != value:
        raise RuntimeError("cache value not read back")


def _queue() -> None:
    if settings.TASKS_BACKEND == "rq":
        # Imported here: django_rq is an installed app only with the RQ backend.
        import django_rq

        django_rq.get_connection("default").ping()
    elif settings.TASKS_BACKEND == "database":
        # Imported here: the queue's table, reached as the worker reaches it.
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.exists()


CHECKS = {"database": _database, "cache": _cache, "queue": _queue}


def check_all() -> dict[str, str]:
    """Each dependency: « ok » or « erreur » (the cause goes to the log, not to the visitor)."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.warning("Health check failed: %s", name, exc_info=True)
            results[name] = "erreur"
        else:
            results[name] = "ok"
    return results
