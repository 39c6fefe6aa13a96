"""Séjours d'observation: booked for 48 to 72 hours, never a unit twice for the same night (the
database refuses it, even for bookings at the same moment), answered by the village, observed,
the summary encrypted and read by the requesting service only, each read recorded."""

import threading
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone

from enfance.care import villages
from enfance.care.models import FamilyUnit, ObservationStay, StayNight, StayRead, nights_of
from tests.factories import DepartementFactory, RegionFactory

from .factories import StructureFactory, manager_of, role

pytestmark = pytest.mark.django_db


def _at(days: int, hour: int = 10) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


@pytest.fixture
def village():
    return StructureFactory(kind="village", name="Village des Monts d'Or")


@pytest.fixture
def unit(village):
    return FamilyUnit.objects.create(village=village, name="Maison des Tilleuls", capacity=5)


@pytest.fixture
def ase(village):
    return role("services_departement", village.departement, email="ase@example.org")


def _book(by, unit, *, days=3, hour=10, hours=60, **family):
    family = family or {"adults": 1, "children_6_12": 2}
    return villages.book_stay(
        by=by,
        village=unit.village,
        unit=unit,
        departement_id=unit.village.departement_id,
        starts_at=_at(days, hour),
        hours=hours,
        **family,
    )


def test_a_60_hour_stay_holds_its_nights_and_tells_the_village(
    unit, ase, django_capture_on_commit_callbacks
):
    manager = manager_of(unit.village, email="village@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        stay = _book(ase, unit)
    # Arriving at 10:00 for 60 hours, leaving at 22:00 two days later: two nights.
    assert stay.nights == [_at(3).date(), _at(4).date()]
    assert sorted(stay.held.values_list("night", flat=True)) == stay.nights
    assert stay.requester == "ase" and stay.reference.startswith("SO-")
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert stay.reference in mail.outbox[0].subject
    assert "1 adulte et 2 enfants (2 de 6 à 12 ans)" in mail.outbox[0].body


def test_nights_follow_the_midnights_within_the_stay():
    assert len(nights_of(_at(1, 10), 48)) == 2
    assert len(nights_of(_at(1, 20), 72)) == 3
    assert len(nights_of(_at(1, 23), 48)) == 2


@pytest.mark.parametrize("hours", [47, 73, 0])
def test_a_stay_lasts_48_to_72_hours(unit, ase, hours):
    with pytest.raises(ValidationError) as refused:
        _book(ase, unit, hours=hours)
    assert refused.value.message_dict["hours"] == [
        "Un séjour d'observation dure de 48 à 72 heures."
    ]
    assert not ObservationStay.objects.exists()


def test_the_database_refuses_a_stay_too_short_and_a_night_twice(unit, ase):
    stay = _book(ase, unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        ObservationStay.objects.filter(pk=stay.pk).update(hours=73)
    with pytest.raises(IntegrityError), transaction.atomic():
        StayNight.objects.create(stay=stay, unit=unit, night=stay.nights[0])


def test_an_overlapping_booking_is_refused_and_a_refusal_gives_the_nights_back(unit, ase):
    manager = manager_of(unit.village)
    first = _book(ase, unit, days=3)
    with pytest.raises(ValidationError) as refused:
        _book(ase, unit, days=4, hour=14)
    night = _at(4).date()
    assert refused.value.message_dict["unit"] == [
        f"L'unité « Maison des Tilleuls » est déjà réservée pour la nuit du {night:%d/%m/%Y}."
    ]
    other = FamilyUnit.objects.create(village=unit.village, name="Maison des Érables", capacity=4)
    _book(ase, other, days=4, hour=14)
    villages.refuse(first, by=manager, reason="Travaux dans la maison.")
    assert not first.held.exists()
    assert _book(ase, unit, days=4, hour=14).status == "demande"


def test_the_family_fits_the_unit_and_has_a_child(unit, ase):
    with pytest.raises(ValidationError) as refused:
        _book(ase, unit, adults=2, children_6_12=2, children_13_17=2)
    assert "accueille 5 personnes par nuit : la famille en compte 6" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        _book(ase, unit, adults=2)
    assert refused.value.message_dict["children_0_2"] == [
        "Indiquez au moins un enfant, dans sa tranche d'âge."
    ]
    with pytest.raises(ValidationError) as refused:
        _book(ase, unit, days=-1)
    assert "starts_at" in refused.value.message_dict


def test_only_the_ase_and_magistrates_of_the_departement_or_next_door_book(unit, village):
    far = DepartementFactory(code="29", name="Finistère", region=RegionFactory())
    for outsider in (
        role("services_departement", far),
        role("magistrat", far),
        manager_of(village),
        role("gestionnaire_structure", village.departement),
    ):
        with pytest.raises(PermissionDenied):
            _book(outsider, unit)
    ain = DepartementFactory(code="01", name="Ain", region=RegionFactory())
    judge = role("magistrat", ain)
    stay = villages.book_stay(
        by=judge,
        village=village,
        unit=unit,
        departement_id=ain.pk,
        starts_at=_at(2),
        hours=48,
        adults=1,
        children_0_2=1,
    )
    assert stay.requester == "magistrat" and stay.departement == ain


def test_the_village_answers_the_requester_cancels_before_arrival(
    unit, ase, django_capture_on_commit_callbacks
):
    manager = manager_of(unit.village)
    stay = _book(ase, unit)
    with pytest.raises(PermissionDenied):
        villages.confirm(stay, by=ase)
    with pytest.raises(PermissionDenied):
        villages.cancel(stay, by=manager)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        stay = villages.confirm(stay, by=manager)
    assert stay.status == "confirme"
    assert mail.outbox[0].to == [ase.email] and "confirme le séjour" in mail.outbox[0].body
    stay = villages.cancel(stay, by=role("services_departement", unit.village.departement))
    assert stay.status == "annule" and not stay.held.exists()
    begun = _book(ase, unit, days=5)
    ObservationStay.objects.filter(pk=begun.pk).update(starts_at=timezone.now())
    begun.refresh_from_db()
    with pytest.raises(ValidationError, match="a commencé"):
        villages.cancel(begun, by=ase)


def test_the_summary_is_written_after_the_stay_encrypted_and_read_by_the_requesters_only(
    unit, ase, django_capture_on_commit_callbacks
):
    manager = manager_of(unit.village)
    stay = villages.confirm(_book(ase, unit), by=manager)
    text = "La mère est attentive ; l'aîné se tient à l'écart."
    with pytest.raises(ValidationError, match="après le départ"):
        villages.record_observation(stay, by=manager, summary=text)
    later = stay.ends_at + timedelta(hours=2)
    with pytest.raises(PermissionDenied):
        villages.record_observation(stay, by=ase, summary=text, now=later)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        stay = villages.record_observation(stay, by=manager, summary=text, now=later)
    assert stay.status == "observe" and text not in mail.outbox[0].body
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM care_observationstay WHERE id = %s", [stay.pk])
        stored = cursor.fetchone()[0]
    assert "attentive" not in stored
    colleague = role("services_departement", unit.village.departement)
    assert villages.read_summary(stay, by=colleague) == text
    assert list(StayRead.objects.values_list("reader", flat=True)) == [colleague.pk]
    for outsider in (manager, role("magistrat", unit.village.departement)):
        with pytest.raises(PermissionDenied):
            villages.read_summary(stay, by=outsider)
    assert StayRead.objects.count() == 1


def test_the_calendar_names_a_stay_only_to_those_who_follow_it(unit, ase):
    stay = _book(ase, unit)
    first = _at(3).date()
    for person, shown in ((ase, True), (manager_of(unit.village), True)):
        _nights, rows = villages.occupancy(unit.village, first, 3, user=person)
        assert [c["shown"] for c in rows[0]["cells"]] == [shown, shown, False]
        assert rows[0]["cells"][0]["stay"] == stay
    judge = role("magistrat", unit.village.departement)
    _nights, rows = villages.occupancy(unit.village, first, 3, user=judge)
    assert [bool(c["stay"]) for c in rows[0]["cells"]] == [True, True, False]
    assert not any(c["shown"] for c in rows[0]["cells"])


@pytest.mark.django_db(transaction=True)
def test_six_people_booking_the_same_unit_at_the_same_moment_get_it_once():
    village = StructureFactory(kind="village")
    unit = FamilyUnit.objects.create(village=village, name="Maison des Tilleuls", capacity=5)
    people = [role("services_departement", village.departement) for _ in range(6)]
    barrier = threading.Barrier(len(people))
    booked, refused, errors = [], [], []

    def book(person):
        try:
            barrier.wait()
            booked.append(_book(person, unit))
        except ValidationError as error:
            refused.append(error.message_dict["unit"][0])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(booked) == 1 and len(refused) == 5
    assert all("déjà réservée" in message or "vient d'être" in message for message in refused)
    assert StayNight.objects.count() == 2


def test_a_double_click_adds_one_unit_and_tells_the_second_in_french(unit, village, monkeypatch):
    manager = manager_of(village)
    with pytest.raises(ValidationError, match="déjà une unité de ce nom"):
        villages.add_unit(village, by=manager, name="maison des tilleuls", capacity=4)
    # The second request checked before the first one created it: the database decides.
    exists = QuerySet.exists
    monkeypatch.setattr(
        QuerySet, "exists", lambda self: self.model is not FamilyUnit and exists(self)
    )
    with pytest.raises(ValidationError, match="déjà une unité de ce nom"):
        villages.add_unit(village, by=manager, name="Maison des Tilleuls", capacity=4)
    assert village.units.count() == 1
