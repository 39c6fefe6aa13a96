"""Put a backup back in place of the whole database, then verify the event log's chain
(core/backup.py, deploy/sauvegardes.md)."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from enfance.core import backup


class Command(BaseCommand):
    help = (
        "Remplace tout le contenu de la base de données par celui d'une sauvegarde écrite par "
        "backup_database, puis vérifie le journal des événements. Demande --oui."
    )

    def add_arguments(self, parser):
        parser.add_argument("fichier", help="la sauvegarde à restaurer")
        parser.add_argument(
            "--oui",
            action="store_true",
            help="confirme que tout le contenu actuel de la base sera remplacé",
        )

    def handle(self, *args, fichier, oui=False, **options):
        path = Path(fichier)
        backup.check_file(path)
        target = backup.describe()
        if not oui:
            raise CommandError(
                f"Cette commande remplacerait tout le contenu de {target} par celui de la "
                f"sauvegarde {path} (écrite le {backup.written_at(path)}) : tout ce qui a été "
                "enregistré depuis serait perdu. Arrêtez d'abord le serveur et les tâches de "
                "fond, puis relancez avec --oui pour confirmer."
            )
        backup.restore(path)
        self.stdout.write(
            self.style.SUCCESS(f"Restauration terminée : {target} contient la sauvegarde {path}.")
        )
        # A log that no longer holds together means a backup altered after the fact: to be
        # known before the service reopens.
        call_command("verify_event_log", stdout=self.stdout, stderr=self.stderr)
