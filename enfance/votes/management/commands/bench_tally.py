"""Time the tally of the national ballot (1,000,000 majority-judgment votes, 10 options).

Two measures, both computed in the database then ranked in Python:
- « dépouillement » (what a results page or a close does with the running counters): one grouped
  query over the counters of the ballot;
- « recomptage intégral » (what « Recalculer » does): one grouped query over every stored mark
  (GROUP BY option, channel, grade), ten million rows.
Both must give the stored result; the command fails otherwise.
"""

import statistics
import time

from django.core.management.base import BaseCommand, CommandError

from enfance.core.national_data import format_count
from enfance.votes.counting import tally
from enfance.votes.models import Ballot
from enfance.votes.national_data import BALLOT_TITLE


class Command(BaseCommand):
    help = "Mesure le temps du dépouillement du scrutin national (jugement majoritaire)."

    def add_arguments(self, parser):
        parser.add_argument("--ballot", type=int, help="identifiant du scrutin (défaut : national)")
        parser.add_argument("--repeat", type=int, default=5, help="nombre de mesures (défaut : 5)")

    def handle(self, *args, **options):
        ballots = Ballot.objects.select_related("result")
        if options["ballot"]:
            ballot = ballots.filter(pk=options["ballot"]).first()
        else:
            ballot = ballots.filter(title=BALLOT_TITLE).order_by("pk").first()
        if ballot is None:
            raise CommandError(
                "Scrutin introuvable : lancez generate_national_data --steps scrutin_national."
            )
        stored = getattr(ballot, "result", None)
        for label, from_counters in (("dépouillement", True), ("recomptage intégral", False)):
            timings = []
            for _ in range(options["repeat"]):
                started = time.perf_counter()
                result = tally(ballot, from_counters=from_counters)
                timings.append(time.perf_counter() - started)
            if stored is not None and not stored.same_outcome(result):
                raise CommandError(f"Le {label} ne donne pas le résultat enregistré.")
            self.stdout.write(
                f"{label} : {format_count(result.data['ballots'])} bulletins, "
                f"{len(result.data['options'])} options — médiane "
                f"{statistics.median(timings) * 1000:.0f} ms, meilleur {min(timings) * 1000:.0f} ms"
            )
            key = "tally_counters_ms" if from_counters else "tally_recount_ms"
            self.stdout.write(f"{key}={statistics.median(timings) * 1000:.1f}")
