from django.core.management.base import BaseCommand

from enfance.core.commands import parse_day
from enfance.proposals.digest import send_digests


class Command(BaseCommand):
    help = (
        "Envoie le résumé quotidien des propositions suivies (les nouvelles de la veille). "
        "À lancer une fois par jour ; relancé le même jour, il n'envoie rien de plus."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Jour d'envoi (AAAA-MM-JJ), par défaut aujourd'hui.")

    def handle(self, *args, **options):
        sent = send_digests(parse_day(options["date"]))
        self.stdout.write(f"{sent} résumé(s) mis en file d'envoi.")
