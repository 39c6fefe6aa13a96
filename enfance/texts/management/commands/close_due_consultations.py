from django.core.management.base import BaseCommand

from enfance.core.commands import parse_day
from enfance.texts.services import end_due_consultations


class Command(BaseCommand):
    help = (
        "Clôt les consultations (charte, propositions de loi) dont la date de clôture est "
        "passée ; chaque clôture est inscrite au journal public. À lancer chaque jour, peu après "
        "minuit ; rien n'est jamais clos deux fois."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            default="",
            help="jour de référence, au format AAAA-MM-JJ (défaut : aujourd'hui)",
        )

    def handle(self, *args, **options):
        ended = end_due_consultations(today=parse_day(options["date"]))
        s = "s" if ended > 1 else ""
        self.stdout.write(f"{ended} consultation{s} close{s} à sa date.")
