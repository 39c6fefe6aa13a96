from datetime import date

from enfance.inspections.models import Inspection, Referentiel
from tests.care.factories import StructureFactory


def _inspection():
    return Inspection(
        structure=StructureFactory(),
        referentiel=Referentiel.objects.get(version="2026"),
        origin="plan",
        visit_on=date(2026, 12, 10),
    )


SAMPLES = {
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
