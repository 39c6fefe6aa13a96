import pytest
from django.utils import timezone

from enfance.accounts.demo import load as load_accounts
from enfance.care.demo import STRUCTURES, load
from enfance.care.models import PlaceCategory, Structure
from enfance.core.demo import DemoReport
from enfance.core.eventlog import verify_chain
from tests.factories import CommuneFactory, DepartementFactory

pytestmark = pytest.mark.django_db

COMMUNES = {
    "69123": "Lyon",
    "69259": "Vénissieux",
    "69266": "Villeurbanne",
    "69149": "Oullins",
    "69264": "Villefranche-sur-Saône",
}


def test_demo_care_network_has_fresh_and_unknown_places_once():
    early = DemoReport()
    load(early)
    assert "il faut d'abord les territoires" in early.lines[0]
    rhone = DepartementFactory()
    for code, name in COMMUNES.items():
        CommuneFactory(code=code, name=name, departement=rhone)
    load_accounts(DemoReport())
    load(DemoReport())
    load(DemoReport())
    assert Structure.objects.count() == len(STRUCTURES)
    now = timezone.now()
    assert PlaceCategory.objects.available(now).exists()
    assert PlaceCategory.objects.stale(now).filter(declared_at__isnull=False).exists()
    managed = Structure.objects.filter(
        manager_links__user__email="gestionnaire.structure@demo.protection-enfance.fr"
    )
    assert managed.count() == 2
    assert verify_chain().intact
