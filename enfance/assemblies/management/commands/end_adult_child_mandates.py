from django.core.management.base import BaseCommand

from enfance.assemblies.tasks import end_adult_child_mandates_task
from enfance.core.commands import parse_day


class Command(BaseCommand):
    help = (
        "Met fin, chaque jour, au mandat des membres du collège des enfants qui ont eu 18 ans "
        "(et prévient le secrétariat de leur instance) et libère les sièges des mandats arrivés "
        "à leur terme (tâche de fond)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", default="", help="jour à considérer, AAAA-MM-JJ (défaut : aujourd'hui)"
        )

    def handle(self, *args, **options):
        parse_day(options["date"])
        result = end_adult_child_mandates_task.enqueue(today=options["date"])
        self.stdout.write(f"Tâche de fin des mandats des enfants devenus majeurs : {result.id}")
