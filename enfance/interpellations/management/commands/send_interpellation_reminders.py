from django.core.management.base import BaseCommand

from enfance.core.commands import parse_moment
from enfance.interpellations.tasks import send_interpellation_reminders


class Command(BaseCommand):
    help = (
        "Rappelle aux institutions l'échéance de leur réponse (14 et 3 jours avant, par "
        "défaut) et constate les délais dépassés. À lancer chaque jour ; un rappel n'est jamais "
        "envoyé deux fois."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--maintenant",
            default="",
            help="date et heure de référence, au format ISO 8601 (défaut : maintenant)",
        )

    def handle(self, *args, **options):
        moment = parse_moment(options["maintenant"])
        now = moment.isoformat() if moment else ""
        reminders, expired = send_interpellation_reminders.call(now=now)
        r, e = ("s" if reminders > 1 else ""), ("s" if expired > 1 else "")
        self.stdout.write(
            f"{reminders} rappel{r} envoyé{r}, {expired} interpellation{e} passée{e} hors délai."
        )
