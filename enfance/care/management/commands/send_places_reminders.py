from django.core.management.base import BaseCommand

from enfance.care.tasks import close_expired_place_requests, send_freshness_reminders
from enfance.core.commands import parse_moment


class Command(BaseCommand):
    help = (
        "Rappelle aux gestionnaires de structure de confirmer leurs places libres avant qu'elles "
        "ne deviennent « inconnues » (3 heures avant, par défaut), et clôt les demandes de place "
        "restées sans acceptation à leur échéance, en prévenant qui les a envoyées. À lancer "
        "chaque heure ; rien n'est jamais envoyé deux fois."
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
        reminded = send_freshness_reminders.call(now=now)
        closed = close_expired_place_requests.call(now=now)
        s, c = ("s" if reminded > 1 else ""), ("s" if closed > 1 else "")
        self.stdout.write(
            f"{reminded} structure{s} rappelée{s}, {closed} demande{c} de place close{c}."
        )
