"""The generator steps of issue 17 at small scale: SCIC that satisfy the law, transfers spread over
the workflow, villages whose stays never hold a unit's night twice; reproducible and resumable
like the other steps, and the pages the benchmark loads capped in queries on their data."""

from collections import Counter
from datetime import date, datetime, time
from itertools import pairwise

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.utils import timezone

from enfance.assemblies.models import Instance
from enfance.assemblies.national_data import SLUG_PREFIX
from enfance.care.cooperative_national_data import (
    BUDGET_MAX,
    BUDGET_MIN,
    CONVENTION,
    bench_cooperative_id,
    bench_village_id,
    generate_cooperatives,
    generate_transfers,
    generate_villages,
    generated_cooperatives,
    generated_transfers,
    generated_villages,
)
from enfance.care.cooperatives import composition_problems
from enfance.care.enums import SIGNED_TRANSFER_STATUSES, AssociateCategory, StayStatus
from enfance.care.finess import validate_finess, validate_siren
from enfance.care.models import (
    Associate,
    College,
    FamilyUnit,
    ObservationStay,
    RunStructure,
    StayNight,
    Transfer,
    nights_of,
)
from enfance.care.national_data import generate_care, generated_structures
from enfance.core.national_data import load_steps, step_rng
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

from .factories import role

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 6)


def _options(**sizes) -> dict:
    return {"log": lambda line: None, "today": TODAY, **sizes}


@pytest.fixture
def territory():
    """Two départements, 40 generated structures, five generated instances."""
    rhone = CommuneFactory().departement
    corse = DepartementFactory(code="2A", name="Corse-du-Sud", region=RegionFactory(code="94"))
    CommuneFactory(code="2A004", name="Ajaccio", departement=corse, postal_codes="20000")
    generate_care(
        step_rng(7, "accueil"), {"structures": 40, "care_weeks": 1, "log": lambda line: None}
    )
    for number, departement in enumerate([rhone, rhone, rhone, corse, corse]):
        Instance.objects.create(
            name=f"Instance locale n° {number + 1}",
            slug=f"{SLUG_PREFIX}{number + 1:05d}",
            departement=departement,
            status="active",
        )
    return rhone


def _cooperatives(count):
    generate_cooperatives(step_rng(7, "scic"), _options(cooperatives=count))


def _register():
    return list(
        Associate.objects.order_by("cooperative__siren", "pk").values_list(
            "cooperative__siren", "cooperative__instance__slug", "category", "name", "shares"
        )
    )


