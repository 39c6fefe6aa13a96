"""The import of a département's CSV of measures at the size the issue names (100,000 rows,
budget 60 s), on the bench database: the file is built here (the demo's format), imported by a
person of the département's services, then imported again (nothing may change), then the
measures it added are deleted so that the generated dataset stays as generated.

    uv run python bench/measures_import.py 62 [--rows 100000]

Run it with the variables of bench/run.sh (DATABASE_URL of the bench database).
"""

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
os.environ.setdefault("CACHE_PER_PROCESS_ACCEPTED", "1")
django.setup()

from django.db.models import Max  # noqa: E402

from enfance.accounts.models import Role, User  # noqa: E402
from enfance.measures import services  # noqa: E402
from enfance.measures.csv_import import COLUMNS, SEPARATOR  # noqa: E402
from enfance.measures.enums import AgeBand, MeasureKind  # noqa: E402
from enfance.measures.models import Measure  # noqa: E402
from enfance.territories.models import Departement  # noqa: E402


def build_csv(rows: int, today: date) -> bytes:
    rng = random.Random(f"bench-import:{rows}")
    kinds, ages = list(MeasureKind.values), list(AgeBand.values)
    lines = [SEPARATOR.join(COLUMNS)]
    for n in range(rows):
        ordered_on = today - timedelta(days=rng.randrange(1, 720))
        started = ""
        if rng.random() < 0.85:
            started_on = min(today, ordered_on + timedelta(days=int(rng.lognormvariate(3, 0.8))))
            started = started_on.strftime("%d/%m/%Y")
        lines.append(
            SEPARATOR.join(
                [
                    f"BANC-IMPORT-{n + 1:06d}",
                    rng.choice(kinds),
                    rng.choice(ages),
                    ordered_on.strftime("%d/%m/%Y"),
                    started,
                ]
            )
        )
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("departement")
    parser.add_argument("--rows", type=int, default=100_000)
    options = parser.parse_args()
    departement = Departement.objects.get(code=options.departement)
    agent, _ = User.objects.get_or_create(
        email=f"banc.services.{departement.code}@exemple.fr",
        defaults={"first_name": "Banc", "last_name": "d'essai"},
    )
    Role.objects.get_or_create(
        user=agent, kind="services_departement", scope_level="departement", departement=departement
    )
    data = build_csv(options.rows, date.today())
    before = Measure.objects.aggregate(last=Max("pk"))["last"] or 0
    try:
        for attempt in ("premier import", "même fichier de nouveau"):
            started = time.perf_counter()
            report = services.import_measures(departement, by=agent, data=data)
            seconds = time.perf_counter() - started
            print(
                f"{attempt} : {options.rows} lignes ({len(data) / 1e6:.1f} Mo) en {seconds:.1f} s "
                f"— {report.created} ajoutées, {report.changed} modifiées, "
                f"{report.unchanged} inchangées, {report.refused} refusées"
            )
    finally:
        Measure.objects.filter(departement=departement, pk__gt=before).delete()


if __name__ == "__main__":
    main()
