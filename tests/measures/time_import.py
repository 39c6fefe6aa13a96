"""How long an import of 100,000 measures takes (not a test: timings have no place in the
suite). On a scratch database, never a shared one:

    export DATABASE_URL=sqlite:////tmp/mesures.sqlite3   # or postgres://…/a_scratch_database
    uv run python manage.py migrate -v0
    uv run python manage.py shell < tests/measures/time_import.py

It imports a generated file into the Rhône (made if missing) as a person of its services, then
the same file again, then the file with every row changed, and prints each duration.
"""

import random
import time
from datetime import date, timedelta

from enfance.accounts.models import Role, User
from enfance.measures import services
from enfance.measures.models import Measure
from enfance.territories.models import Departement, Region

ROWS = 100_000
KINDS = ["AEMO", "AED", "placement", "MJIE", "AEMO renforcée"]
AGES = ["0-2", "3-5", "6-10", "11-14", "15-17"]


def generated_file(shift: int) -> bytes:
    rng = random.Random(1)
    lines = [";".join(("reference", "type", "tranche_age", "ordonnee_le", "debutee_le"))]
    for n in range(ROWS):
        ordered = date(2025, 1, 1) + timedelta(days=rng.randrange(600) - shift)
        started = ordered + timedelta(days=rng.randrange(200))
        started_cell = started.isoformat() if started < date(2026, 11, 1) else ""
        kind, age = rng.choice(KINDS), rng.choice(AGES)
        lines.append(f"TEMPS-{n:06d};{kind};{age};{ordered:%d/%m/%Y};{started_cell}")
    return ("\n".join(lines) + "\n").encode()


region, _ = Region.objects.get_or_create(code="84", defaults={"name": "Auvergne-Rhône-Alpes"})
rhone, _ = Departement.objects.get_or_create(
    code="69", defaults={"name": "Rhône", "region": region}
)
agent, _ = User.objects.get_or_create(email="mesure-du-temps@exemple.fr")
Role.objects.get_or_create(
    user=agent, kind="services_departement", scope_level="departement", departement=rhone
)
Measure.objects.filter(departement=rhone).delete()
for label, data in [
    ("premier import", generated_file(0)),
    ("le même fichier", generated_file(0)),
    ("chaque ligne modifiée", generated_file(1)),
]:
    began = time.perf_counter()
    report = services.import_measures(rhone, by=agent, data=data)
    print(
        f"{label} : {time.perf_counter() - began:.1f} s — {report.created} ajoutées, "
        f"{report.changed} modifiées, {report.unchanged} inchangées, {report.refused} refusées"
    )
