"""Reads of anonymous visitors' pages from a replica of PostgreSQL (settings.READ_REPLICA).

Only there: a person who is signed in may just have written, and must read what they wrote; a
visitor reads public pages, which may lag the primary by the replication delay. Writes always go
to the primary, a read inside a transaction stays with its transaction, and a request that has
written reads the primary for the rest of it."""

from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

_reading_replica: ContextVar[bool] = ContextVar("reading_replica", default=False)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        replica = settings.READ_REPLICA
        if replica and _reading_replica.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return replica
        return None

    def db_for_write(self, model, **hints):
        # A request that writes reads the primary from then on: what follows (a signal, a
        # cache refreshed on commit) must see what it wrote, which the replica may not have yet.
        if _reading_replica.get():
            _reading_replica.set(False)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read there is one of the primary's.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """After authentication: a GET or HEAD of a visitor who is not signed in reads the replica."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (
            settings.READ_REPLICA
            and request.method in ("GET", "HEAD")
            and not request.user.is_authenticated
        ):
            return self.get_response(request)
        token = _reading_replica.set(True)
        try:
            return self.get_response(request)
        finally:
            _reading_replica.reset(token)
