import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction

from enfance.core.eventlog import record_event, verify_chain
from enfance.core.models import GENESIS_HASH, LogEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _drop_guards():
    """What someone with direct database access could do before tampering."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_logentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER core_logentry_no_update")


def _three_events():
    actor = UserFactory()
    return [
        record_event(by=actor, action="test.step", summary=f"Étape {n}", data={"n": n})
        for n in range(3)
    ]


def test_entries_are_chained_from_genesis():
    first, second, third = _three_events()
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    report = verify_chain()
    assert report.intact and report.checked == 3


def test_verify_command_reports_an_intact_log(capsys):
    _three_events()
    call_command("verify_event_log")
    assert "Journal intact : 3 entrées vérifiées." in capsys.readouterr().out


def test_a_changed_summary_is_caught_at_that_entry():
    _, second, _ = _three_events()
    _drop_guards()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_logentry SET summary = %s WHERE id = %s", ["Autre chose", second.pk]
        )
    report = verify_chain()
    assert report.first_break.event_id == second.pk
    assert "contenu" in report.first_break.reason
    with pytest.raises(CommandError, match=f"n° {second.pk}"):
        call_command("verify_event_log")


def test_a_deleted_entry_breaks_the_link_of_the_next_one():
    _, second, third = _three_events()
    _drop_guards()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_logentry WHERE id = %s", [second.pk])
    assert verify_chain().first_break.event_id == third.pk


def test_a_recomputed_hash_still_breaks_the_next_link():
    first, _, _ = _three_events()
    _drop_guards()
    forged = LogEntry.objects.get(pk=first.pk)
    forged.summary = "Réécrit"
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE core_logentry SET summary = %s, hash = %s WHERE id = %s",
            [forged.summary, forged.compute_hash(), first.pk],
        )
    report = verify_chain()
    assert report.first_break.event_id == first.pk + 1


def test_the_database_refuses_updates():
    (event, *_) = _three_events()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_logentry SET summary = 'x' WHERE id = %s", [event.pk])
    if connection.vendor == "postgresql":  # SQLite: see migration core 0002
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_logentry WHERE id = %s", [event.pk])


def test_the_model_refuses_to_save_twice_or_delete():
    (event, *_) = _three_events()
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


def test_erasing_the_actor_keeps_the_chain_intact():
    actor = UserFactory()
    event = record_event(by=actor, action="test.step", summary="Avant suppression")
    actor_pk = actor.pk
    actor.delete()
    event = LogEntry.objects.get(pk=event.pk)
    assert event.actor is None and event.actor_ref == f"user:{actor_pk}"
    assert verify_chain().intact


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain():
    writers, per_writer = 8, 10
    barrier = threading.Barrier(writers)
    errors = []

    def write(index):
        try:
            barrier.wait()
            for n in range(per_writer):
                record_event(by=None, action="test.concurrent", summary=f"{index}-{n}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = verify_chain()
    assert report.intact
    assert report.checked == writers * per_writer
