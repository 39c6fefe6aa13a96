"""Generator step: all régions, départements and communes (see enfance.core.national_data)."""

import random

from django.core.management import call_command

from enfance.core.national_data import format_count, step

from .models import Commune


@step("territoires", "Régions, départements et communes")
def generate_territories(rng: random.Random, options: dict) -> None:
    log = options["log"]
    call_command("import_territories", verbosity=options["verbosity"])
    log(f"  {format_count(Commune.objects.count())} communes en base")
