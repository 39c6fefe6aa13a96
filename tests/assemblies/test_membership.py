import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, transaction

from enfance.assemblies import services
from enfance.assemblies.models import College, CollegeSeat, Instance, Membership
from enfance.core.models import LogEntry
from tests.assemblies.factories import (
    START,
    InstanceFactory,
    child,
    fill,
    seat_directly,
    secretary_of,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _add(by, instance, user, code, start=START, end=None, **extra):
    return services.add_member(
        instance,
        by=by,
        user=user,
        college=College.objects.get(code=code),
        mandate_start=start,
        mandate_end=end,
        selection_method="tire_au_sort",
        **extra,
    )


def _snapshot(instance):
    return (
        list(Membership.objects.filter(instance=instance).values_list("pk", "ended_on")),
        LogEntry.objects.count(),
        Instance.objects.get(pk=instance.pk).status,
    )


def test_a_seventh_parent_is_refused_and_nothing_changes(admin_national):
    instance = InstanceFactory()
    fill(instance, {"parents": 6})
    before = _snapshot(instance)
    with pytest.raises(ValidationError) as refused:
        _add(admin_national, instance, UserFactory(), "parents")
    assert refused.value.messages == [
        "Le collège des parents compte déjà 6 membres, son maximum : il n'y a plus de siège libre."
    ]
    assert _snapshot(instance) == before


def test_the_database_refuses_a_second_member_on_a_taken_seat():
    instance = InstanceFactory()
    first = seat_directly(instance, "parents")
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            instance=instance,
            user=UserFactory(),
            seat=first.seat,
            mandate_start=START,
            mandate_end=START + timedelta(days=10),
            selection_method="coopte",
        )


def test_a_college_has_exactly_as_many_seats_as_its_maximum():
    assert CollegeSeat.objects.filter(college__code="parents").count() == 6
    assert not CollegeSeat.objects.filter(college__code="parents", number=7).exists()


def test_an_ended_membership_frees_its_seat(admin_national):
    instance = InstanceFactory()
    fill(instance, {"parents": 6})
    leaving = instance.memberships.first()
    services.end_membership(leaving, by=admin_national, ended_on=START, reason="demission")
    newcomer = _add(admin_national, instance, UserFactory(), "parents")
    assert newcomer.seat == leaving.seat


def test_a_person_sits_in_one_college_of_an_instance_at_a_time(admin_national):
    instance = InstanceFactory()
    person = seat_directly(instance, "parents").user
    with pytest.raises(ValidationError, match="siège déjà au collège des parents"):
        _add(admin_national, instance, person, "associatifs")
    with pytest.raises(IntegrityError), transaction.atomic():
        seat_directly(instance, "associatifs", user=person)
    # Another instance is another matter.
    assert _add(admin_national, InstanceFactory(), person, "associatifs")


def test_experts_record_their_field(admin_national):
    instance = InstanceFactory()
    with pytest.raises(ValidationError, match="domaine d'expertise"):
        _add(admin_national, instance, UserFactory(), "experts")
    expert = _add(admin_national, instance, UserFactory(), "experts", expert_field="psychologie")
    assert expert.expert_field == "psychologie"


def _years_before(day: date, years: int, days: int = 0) -> date:
    return day.replace(year=day.year - years) - timedelta(days=days)


@pytest.mark.parametrize(
    ("birth", "age_label"),
    [
        (_years_before(START, 11), "11 ans"),
        (_years_before(START, 19), "19 ans"),
        (_years_before(START, 12, days=-1), "11 ans"),
        (_years_before(START, 18), "18 ans"),
    ],
)
def test_children_outside_12_17_are_refused(admin_national, birth, age_label):
    instance = InstanceFactory()
    before = _snapshot(instance)
    with pytest.raises(ValidationError) as refused:
        _add(admin_national, instance, child(birth), "enfants")
    assert refused.value.messages == [
        "Le collège des enfants accueille des membres de 12 à 17 ans : cette personne "
        f"aurait {age_label} au début du mandat."
    ]
    assert _snapshot(instance) == before


def test_a_child_mandate_ends_the_day_before_the_eighteenth_birthday(admin_national):
    instance = InstanceFactory()
    birth = _years_before(START, 17, days=100)
    membership = _add(
        admin_national, instance, child(birth), "enfants", end=START + timedelta(days=700)
    )
    eighteen = birth.replace(year=birth.year + 18)
    assert membership.mandate_end == eighteen - timedelta(days=1)


def test_a_child_under_15_needs_a_parents_recorded_consent(admin_national):
    instance = InstanceFactory()
    kid = child(_years_before(START, 13), consent=False)
    with pytest.raises(ValidationError, match="consentement d'un parent"):
        _add(admin_national, instance, kid, "enfants")
    services.record_parental_consent(
        instance,
        by=admin_national,
        child=kid,
        parent_name="Nadia Benali",
        given_on=START,
        method="en_personne",
    )
    assert _add(admin_national, instance, kid, "enfants")
    # The log names neither the child nor the parent.
    summaries = " ".join(LogEntry.objects.values_list("summary", flat=True))
    assert "Benali" not in summaries and kid.first_name not in summaries


def test_a_child_of_15_needs_no_consent(admin_national):
    kid = child(_years_before(START, 15), consent=False)
    assert _add(admin_national, InstanceFactory(), kid, "enfants")


def test_only_managers_of_this_instance_change_its_composition():
    instance = InstanceFactory()
    other = InstanceFactory()
    other_secretary = secretary_of(other)
    with pytest.raises(PermissionDenied):
        _add(other_secretary, instance, UserFactory(), "parents")
    plain_member = seat_directly(instance, "parents").user
    with pytest.raises(PermissionDenied):
        _add(plain_member, instance, UserFactory(), "parents")
    assert _add(secretary_of(instance), instance, UserFactory(), "parents")


def test_concurrent_additions_never_overfill_a_college(colleges, admin_national):
    instance = InstanceFactory()
    fill(instance, {"parents": 4})
    candidates = [UserFactory() for _ in range(5)]
    barrier = threading.Barrier(len(candidates))
    outcomes = []

    def add(person):
        try:
            barrier.wait()
            _add(admin_national, instance, person, "parents")
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.messages[0])
        except Exception as exc:  # shown in the assertion rather than lost in the thread
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(p,)) for p in candidates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 2, outcomes
    assert all("plus de siège libre" in o for o in outcomes if o != "ok"), outcomes
    seated = Membership.objects.seated().filter(instance=instance, seat__college__code="parents")
    assert seated.count() == 6
    assert len(set(seated.values_list("seat_id", flat=True))) == 6
