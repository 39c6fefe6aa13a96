"""Backing up and restoring the default database (deploy/sauvegardes.md): pg_dump and pg_restore
on PostgreSQL, SQLite's online backup API otherwise. The commands ``backup_database`` and
``restore_database`` are thin wrappers; the chain of the event log is verified after a restore by
``verify_event_log``, not here."""

import os
import re
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

PREFIX = "enfance"
SUFFIXES = {"postgresql": ".dump", "sqlite": ".sqlite3"}
ENGINE_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
# A file's first bytes say which engine wrote it: a SQLite copy is refused on PostgreSQL (and the
# other way round) before anything is overwritten, whatever the file is called.
MAGIC = {"postgresql": b"PGDMP", "sqlite": b"SQLite format 3\x00"}
# Only the files this module wrote are ever deleted by --garder, never another file of the folder.
_OURS = re.compile(rf"^{PREFIX}-(\d{{4}}-\d{{2}}-\d{{2}}-\d{{6}})(?:-(\d+))?(\.dump|\.sqlite3)$")
# dj-database-url puts these in OPTIONS (?sslmode=require); pg_dump reads them from libpq's
# environment, as it does the password, which would otherwise show in the list of processes.
_LIBPQ_ENVIRONMENT = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}
# pg_restore waits for the locks of connections still open (a server not stopped): fail within a
# minute with a message rather than hang.
_RESTORE_LOCK_TIMEOUT = "-c lock_timeout=60s"


class BackupError(CommandError):
    """A refusal or a failure, said in French with what to do about it."""


def default_directory() -> Path:
    return Path(settings.VAR_DIR) / "sauvegardes"


def engine() -> str:
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    if vendor not in SUFFIXES:
        raise BackupError(
            f"Moteur de base de données non pris en charge : « {vendor} ». Ces commandes "
            "sauvegardent PostgreSQL et SQLite ; pour un autre moteur, utilisez ses propres outils."
        )
    return vendor


def describe() -> str:
    """The database a restore overwrites, as the confirmation names it."""
    config = connections[DEFAULT_DB_ALIAS].settings_dict
    if engine() == "sqlite":
        return f"la base SQLite {config['NAME']}"
    where = config.get("HOST") or "connexion locale"
    if config.get("PORT"):
        where = f"{where}:{config['PORT']}"
    return f"la base PostgreSQL « {config['NAME']} » ({where})"


def backup(
    directory: Path, *, keep: int = 14, now: datetime | None = None
) -> tuple[Path, list[Path]]:
    """Write one dated backup into ``directory``, then delete all but the ``keep`` most recent
    of the same engine. Returns the new file and the deleted ones."""
    if keep < 1:
        raise BackupError(f"--garder doit valoir au moins 1 (reçu : {keep}).")
    vendor = engine()
    directory = Path(directory)
    try:
        # Backups hold personal data: readable by the platform's account only.
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = _new_path(directory, vendor, now or timezone.now())
        # Written under another name and renamed once complete, so that a failed or interrupted
        # backup never passes for one (nor pushes a good one out of the kept ones).
        partial = path.with_name(path.name + ".partiel")
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as error:
        raise BackupError(
            f"Impossible d'écrire dans le dossier des sauvegardes {directory} : "
            f"{error.strerror}. Choisissez-en un autre avec --dossier, ou donnez-y ce droit au "
            "compte qui lance la commande."
        ) from None
    try:
        if vendor == "postgresql":
            _run_pg("pg_dump", "--format=custom", f"--file={partial}")
        else:
            _sqlite_copy(_sqlite_path(), partial)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path, _prune(directory, vendor, keep)


def check_file(path: Path) -> None:
    """Refuse a file that is absent or was not written for the configured engine."""
    vendor = engine()
    if not path.is_file():
        raise BackupError(
            f"Fichier introuvable : {path}. Donnez le chemin d'une sauvegarde écrite par "
            f"« manage.py backup_database » (par défaut dans {default_directory()})."
        )
    with path.open("rb") as file:
        head = file.read(16)
    if head.startswith(MAGIC[vendor]):
        return
    other = next((name for name, magic in MAGIC.items() if head.startswith(magic)), None)
    if other is not None:
        raise BackupError(
            f"{path} est une sauvegarde {ENGINE_NAMES[other]}, mais la base configurée est "
            f"{ENGINE_NAMES[vendor]} : restaurez-la sur une installation {ENGINE_NAMES[other]} "
            "(voir DATABASE_URL)."
        )
    raise BackupError(
        f"{path} n'est pas une sauvegarde {ENGINE_NAMES[vendor]} : choisissez un fichier écrit "
        "par « manage.py backup_database »."
    )


def written_at(path: Path) -> str:
    moment = timezone.localtime(datetime.fromtimestamp(path.stat().st_mtime, tz=UTC))
    return moment.strftime("%d/%m/%Y à %H:%M")


