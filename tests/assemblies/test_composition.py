from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from enfance.assemblies import services
from enfance.assemblies.composition import CollegeBounds, composition, evaluate
from enfance.assemblies.enums import InstanceStatus
from enfance.assemblies.models import College, CompositionRule
from enfance.core.models import LogEntry
from tests.assemblies.factories import MINIMUM, START, InstanceFactory, fill
from tests.factories import UserFactory

SEED_BOUNDS = [
    CollegeBounds("parents", "Parents", "des parents", 4, 6),
    CollegeBounds("grands_parents", "Grands-parents", "des grands-parents", 2, 4),
    CollegeBounds("enfants", "Enfants (12-17 ans)", "des enfants", 2, 4),
    CollegeBounds("experts", "Experts", "des experts", 4, 6),
    CollegeBounds("associatifs", "Associatifs", "des associatifs et citoyens engagés", 4, 6),
]
counts_strategy = st.fixed_dictionaries(
    {b.code: st.integers(min_value=0, max_value=10) for b in SEED_BOUNDS}
)


def test_the_seed_bounds_are_stored_as_data(db):
    stored = {
        c.code: (c.min_members, c.max_members, c.min_age, c.max_age, c.seats.count())
        for c in College.objects.all()
    }
    assert stored == {
        "parents": (4, 6, None, None, 6),
        "grands_parents": (2, 4, None, None, 4),
        "enfants": (2, 4, 12, 17, 4),
        "experts": (4, 6, None, None, 6),
        "associatifs": (4, 6, None, None, 6),
    }
    rule = CompositionRule.objects.get(code="national")
    assert (rule.min_total, rule.max_total) == (16, 26)


@given(counts_strategy)
def test_constituted_exactly_when_every_college_and_the_total_are_within_bounds(counts):
    report = evaluate(counts, SEED_BOUNDS, 16, 26, START)
    within = all(b.min_members <= counts[b.code] <= b.max_members for b in SEED_BOUNDS)
    total = sum(counts.values())
    assert report.is_constituted == (within and 16 <= total <= 26)
    assert report.total == total
    assert (report.messages == []) == report.is_constituted


@given(counts_strategy)
def test_each_message_gives_the_exact_gap(counts):
    report = evaluate(counts, SEED_BOUNDS, 16, 26, START)
    for bounds in SEED_BOUNDS:
        n = counts[bounds.code]
        line = report.line(bounds.code)
        assert line.missing == max(bounds.min_members - n, 0)
        assert line.excess == max(n - bounds.max_members, 0)
        if n < bounds.min_members:
            gap = bounds.min_members - n
            word = "membre" if gap == 1 else "membres"
            assert f"il manque {gap} {word} au collège {bounds.of_label}" in report.messages
        elif n > bounds.max_members:
            gap = n - bounds.max_members
            word = "membre" if gap == 1 else "membres"
            assert f"le collège {bounds.of_label} compte {gap} {word} de trop" in report.messages
        else:
            assert line.message == ""


@given(counts_strategy, st.sampled_from([b.code for b in SEED_BOUNDS]))
def test_adding_a_member_to_a_college_below_its_minimum_never_adds_a_problem(counts, code):
    bounds = next(b for b in SEED_BOUNDS if b.code == code)
    if counts[code] >= bounds.min_members:
        return
    before = evaluate(counts, SEED_BOUNDS, 0, 100, START)
    after = evaluate({**counts, code: counts[code] + 1}, SEED_BOUNDS, 0, 100, START)
    assert after.line(code).missing == before.line(code).missing - 1
    assert len(after.messages) <= len(before.messages)


def test_the_exact_french_messages():
    report = evaluate(
        {"parents": 7, "grands_parents": 1, "enfants": 2, "experts": 4, "associatifs": 4},
        SEED_BOUNDS,
        16,
        26,
        START,
    )
    assert report.messages == [
        "le collège des parents compte 1 membre de trop",
        "il manque 1 membre au collège des grands-parents",
    ]
    empty = evaluate({}, SEED_BOUNDS, 16, 26, START)
    assert "il manque 16 membres à l'instance (16 au minimum)" in empty.messages


def test_composition_counts_the_members_of_the_day(db):
    instance = InstanceFactory()
    fill(instance)
    report = composition(instance)
    assert report.is_constituted and report.total == sum(MINIMUM.values())
    before = composition(instance, on=START - timedelta(days=1))
    assert before.total == 0
    assert "il manque 4 membres au collège des parents" in before.messages


def test_the_status_follows_the_composition_through_the_service(db, admin_national):
    instance = InstanceFactory()
    fill(instance, {**MINIMUM, "parents": 3})
    assert instance.status == InstanceStatus.EN_CREATION
    services.add_member(
        instance,
        by=admin_national,
        user=UserFactory(),
        college=College.objects.get(code="parents"),
        mandate_start=START,
        selection_method="coopte",
    )
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.CONSTITUEE
    parent = instance.memberships.filter(seat__college__code="parents").first()
    services.end_membership(parent, by=admin_national, ended_on=START, reason="demission")
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.EN_CREATION

    assert list(
        LogEntry.objects.filter(
            target_id=str(instance.pk), action__startswith="assemblies.instance."
        )
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["assemblies.instance.constituer", "assemblies.instance.reprendre_la_constitution"]
