from django.core.management.base import BaseCommand

from enfance.core.commands import parse_moment
from enfance.events.tasks import send_event_reminders


class Command(BaseCommand):
    help = (
        "Envoie les rappels de la veille aux personnes inscrites (à lancer chaque jour ; "
        "un rappel n'est jamais envoyé deux fois)."
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
        sent = send_event_reminders.call(now=now)
        plural = "s" if sent > 1 else ""
        self.stdout.write(f"{sent} rappel{plural} envoyé{plural}.")
