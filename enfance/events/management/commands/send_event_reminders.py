from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

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
        now = options["maintenant"]
        if now:
            moment = parse_datetime(now)
            if moment is None:
                raise CommandError(f"Date et heure illisibles : « {now} » (ex. 2026-06-01T08:00).")
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            now = moment.isoformat()
        sent = send_event_reminders.call(now=now)
        plural = "s" if sent > 1 else ""
        self.stdout.write(f"{sent} rappel{plural} envoyé{plural}.")
