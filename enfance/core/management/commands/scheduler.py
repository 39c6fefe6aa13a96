import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from enfance.core import scheduler
from enfance.core.commands import parse_moment
from enfance.core.models import ScheduledRun


class Command(BaseCommand):
    help = (
        "Lance les tâches récurrentes de la plateforme à leur heure (chaque jour, chaque heure, "
        "chaque minute) et tourne jusqu'à son arrêt ; une seule exécution par échéance, même "
        "avec deux planificateurs. --liste montre les tâches et leurs dernières exécutions."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--une-fois",
            action="store_true",
            help="lance ce qui est dû maintenant, puis s'arrête",
        )
        parser.add_argument(
            "--maintenant",
            default="",
            help="l'heure à considérer, ex. 2026-06-01T08:00 (lance une fois ce qui est dû)",
        )
        parser.add_argument(
            "--liste",
            action="store_true",
            help="les tâches, leur rythme et leur dernière exécution",
        )

    def handle(self, *args, **options):
        if options["liste"]:
            self._list()
            return
        now = parse_moment(options["maintenant"])
        if options["une_fois"] or now:
            self._report(scheduler.run_due(now))
            return
        self.stdout.write(
            "Planificateur démarré : les tâches tournent à leur heure (Ctrl+C arrête)."
        )
        while True:
            # A connection broken by a database restart is dropped here, between two minutes,
            # rather than failing every job after it.
            close_old_connections()
            self._report(scheduler.run_due())
            time.sleep(scheduler.seconds_to_next_minute(timezone.now()))

    def _report(self, runs):
        for run in runs:
            if run.succeeded:
                self.stdout.write(f"{run.job} : terminée. {run.output.strip()}".strip())
            else:
                self.stderr.write(f"{run.job} : échec (voir le journal). {run.output.strip()}")

    def _list(self):
        rhythm = {
            "minute": "chaque minute",
            "hour": "chaque heure, minute {:%M}",
            "day": "chaque jour à {:%H:%M}",
        }
        for job in scheduler.JOBS:
            last = ScheduledRun.objects.filter(job=job.command).order_by("-slot").first()
            if last is None:
                state = "jamais lancée"
            else:
                outcome = {None: "en cours ou interrompue", True: "réussie", False: "ÉCHEC"}
                slot = timezone.localtime(last.slot)
                state = f"{outcome[last.succeeded]} (échéance {slot:%d/%m %H:%M})"
            when = rhythm[job.every].format(job.at)
            self.stdout.write(f"{job.command:32} {when:24} {state}")
