import pytest
from django.utils import timezone

from enfance.accounts.demo import load as load_accounts
from enfance.accounts.models import User
from enfance.care import village_demo, villages
from enfance.care.demo import STRUCTURES, load
from enfance.care.models import PlaceCategory, Structure
from enfance.care.search import search_zone
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
    "01053": "Bourg-en-Bresse",
    "01283": "Oyonnax",
}


def test_demo_care_network_has_fresh_and_unknown_places_once():
    early = DemoReport()
    load(early)
    assert "il faut d'abord les territoires" in early.lines[0]
    rhone = DepartementFactory()
    ain = DepartementFactory(code="01", name="Ain", region=rhone.region)
    for code, name in COMMUNES.items():
        CommuneFactory(code=code, name=name, departement=ain if code.startswith("01") else rhone)
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
    # The Ain next door takes part: a search of the Rhône finds its places after the Rhône's.
    assert Structure.objects.filter(departement=ain).count() == 2
    assert ain.pk in search_zone(rhone)
    assert verify_chain().intact


def test_demo_village_has_its_units_and_stays_once():
    rhone = DepartementFactory()
    CommuneFactory(code="69191", name="Saint-Cyr-au-Mont-d'Or", departement=rhone)
    load_accounts(DemoReport())
    village_demo.load(DemoReport())
    village_demo.load(DemoReport())
    village = Structure.objects.get(name=village_demo.NAME)
    assert village.units.count() == 3
    assert sorted(village.stays.values_list("status", flat=True)) == [
        "confirme",
        "demande",
        "observe",
    ]
    observed = village.stays.get(status="observe")
    services = User.objects.get(email="services.departement@demo.protection-enfance.fr")
    assert villages.read_summary(observed, by=services) == village_demo.SUMMARY
    assert village.stays.get(status="demande").requester == "magistrat"
    assert verify_chain().intact
