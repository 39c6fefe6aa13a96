from datetime import date

from enfance.inspections.models import Criterion, Inspection, Referentiel, RequiredAction
from tests.care.factories import StructureFactory


def _inspection():
    return Inspection(
        structure=StructureFactory(),
        referentiel=Referentiel.objects.get(version="2026"),
        origin="plan",
        visit_on=date(2026, 12, 10),
    )


def _action():
    inspection = _inspection()
    return RequiredAction(
        inspection=inspection,
        criterion=Criterion.objects.get(referentiel=inspection.referentiel, code="equipe.1"),
        kind="exigee",
        text="Vérifier les antécédents de chaque remplaçant.",
        due_on=date(2027, 3, 1),
    )


SAMPLES = {
    "inspections/emails/action_answered.txt": lambda: {
        "action": _action(),
        "url": "https://protection-enfance.example/controle/inspections/3/",
    },
    "inspections/emails/provisional_report.txt": lambda: {
        "inspection": _inspection(),
        "due": date(2026, 12, 26),
        "url": "https://protection-enfance.example/controle/inspections/3/",
    },
    "inspections/emails/observations_received.txt": lambda: {
        "inspection": _inspection(),
        "url": "https://protection-enfance.example/controle/inspections/3/",
    },
}
