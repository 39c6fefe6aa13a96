"""The pages of the villages de protection: the occupancy calendar, booking a stay, the village's
answer, the summary; and those who must be refused them."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enfance.care import villages
from enfance.care.models import FamilyUnit, ObservationStay, StayRead
from tests.factories import DepartementFactory, RegionFactory, UserFactory

from .factories import StructureFactory, manager_of, role

pytestmark = pytest.mark.django_db


def _ok(response):
    assert response.status_code == 200
    assert b"INVALID_TEMPLATE_VARIABLE" not in response.content
    return response.content.decode()


@pytest.fixture
def unit():
    village = StructureFactory(kind="village", name="Village du Pilat")
    return FamilyUnit.objects.create(village=village, name="Maison des Tilleuls", capacity=5)


def _arrival(days=3) -> datetime:
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(10)))


def _stay(unit, by):
    return villages.book_stay(
        by=by,
        village=unit.village,
        unit=unit,
        departement_id=unit.village.departement_id,
        starts_at=_arrival(),
        hours=60,
        adults=1,
        children_3_5=1,
    )


def test_the_ase_sees_the_calendar_and_books_a_stay_from_it(client, unit):
    ase = role("services_departement", unit.village.departement)
    client.force_login(ase)
    listing = _ok(client.get(reverse("care:villages")))
    assert "Village du Pilat" in listing and "1 village" in listing
    page = _ok(client.get(reverse("care:village", args=[unit.village.pk])))
    assert "Maison des Tilleuls" in page and "Libre" in page
    assert "Ajouter une unité" not in page
    url = reverse("care:stay_new", args=[unit.village.pk])
    form = {
        "unit": unit.pk,
        "departement": unit.village.departement_id,
        "starts_at": f"{_arrival():%Y-%m-%dT%H:%M}",
        "adults": 1,
        "children_6_12": 2,
    }
    refused = _ok(client.post(url, {**form, "hours": 73}))
    assert "Assurez-vous que cette valeur est inférieure ou égale à 72." in refused
    response = client.post(url, {**form, "hours": 60})
    stay = ObservationStay.objects.get()
    assert response.status_code == 302 and response["Location"] == stay.get_absolute_url()
    page = _ok(client.get(stay.get_absolute_url()))
    assert "2 enfants de 6 à 12 ans" in page and "60 heures, 2 nuits" in page
    assert "Annuler le séjour" in page and "Confirmer le séjour" not in page
    again = _ok(client.post(url, {**form, "hours": 48}))
    assert "est déjà réservée pour la nuit du" in again
    calendar = _ok(client.get(reverse("care:village", args=[unit.village.pk])))
    assert f"{stay.reference}</a> (à confirmer)" in calendar


def test_the_village_confirms_refuses_and_writes_the_summary(client, unit):
    ase = role("services_departement", unit.village.departement)
    manager = manager_of(unit.village)
    stay = _stay(unit, ase)
    client.force_login(manager)
    page = _ok(client.get(reverse("care:village", args=[unit.village.pk])))
    assert "Séjours à confirmer" in page and "Ajouter une unité" in page
    client.post(
        reverse("care:unit_add", args=[unit.village.pk]), {"name": "Érables", "capacity": 4}
    )
    assert unit.village.units.count() == 2
    page = _ok(client.get(stay.get_absolute_url()))
    assert "Confirmer le séjour" in page and "Refuser le séjour" in page
    client.post(reverse("care:stay_step", args=[stay.pk, "confirmer"]))
    stay.refresh_from_db()
    assert stay.status == "confirme"
    ObservationStay.objects.filter(pk=stay.pk).update(starts_at=_arrival(-4))
    page = _ok(client.get(stay.get_absolute_url()))
    assert "Transmettre la synthèse" in page
    client.post(
        reverse("care:stay_step", args=[stay.pk, "observation"]),
        {"summary": "Des repas calmes, une mère attentive."},
    )
    page = _ok(client.get(stay.get_absolute_url()))
    assert "au service demandeur, seul à la lire" in page and "une mère attentive" not in page
    assert client.get(reverse("care:stay_summary", args=[stay.pk])).status_code == 403
    client.force_login(ase)
    page = _ok(client.get(reverse("care:stay_summary", args=[stay.pk])))
    assert "Des repas calmes, une mère attentive." in page
    assert StayRead.objects.filter(stay=stay, reader=ase).count() == 1
    assert "Lectures de la synthèse" in _ok(client.get(stay.get_absolute_url()))


def test_a_refusal_needs_its_reason(client, unit):
    stay = _stay(unit, role("services_departement", unit.village.departement))
    client.force_login(manager_of(unit.village))
    client.post(reverse("care:stay_step", args=[stay.pk, "refuser"]), {"reason": ""})
    stay.refresh_from_db()
    assert stay.status == "demande"
    client.post(reverse("care:stay_step", args=[stay.pk, "refuser"]), {"reason": "Complet."})
    stay.refresh_from_db()
    assert stay.status == "refuse" and not stay.held.exists()


def test_another_departement_another_village_or_a_citizen_never_see_a_stay(client, unit):
    stay = _stay(unit, role("services_departement", unit.village.departement))
    far = DepartementFactory(code="29", name="Finistère", region=RegionFactory())
    other_village = StructureFactory(kind="village")
    pages = [
        reverse("care:village", args=[unit.village.pk]),
        reverse("care:stay_new", args=[unit.village.pk]),
        stay.get_absolute_url(),
        reverse("care:stay_summary", args=[stay.pk]),
    ]
    for outsider in (
        role("services_departement", far),
        role("magistrat", far),
        manager_of(other_village),
        UserFactory(),
    ):
        client.force_login(outsider)
        for url in pages:
            assert client.get(url).status_code == 404, (outsider, url)
        assert client.post(reverse("care:stay_step", args=[stay.pk, "annuler"])).status_code == 404
        assert stay.reference not in _ok(client.get(reverse("care:stays")))
    # A magistrate of the département sees the calendar, not whose stay holds a night.
    client.force_login(role("magistrat", unit.village.departement))
    calendar = _ok(client.get(reverse("care:village", args=[unit.village.pk])))
    assert "Réservée" in calendar and stay.reference not in calendar
    assert client.get(stay.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(reverse("care:villages")).status_code == 302


def test_the_pages_ask_a_bounded_number_of_queries(client, unit, django_assert_max_num_queries):
    ase = role("services_departement", unit.village.departement)
    for days in range(3, 30, 3):
        villages.book_stay(
            by=ase,
            village=unit.village,
            unit=unit,
            departement_id=unit.village.departement_id,
            starts_at=_arrival(days),
            hours=48,
            adults=1,
            children_0_2=1,
        )
    client.force_login(ase)
    for url in (
        reverse("care:villages"),
        reverse("care:village", args=[unit.village.pk]),
        reverse("care:stays"),
        ObservationStay.objects.first().get_absolute_url(),
    ):
        with django_assert_max_num_queries(12):
            _ok(client.get(url))
