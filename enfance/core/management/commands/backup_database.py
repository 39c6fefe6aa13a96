"""A dated backup of the database, the most recent ones kept (core/backup.py,
deploy/sauvegardes.md). Meant to run once a day."""

from pathlib import Path

from django.core.management.base import BaseCommand

from enfance.core import backup


class Command(BaseCommand):
    help = (
        "Sauvegarde la base de données dans un fichier daté (pg_dump sur PostgreSQL, copie en "
        "ligne sur SQLite) et supprime les sauvegardes plus anciennes que les --garder dernières."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dossier",
            help=f"dossier des sauvegardes (défaut : {backup.default_directory()})",
        )
        parser.add_argument(
            "--garder",
            type=int,
            default=14,
            help="nombre de sauvegardes gardées dans ce dossier, les plus récentes (défaut : 14)",
        )

    def handle(self, *args, dossier=None, garder=14, **options):
        directory = Path(dossier) if dossier else backup.default_directory()
        path, removed = backup.backup(directory, keep=garder)
        for old in removed:
            self.stdout.write(f"Ancienne sauvegarde supprimée : {old}")
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde écrite : {path}"))