def restore(path: Path) -> None:
    """Replace the whole content of the configured database by that of ``path``."""
    check_file(path)
    vendor = engine()
    connection = connections[DEFAULT_DB_ALIAS]
    if vendor == "sqlite":
        _sqlite_check(path)
    if connection.in_atomic_block:
        raise BackupError("Une restauration ne se fait pas à l'intérieur d'une transaction.")
    # Our own connection would hold locks (PostgreSQL) or a stale view of the file (SQLite).
    connection.close()
    if vendor == "postgresql":
        _run_pg(
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            str(path),
            restore=True,
        )
    else:
        _sqlite_copy(path, _sqlite_path())
    connection.close()


def _new_path(directory: Path, vendor: str, now: datetime) -> Path:
    stamp = timezone.localtime(now).strftime("%Y-%m-%d-%H%M%S")
    suffix = SUFFIXES[vendor]
    path, number = directory / f"{PREFIX}-{stamp}{suffix}", 2
    while path.exists() or path.with_name(path.name + ".partiel").exists():
        path, number = directory / f"{PREFIX}-{stamp}-{number}{suffix}", number + 1
    return path


def _prune(directory: Path, vendor: str, keep: int) -> list[Path]:
    ours = []
    for path in directory.iterdir():
        match = _OURS.match(path.name)
        if match and match[3] == SUFFIXES[vendor] and path.is_file():
            ours.append(((match[1], int(match[2] or 1)), path))
    ours.sort(reverse=True)
    removed = [path for _, path in ours[keep:]]
    for path in removed:
        path.unlink()
    return removed


def _sqlite_path() -> Path:
    name = str(connections[DEFAULT_DB_ALIAS].settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("La base SQLite est en mémoire : il n'y a rien à sauvegarder.")
    return Path(name)


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy page by page, while the server goes on writing
    (WAL: readers and one writer do not block each other)."""
    if not source.is_file():
        raise BackupError(f"La base SQLite {source} est introuvable : vérifiez DATABASE_URL.")
    try:
        with (
            closing(sqlite3.connect(source, timeout=20)) as src,
            closing(sqlite3.connect(target, timeout=20)) as dst,
        ):
            src.backup(dst)
    except sqlite3.Error as error:
        raise BackupError(
            f"La copie de {source} vers {target} a échoué : {error}. Si la base est occupée, "
            "arrêtez le serveur et les tâches de fond, puis relancez."
        ) from None


def _sqlite_check(path: Path) -> None:
    try:
        with closing(sqlite3.connect(path)) as db:
            # The file's pages, not the data's CHECK constraints: some call REGEXP, which only a
            # Django connection knows.
            db.execute("PRAGMA ignore_check_constraints = ON")
            verdict = db.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as error:
        verdict = str(error)
    if verdict != "ok":
        raise BackupError(
            f"La sauvegarde {path} est endommagée ({verdict}) : rien n'a été modifié ; "
            "restaurez une sauvegarde plus ancienne."
        )


def _run_pg(tool: str, *args: str, restore: bool = False) -> None:
    program = shutil.which(tool)
    if program is None:
        raise BackupError(
            f"{tool} est introuvable : installez le client PostgreSQL (paquet "
            "postgresql-client, de la même version majeure que le serveur ou plus récente) "
            "ou ajoutez-le au PATH, puis relancez."
        )
    config = connections[DEFAULT_DB_ALIAS].settings_dict
    command = [program, "--no-password", f"--dbname={config['NAME']}"]
    if config.get("HOST"):
        command.append(f"--host={config['HOST']}")
    if config.get("PORT"):
        command.append(f"--port={config['PORT']}")
    if config.get("USER"):
        command.append(f"--username={config['USER']}")
    environment = dict(os.environ)
    if config.get("PASSWORD"):
        environment["PGPASSWORD"] = str(config["PASSWORD"])
    for option, variable in _LIBPQ_ENVIRONMENT.items():
        if config.get("OPTIONS", {}).get(option):
            environment[variable] = str(config["OPTIONS"][option])
    if restore:
        environment["PGOPTIONS"] = f"{environment.get('PGOPTIONS', '')} {_RESTORE_LOCK_TIMEOUT}"
    # The program is the PostgreSQL client found on PATH; the arguments come from the settings
    # and the command line of an operator, and no shell reads them.
    result = subprocess.run(  # noqa: S603
        [*command, *args], env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode == 0:
        return
    detail = result.stderr.strip()[-2000:] or f"code de sortie {result.returncode}"
    if restore:
        raise BackupError(
            f"pg_restore a échoué : {detail}\nRien n'a été modifié (la restauration se fait en "
            "une seule transaction). Arrêtez le serveur et les tâches de fond, qui gardent des "
            "connexions ouvertes, puis relancez."
        )
    raise BackupError(
        f"pg_dump a échoué : {detail}\nVérifiez DATABASE_URL et que le client PostgreSQL est "
        "de la même version majeure que le serveur, ou plus récente."
    )
