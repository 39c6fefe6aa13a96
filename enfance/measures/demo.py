"""Demo measures: about a year of measures in the Rhône, imported by the demo account of the
département's services through the real import (a CSV file, as their software would write it),
and measures of a few other départements, so that the map and the comparisons say something.
Some measures wait, the others started after a delay that depends on their type (a placement is
quicker to start than an AEMO). Every reference is fictitious; no child is named."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from enfance.accounts.demo import DEMO_DEPARTEMENT, DEMO_DOMAIN
from enfance.accounts.models import User
from enfance.core.cache import bump_on_commit
from enfance.core.demo import DemoReport
from enfance.territories.models import Departement

from . import services
from .csv_import import COLUMNS, SEPARATOR
from .enums import AgeBand, MeasureKind
from .models import Measure
from .perms import can_record_measures

DEMO_AGENT = f"services.departement@{DEMO_DOMAIN}"
# Département code -> how many measures over the year.
VOLUMES = {DEMO_DEPARTEMENT: 900, "13": 500, "33": 350, "59": 600, "93": 450}
# The usual delay of each type, in days (a log-normal spread around it), and its weight.
KINDS = {
    MeasureKind.AEMO: (55, 35),
    MeasureKind.AEMO_RENFORCEE: (40, 10),
    MeasureKind.AED: (30, 20),
    MeasureKind.PLACEMENT: (8, 25),
    MeasureKind.MJIE: (80, 10),
}
AGES = {"0-2": 12, "3-5": 15, "6-10": 30, "11-14": 28, "15-17": 15}


def _measures(code: str, today):
    """(reference, kind, age band, ordered on, started on or None), the same each run for a
    given day."""
    rng = random.Random(f"demo-measures:{code}")
    kinds, kind_weights = list(KINDS), [weight for _, weight in KINDS.values()]
    ages, age_weights = list(AGES), list(AGES.values())
    # Some départements are slower than others.
    pace = 0.7 + rng.random() * 0.9
    for n in range(VOLUMES[code]):
        kind = rng.choices(kinds, kind_weights)[0]
        age = rng.choices(ages, age_weights)[0]
        ordered_on = today - timedelta(days=rng.randrange(1, 366))
        delay = int(KINDS[kind][0] * pace * rng.lognormvariate(0, 0.6))
        started_on = ordered_on + timedelta(days=delay)
        yield (
            f"DEMO-{code}-{n + 1:05d}",
            kind,
            age,
            ordered_on,
            started_on if started_on <= today else None,
        )


def _csv(measures) -> bytes:
    lines = [SEPARATOR.join(COLUMNS)]
    for reference, kind, age, ordered_on, started_on in measures:
        started = started_on.strftime("%d/%m/%Y") if started_on else ""
        lines.append(
            SEPARATOR.join([reference, kind, age, ordered_on.strftime("%d/%m/%Y"), started])
        )
    return ("\n".join(lines) + "\n").encode()


def _write_directly(departement, measures) -> int:
    """For the départements without a demo account: the rows an import would write."""
    existing = set(
        Measure.objects.filter(departement=departement).values_list("reference_hash", flat=True)
    )
    now = timezone.now()
    rows = []
    for reference, kind, age, ordered_on, started_on in measures:
        key = services.reference_hash(departement.code, reference)
        if key in existing:
            continue
        rows.append(
            Measure(
                departement=departement,
                reference_hash=key,
                kind=kind,
                age_band=AgeBand(age),
                ordered_on=ordered_on,
                started_on=started_on,
                delay_days=services.delay(ordered_on, started_on),
                created_at=now,
                updated_at=now,
            )
        )
    Measure.objects.bulk_create(rows, batch_size=services.BATCH)
    if rows:
        bump_on_commit(services.VERSION)
    return len(rows)


@transaction.atomic
def load(report: DemoReport) -> None:
    today = timezone.localdate()
    departements = {d.code: d for d in Departement.objects.filter(code__in=VOLUMES)}
    if DEMO_DEPARTEMENT not in departements:
        report.lines.append("Délais des mesures : importez d'abord les territoires.")
        return
    agent = User.objects.filter(email=DEMO_AGENT).first()
    rhone = departements[DEMO_DEPARTEMENT]
    if agent is not None and can_record_measures(agent, rhone):
        done = services.import_measures(
            rhone, by=agent, data=_csv(_measures(DEMO_DEPARTEMENT, today))
        )
        report.lines.append(
            f"Délais des mesures : {rhone}, {done.created} mesures ajoutées, "
            f"{done.changed} mises à jour (import du compte des services du département)."
        )
    else:
        report.lines.append(
            "Délais des mesures : le compte de démonstration des services du département n'a "
            "pas son rôle ; chargez d'abord les comptes."
        )
    for code, departement in sorted(departements.items()):
        if code == DEMO_DEPARTEMENT:
            continue
        added = _write_directly(departement, _measures(code, today))
        if added:
            report.lines.append(f"Délais des mesures : {departement}, {added} mesures ajoutées.")
