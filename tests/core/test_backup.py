"""Backups (core/backup.py, deploy/sauvegardes.md): a backup of the test run's own database,
the database destroyed, the backup restored; every table holds its rows again and the event log's
chain holds. The suite runs on SQLite and, with DATABASE_URL, on PostgreSQL: each run exercises
its engine (a test that needs the other one is skipped)."""

import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from enfance.core import backup
from enfance.core.eventlog import verify_chain
from enfance.events import services
from tests.events.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump : DATABASE_URL=postgres://…"
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="copie SQLite")


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608 - a quoted table name
            counts[table] = cursor.fetchone()[0]
    return counts


def _registrations_with_a_waiting_list():
    """Five entries in the log, written by the services: three registrations for one seat, the
    first one cancelled, the next person promoted."""
    event = EventFactory(capacity=1)
    first, *others = UserFactory.create_batch(3)
    for person in (first, *others):
        services.register(event, by=person)
    services.cancel_registration(event, by=first)


def _destroy():
    """Every row deleted, and the event log's table dropped with them."""
    call_command("flush", interactive=False, verbosity=0)
    cascade = " CASCADE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE core_logentry{cascade}")


def _run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_destroyed_database_comes_back_from_its_backup(tmp_path):
    # pg_dump and the SQLite copy read from their own connection: they see committed data only,
    # hence a transactional test.
    _registrations_with_a_waiting_list()
    before = _row_counts()
    chain = verify_chain()
    assert chain.intact and chain.checked == 5
    assert before["events_registration"] == 3

    written = _run("backup_database", dossier=str(tmp_path))
    (path,) = tmp_path.iterdir()
    assert f"Sauvegarde écrite : {path}" in written
    assert path.suffix == backup.SUFFIXES[connection.vendor]
    assert path.stat().st_mode & 0o777 == 0o600

    _destroy()
    assert "core_logentry" not in _row_counts()
    assert _row_counts()["events_registration"] == 0

    restored = _run("restore_database", str(path), oui=True)
    assert "Restauration terminée" in restored
    assert "Journal intact : 5 entrées vérifiées." in restored
    assert _row_counts() == before
    assert verify_chain() == chain


def test_a_restore_says_what_it_would_overwrite_and_waits_for_oui(tmp_path):
    path, _ = backup.backup(tmp_path)
    with pytest.raises(CommandError) as refusal:
        call_command("restore_database", str(path))
    message = str(refusal.value)
    assert "remplacerait tout le contenu de la base" in message
    assert str(connection.settings_dict["NAME"]) in message
    assert str(path) in message and "--oui" in message


def test_only_the_most_recent_backups_of_the_engine_are_kept(tmp_path):
    suffix = backup.SUFFIXES[connection.vendor]
    (other_suffix,) = set(backup.SUFFIXES.values()) - {suffix}
    old = [tmp_path / f"enfance-2020-01-0{day}-080000{suffix}" for day in (1, 2, 3)]
    other_engine = tmp_path / f"enfance-2020-01-01-080000{other_suffix}"
    unrelated = tmp_path / "notes.txt"
    for path in (*old, other_engine, unrelated):
        path.write_bytes(b"")

    written = _run("backup_database", dossier=str(tmp_path), garder=2)

    (new,) = set(tmp_path.iterdir()) - {*old, other_engine, unrelated}
    assert set(tmp_path.iterdir()) == {new, old[2], other_engine, unrelated}
    assert written.count("Ancienne sauvegarde supprimée") == 2
    assert f"Sauvegarde écrite : {new}" in written


def test_two_backups_in_the_same_second_keep_both_in_order(tmp_path):
    moment = timezone.now()
    first, _ = backup.backup(tmp_path, now=moment)
    second, _ = backup.backup(tmp_path, now=moment)
    third, removed = backup.backup(tmp_path, now=moment, keep=2)
    assert first != second != third
    assert removed == [first]
    assert set(tmp_path.iterdir()) == {second, third}


def test_keeping_no_backup_is_refused(tmp_path):
    with pytest.raises(CommandError, match="--garder doit valoir au moins 1"):
        call_command("backup_database", dossier=str(tmp_path), garder=0)
    assert not any(tmp_path.iterdir())


def test_a_folder_that_cannot_be_written_is_refused_with_what_to_do(tmp_path):
    (tmp_path / "fichier").write_text("")
    with pytest.raises(CommandError, match=r"Impossible d'écrire .*Choisissez-en un autre"):
        call_command("backup_database", dossier=str(tmp_path / "fichier" / "sauvegardes"))


def test_a_missing_file_is_refused_with_what_to_do(tmp_path):
    with pytest.raises(CommandError, match=r"Fichier introuvable .*backup_database"):
        call_command("restore_database", str(tmp_path / "absente.dump"), oui=True)


def test_a_backup_of_the_other_engine_or_another_file_is_refused(tmp_path):
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"
    foreign = tmp_path / "autre-moteur"
    foreign.write_bytes(backup.MAGIC[other] + b"\x00" * 64)
    with pytest.raises(CommandError, match=f"sauvegarde {backup.ENGINE_NAMES[other]}, mais"):
        call_command("restore_database", str(foreign), oui=True)
    text = tmp_path / "notes.txt"
    text.write_text("Rien à voir.")
    with pytest.raises(CommandError, match="n'est pas une sauvegarde"):
        call_command("restore_database", str(text), oui=True)


@sqlite_only
def test_a_damaged_sqlite_backup_is_refused_before_anything_changes(tmp_path):
    damaged = tmp_path / "enfance-2020-01-01-080000.sqlite3"
    damaged.write_bytes(backup.MAGIC["sqlite"] + b"\xff" * 200)
    with pytest.raises(CommandError, match="endommagée"):
        backup.restore(damaged)


@postgresql_only
def test_without_pg_dump_the_backup_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump est introuvable : installez le client"):
        call_command("backup_database", dossier=str(tmp_path / "sauvegardes"))
    assert not any((tmp_path / "sauvegardes").iterdir())


@postgresql_only
def test_the_password_goes_to_pg_dump_through_its_environment(tmp_path, monkeypatch):
    # The local server trusts its clients: any password lets the real pg_dump run.
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "mot-de-passe-fictif")
    calls = []
    real_run = subprocess.run

    def spy(command, **kwargs):
        calls.append((command, kwargs["env"]))
        return real_run(command, **kwargs)

    monkeypatch.setattr(backup.subprocess, "run", spy)
    backup.backup(tmp_path)
    ((command, environment),) = calls
    assert not any("mot-de-passe-fictif" in argument for argument in command)
    assert environment["PGPASSWORD"] == "mot-de-passe-fictif"
    assert "--format=custom" in command
