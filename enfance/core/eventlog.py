"""Writing to and verifying the hash-chained event log. Services call ``record_event``."""

import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Model

from .models import GENESIS_HASH, LogEntry

# Any constant works: it names the PostgreSQL advisory lock that serialises appends.
_EVENT_LOG_LOCK_KEY = 0x454E46414E4345


def actor_ref(user) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    return f"user:{user.pk}"


def record_event(
    *,
    by,
    action: str,
    summary: str,
    target: Model | None = None,
    data: dict | None = None,
    public: bool = False,
) -> LogEntry:
    """Append one entry at the end of the chain.

    Appends are serialised (an advisory lock on PostgreSQL, SQLite's immediate transactions),
    so the entry read as "last" is still last when this one is inserted. Runs inside the caller's
    transaction: a rolled-back action leaves no entry.
    """
    payload = json.loads(json.dumps(data or {}, cls=DjangoJSONEncoder))
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_EVENT_LOG_LOCK_KEY])
        last_hash = LogEntry.objects.order_by("-id").values_list("hash", flat=True).first()
        event = LogEntry(
            actor=by if actor_ref(by) else None,
            actor_ref=actor_ref(by),
            action=action,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
            summary=summary[:300],
            data=payload,
            public=public,
            prev_hash=last_hash or GENESIS_HASH,
        )
        event.hash = event.compute_hash()
        event.save()
    return event


@dataclass(frozen=True)
class ChainBreak:
    event_id: int
    reason: str


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_break: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def verify_chain(chunk_size: int = 5000) -> ChainReport:
    """Walk the whole log in order and report the first entry that does not hold."""
    expected_prev = GENESIS_HASH
    checked = 0
    for event in LogEntry.objects.order_by("id").iterator(chunk_size=chunk_size):
        checked += 1
        if event.prev_hash != expected_prev:
            return ChainReport(
                checked,
                ChainBreak(event.pk, "l'empreinte précédente ne correspond pas à l'entrée d'avant"),
            )
        if event.compute_hash() != event.hash:
            return ChainReport(
                checked, ChainBreak(event.pk, "le contenu ne correspond plus à son empreinte")
            )
        expected_prev = event.hash
    return ChainReport(checked, None)
