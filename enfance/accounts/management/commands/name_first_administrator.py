from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from enfance.accounts.models import User
from enfance.accounts.services import bootstrap_national_administrator


class Command(BaseCommand):
    help = (
        "Nomme le premier administrateur national (compte existant, adresse vérifiée). "
        "Refusé dès qu'un administrateur national existe."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"Aucun compte n'utilise l'adresse {email} : créez-le d'abord.")
        if not user.emailaddress_set.filter(email__iexact=email, verified=True).exists():
            raise CommandError("Cette adresse n'est pas encore vérifiée.")
        try:
            bootstrap_national_administrator(user)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{email} est administrateur national. À sa prochaine connexion, la double "
                "authentification lui sera demandée."
            )
        )
