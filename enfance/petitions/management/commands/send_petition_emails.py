"""Send the pending confirmation e-mails of the petition (a safety net for the background job,
e.g. every minute from cron; several can run at once: rows are locked and skipped)."""

from django.core.management.base import BaseCommand

from enfance.petitions import emails


class Command(BaseCommand):
    help = "Envoie les courriels de confirmation de signature en attente."

    def handle(self, *args, **options):
        sent = emails.drain_pending_emails()
        self.stdout.write(f"{sent} courriel(s) de confirmation envoyé(s).")