def _check_colleges_now():
    """PostgreSQL checks the colleges' weights when the transaction commits, and a test's never
    does: ask for the check now."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_the_steps_come_after_the_structures_and_the_instances():
    names = [s.name for s in load_steps()]
    for name in ("scic", "transferts", "villages"):
        assert names.index(name) > max(names.index("accueil"), names.index("instances"))
    assert names.index("scic") < names.index("transferts")


def test_generated_scic_obey_the_law_and_are_reproducible_and_resumable(territory):
    _cooperatives(4)
    _cooperatives(6)
    _cooperatives(6)
    _check_colleges_now()
    cooperatives = generated_cooperatives().select_related("instance")
    assert cooperatives.count() == 6
    for cooperative in cooperatives:
        validate_siren(cooperative.siren)
        assert cooperative.instance.departement_id == cooperative.departement_id
        assert composition_problems(cooperative) == []
        weights = list(cooperative.colleges.values_list("weight", flat=True))
        assert len(weights) == 4 and sum(weights) == 100
        associates = cooperative.associates.all()
        assert 50 <= associates.count() <= 500
        assert not associates.filter(college__isnull=True).exists()
        assert not associates.exclude(college__cooperative=cooperative).exists()
        assert set(associates.values_list("category", flat=True)) >= {
            AssociateCategory.EMPLOYEES,
            AssociateCategory.BENEFICIARIES,
            AssociateCategory.VOLUNTEERS,
        }
        current = associates.current()
        capital = current.aggregate(total=Sum("shares"))["total"]
        public = current.filter(category=AssociateCategory.PUBLIC_BODIES)
        assert public.aggregate(total=Sum("shares"))["total"] * 2 <= capital
        run = cooperative.run_structures.select_related("structure")
        assert 1 <= run.count() <= 5
        assert {r.structure.departement_id for r in run} == {cooperative.departement_id}
        assert 1 <= cooperative.assemblies.count() <= 3
        assert set(cooperative.missions.values_list("mission", flat=True))
    left = Associate.objects.filter(left_on__isnull=False).count()
    assert 0 < left < Associate.objects.count() * 0.1
    assert not Associate.objects.filter(user__isnull=False).exists()
    assert (
        RunStructure.objects.values("structure").distinct().count() == RunStructure.objects.count()
    )
    first = _register()
    Associate.objects.all().delete()
    College.objects.all().delete()
    generated_cooperatives().delete()
    _cooperatives(6)
    assert _register() == first


def test_generated_transfers_follow_the_workflow(territory):
    _cooperatives(6)
    generate_transfers(step_rng(7, "transferts"), _options(transfers=40))
    generate_transfers(step_rng(7, "transferts"), _options(transfers=90))
    generate_transfers(step_rng(7, "transferts"), _options(transfers=90))
    transfers = generated_transfers().select_related("instance", "cooperative")
    assert transfers.count() == Transfer.objects.count() == 90
    assert {t.phase for t in transfers} == {4, 5}
    assert len({t.status for t in transfers}) == 6
    assert any(t.cooperative for t in transfers)
    for transfer in transfers:
        assert transfer.departement_id == transfer.instance.departement_id
        assert BUDGET_MIN <= transfer.yearly_budget <= BUDGET_MAX
        signed = transfer.status in SIGNED_TRANSFER_STATUSES
        assert transfer.convention.name == (CONVENTION if signed else "")
        if transfer.cooperative:
            assert transfer.cooperative.instance_id == transfer.instance_id
        if transfer.status in ("suspendu", "termine"):
            assert transfer.reason


def _stays():
    return list(
        ObservationStay.objects.order_by("unit__village__finess", "unit__name", "starts_at")
        .values_list("unit__village__finess", "unit__name", "starts_at", "hours", "status")
        .annotate(nights=Count("held"))
    )


def test_generated_villages_never_book_a_night_twice_and_are_reproducible(territory):
    generate_villages(step_rng(7, "villages"), _options(villages=2))
    generate_villages(step_rng(7, "villages"), _options(villages=5))
    generate_villages(step_rng(7, "villages"), _options(villages=5))
    villages = generated_villages()
    assert villages.count() == 5 and generated_structures().count() == 45
    assert {v.departement.code for v in villages} == {"69", "2A"}
    for village in villages:
        validate_finess(village.finess)
        assert village.status == "validee"
        assert 3 <= village.units.count() <= 6
    assert not FamilyUnit.objects.exclude(capacity__range=(4, 8)).exists()
    stays = ObservationStay.objects.select_related("unit", "village")
    # The generator's clock: noon of the day of the run.
    now = timezone.make_aware(datetime.combine(TODAY, time(12)))
    # About one stay a week per unit over the year and two months around the day of the run.
    assert 45 <= stays.count() / FamilyUnit.objects.count() <= 75
    for stay in stays:
        assert 48 <= stay.hours <= 72
        assert stay.children >= 1 and stay.people <= stay.unit.capacity
        assert stay.departement_id == stay.village.departement_id
        assert stay.created_at < min(now, stay.starts_at)
        held = sorted(stay.held.values_list("night", flat=True))
        if stay.status in (StayStatus.REFUSED, StayStatus.CANCELLED):
            assert held == []
        else:
            assert held == nights_of(stay.starts_at, stay.hours)
        if stay.starts_at > now:
            assert stay.status in (StayStatus.REQUESTED, StayStatus.CONFIRMED)
        if stay.status == StayStatus.OBSERVED:
            assert stay.summary and stay.summary_at > stay.ends_at
        assert (stay.refusal_reason != "") == (stay.status == StayStatus.REFUSED)
    assert Counter(s.status for s in stays).keys() == set(StayStatus.values)
    assert stays.filter(requester="magistrat").exists() and stays.filter(requester="ase").exists()
    # Never a unit twice the same night, nor two stays of a unit at the same hours.
    doubled = StayNight.objects.values("unit", "night").annotate(n=Count("pk")).filter(n__gt=1)
    assert not doubled.exists()
    for unit in FamilyUnit.objects.all():
        unit_stays = list(unit.stays.order_by("starts_at"))
        for before, after in pairwise(unit_stays):
            assert before.ends_at < after.starts_at
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM care_observationstay WHERE status = 'observe'")
        stored = cursor.fetchone()[0]
    assert "enfants" not in stored and stored.startswith("gAAAA")
    first = _stays()
    StayNight.objects.all().delete()
    ObservationStay.objects.all().delete()
    FamilyUnit.objects.all().delete()
    villages.delete()
    generate_villages(step_rng(7, "villages"), _options(villages=5))
    assert _stays() == first


def test_the_benchmarked_pages_are_capped_on_generated_data(
    client, territory, django_assert_max_num_queries
):
    _cooperatives(6)
    generate_transfers(step_rng(7, "transferts"), _options(transfers=60))
    generate_villages(step_rng(7, "villages"), _options(villages=2, today=timezone.localdate()))
    scic = bench_cooperative_id()
    assert generated_cooperatives().get(pk=scic).associates.count() == max(
        c.associates.count() for c in generated_cooperatives()
    )
    with django_assert_max_num_queries(10):
        assert client.get(f"/accueil/scic/{scic}/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/accueil/transferts/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/accueil/transferts/", {"page": 2, "phase": 4}).status_code == 200
    village = bench_village_id("69")
    client.force_login(role("magistrat", territory))
    with django_assert_max_num_queries(12):
        page = client.get(f"/accueil/villages/{village}/")
    assert page.status_code == 200
    assert bench_village_id("2A") != village
    client.force_login(role("magistrat", DepartementFactory(code="33", name="Gironde")))
    assert client.get(f"/accueil/villages/{village}/").status_code == 404
