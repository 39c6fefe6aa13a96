from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from enfance.core.demo import DEMO_PASSWORD, load_all


class Command(BaseCommand):
    help = "Charge les données de démonstration et les comptes de démonstration (local seulement)."

    def handle(self, *args, **options):
        if not settings.DEMO_ACCOUNTS_ALLOWED:
            raise CommandError(
                "Les données de démonstration sont refusées quand DEBUG est désactivé."
            )
        report = load_all()
        for line in report.lines:
            self.stdout.write(self.style.WARNING(line))
        self.stdout.write("")
        self.stdout.write(f"Comptes de démonstration (mot de passe : {DEMO_PASSWORD}) :")
        for account in report.accounts:
            self.stdout.write(f"  {account.label:<58} {account.email}")
            if account.totp_secret:
                self.stdout.write(
                    f"  {'':<58} double authentification, secret TOTP : {account.totp_secret}"
                )
        self.stdout.write(
            "Pour obtenir le code à 6 chiffres d'un compte : "
            "uv run python manage.py demo_totp_code <adresse>"
        )
