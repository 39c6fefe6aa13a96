"""The support requests' retention schedule, to run daily."""

from django.conf import settings
from django.core.management.base import BaseCommand

from enfance.support.services import purge


class Command(BaseCommand):
    help = (
        "Supprime les demandes de soutien dont le dernier message a plus de "
        "SUPPORT_RETENTION_DAYS jours (à lancer chaque jour)."
    )

    def handle(self, *args, **options):
        count = purge()
        self.stdout.write(
            f"{count} demande(s) supprimée(s) (dernier message il y a plus de "
            f"{settings.SUPPORT_RETENTION_DAYS} jours)."
        )
