import pytest
from django.utils import timezone

from enfance.care.models import DepartementParticipation, PlaceCategory, PlaceDeclaration
from enfance.care.national_data import generate_care, generated_structures
from enfance.core.national_data import step_rng
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db


def _run(structures):
    options = {"structures": structures, "care_weeks": 3, "log": lambda line: None}
    generate_care(step_rng(7, "accueil"), options)


def test_generated_care_network_is_believable_and_resumable():
    CommuneFactory()
    corse = DepartementFactory(code="2A", name="Corse-du-Sud", region=RegionFactory(code="94"))
    CommuneFactory(code="2A004", name="Ajaccio", departement=corse, postal_codes="20000")
    _run(12)
    _run(20)
    _run(20)
    structures = generated_structures()
    assert structures.count() == 20
    assert {s.finess[:2] for s in structures} == {"69", "2A"}
    for structure in structures:
        structure.full_clean(exclude=["commune", "departement", "created_by"])
    categories = PlaceCategory.objects.filter(structure__in=structures)
    assert categories.count() >= 40
    assert PlaceDeclaration.objects.count() == 3 * categories.count()
    now = timezone.now()
    assert categories.fresh(now).exists() and categories.stale(now).exists()
    assert DepartementParticipation.objects.count() == 2
