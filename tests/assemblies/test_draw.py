import hashlib
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from enfance.assemblies import services
from enfance.assemblies.draw import allocate_seats, draw, ticket
from enfance.assemblies.enums import ApplicationStatus
from enfance.assemblies.models import Application, College
from tests.assemblies.factories import START, InstanceFactory, fill, secretary_of
from tests.factories import CommuneFactory, UserFactory

codes_strategy = st.lists(
    st.text(alphabet="ABCDEF0123456789", min_size=4, max_size=8),
    min_size=1,
    max_size=30,
    unique=True,
)


def test_the_ticket_is_the_documented_sha256():
    assert ticket("graine", "AB12") == hashlib.sha256(b"graine:AB12").hexdigest()


def test_a_known_draw_gives_a_known_result():
    candidates = ["A1", "B2", "C3", "D4", "E5"]
    expected = sorted(candidates, key=lambda c: hashlib.sha256(f"2025:{c}".encode()).hexdigest())
    assert draw(candidates, 2, "2025") == expected[:2]


@given(codes_strategy, st.integers(min_value=0, max_value=35), st.text(max_size=20))
def test_a_draw_is_reproducible_and_independent_of_the_list_order(codes, seats, seed):
    result = draw(codes, seats, seed)
    assert result == draw(list(reversed(codes)), seats, seed)
    assert len(result) == min(seats, len(codes))
    assert len(set(result)) == len(result) and set(result) <= set(codes)


@given(
    codes_strategy,
    st.integers(min_value=1, max_value=30),
    st.text(max_size=10),
    st.lists(st.sampled_from(["Lyon", "Villeurbanne", "Vénissieux"]), min_size=30, max_size=30),
)
def test_a_stratified_draw_mirrors_the_pool(codes, seats, seed, labels):
    strata = dict(zip(codes, labels, strict=False))
    result = draw(codes, seats, seed, strata)
    assert result == draw(list(reversed(codes)), seats, seed, strata)
    assert len(result) == min(seats, len(codes))
    if seats < len(codes):
        pool = Counter(strata.values())
        drawn = Counter(strata[c] for c in result)
        for label, size in pool.items():
            quota = seats * size / len(codes)
            assert int(quota) <= drawn[label] <= int(quota) + 1


@given(
    st.dictionaries(st.text(min_size=1, max_size=5), st.integers(0, 20), min_size=1),
    st.integers(0, 40),
)
def test_seat_allocation_sums_to_the_seats_and_never_exceeds_a_stratum(sizes, seats):
    seats = min(seats, sum(sizes.values()))
    allocation = allocate_seats(sizes, seats, "graine")
    assert sum(allocation.values()) == (seats if sum(sizes.values()) else 0)
    assert all(allocation[label] <= size for label, size in sizes.items())


def test_a_duplicate_candidate_is_refused():
    with pytest.raises(ValueError, match="deux fois"):
        draw(["A", "A"], 1, "s")


@pytest.mark.django_db
def test_a_published_draw_can_be_rerun_from_its_page(client):
    instance = InstanceFactory()
    fill(instance, {"parents": 2})
    secretary = secretary_of(instance)
    parents = College.objects.get(code="parents")
    lyon = CommuneFactory()
    villeurbanne = CommuneFactory(code="69266", name="Villeurbanne")
    applications = []
    for n in range(6):
        person = UserFactory(commune=lyon if n % 2 else villeurbanne)
        application = services.apply(
            instance, by=person, college=parents, motivation="Je veux aider."
        )
        services.shortlist(application, by=secretary)
        applications.append(application)
    with pytest.raises(ValidationError):
        services.run_draw(instance, by=secretary, college=parents, seats=5)
    record = services.run_draw(
        instance,
        by=secretary,
        college=parents,
        seats=2,
        seed="loto-2026-11-21",
        stratification="commune",
    )
    assert record.result == draw(record.candidates, 2, "loto-2026-11-21", record.strata)
    assert sorted(record.strata[c] for c in record.result) == ["Lyon", "Villeurbanne"]
    drawn = Application.objects.filter(status=ApplicationStatus.TIREE_AU_SORT)
    assert sorted(drawn.values_list("public_code", flat=True)) == sorted(record.result)
    page = client.get(record.get_absolute_url()).content.decode()
    assert "loto-2026-11-21" in page and "le résultat est identique" in page
    for code in record.candidates:
        assert code in page
    for application in applications:
        assert application.applicant.last_name not in page
    membership = services.seat_application(drawn.first(), by=secretary, mandate_start=START)
    assert membership.selection_method == "tire_au_sort"
    assert Application.objects.get(pk=membership.application_id).status == "membre"
    assert drawn.count() == 1
