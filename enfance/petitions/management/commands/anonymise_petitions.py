"""The petition's data-retention schedule (enfance/petitions/README.md), to run daily:
unconfirmed signatures are deleted after PETITION_UNCONFIRMED_RETENTION_DAYS, and a submitted
petition's signatories are anonymised PETITION_ANONYMISE_AFTER_DAYS after its submission."""

from django.core.management.base import BaseCommand

from enfance.petitions import services


class Command(BaseCommand):
    help = "Efface les données personnelles des signataires selon le calendrier documenté."

    def handle(self, *args, **options):
        deleted = services.delete_stale_unconfirmed()
        self.stdout.write(f"{deleted} signature(s) jamais confirmée(s) effacée(s).")
        for petition in services.anonymise_due():
            self.stdout.write(f"Pétition « {petition} » anonymisée ; les comptes sont gardés.")
