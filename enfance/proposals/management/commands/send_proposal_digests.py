from datetime import date

from django.core.management.base import BaseCommand, CommandError

from enfance.proposals.digest import send_digests


class Command(BaseCommand):
    help = (
        "Envoie le résumé quotidien des propositions suivies (les nouvelles de la veille). "
        "À lancer une fois par jour ; relancé le même jour, il n'envoie rien de plus."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Jour d'envoi (AAAA-MM-JJ), par défaut aujourd'hui.")

    def handle(self, *args, **options):
        day = None
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("Date invalide : utilisez le format AAAA-MM-JJ.") from None
        sent = send_digests(day)
        self.stdout.write(f"{sent} résumé(s) mis en file d'envoi.")
