import pytest

from enfance.accounts.demo import load as load_accounts
from enfance.care.demo import load as load_care
from enfance.core.demo import DemoReport
from enfance.core.eventlog import verify_chain
from enfance.inspections.demo import SCENARIOS
from enfance.inspections.demo import load as load_inspections
from enfance.inspections.enums import InspectionStatus
from enfance.inspections.models import Inspection
from tests.care.test_demo import COMMUNES
from tests.factories import CommuneFactory, DepartementFactory

pytestmark = pytest.mark.django_db


def test_demo_inspections_are_loaded_once_through_the_services():
    rhone = DepartementFactory()
    ain = DepartementFactory(code="01", name="Ain", region=rhone.region)
    for code, name in COMMUNES.items():
        CommuneFactory(code=code, name=name, departement=ain if code.startswith("01") else rhone)
    early = DemoReport()
    load_inspections(early)
    assert "il faut d'abord les comptes" in early.lines[0]
    load_accounts(DemoReport())
    load_care(DemoReport())
    load_inspections(DemoReport())
    load_inspections(DemoReport())
    assert Inspection.objects.count() >= len(SCENARIOS)
    assert Inspection.objects.filter(status=InspectionStatus.PUBLISHED).exists()
    assert verify_chain().intact
