from django.core.management.base import BaseCommand

from enfance.proposals.flagship import load_flagship_proposals


class Command(BaseCommand):
    help = "Charge les sept propositions phares du projet (sans effet si elles existent déjà)."

    def handle(self, *args, **options):
        loaded = load_flagship_proposals()
        self.stdout.write(f"{len(loaded)} propositions phares en place.")
