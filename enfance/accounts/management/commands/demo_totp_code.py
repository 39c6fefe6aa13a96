import time

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from enfance.accounts.demo import demo_totp_secret
from enfance.accounts.models import User


class Command(BaseCommand):
    help = "Affiche le code de double authentification actuel d'un compte de démonstration."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        if not settings.DEMO_ACCOUNTS_ALLOWED:
            raise CommandError(
                "Les comptes de démonstration sont refusés quand DEBUG est désactivé."
            )
        if not User.objects.filter(email=email, is_demo=True).exists():
            raise CommandError(f"Aucun compte de démonstration n'a l'adresse {email}.")
        counter = int(time.time()) // mfa_settings.TOTP_PERIOD
        self.stdout.write(format_hotp_value(hotp_value(demo_totp_secret(email), counter)))
