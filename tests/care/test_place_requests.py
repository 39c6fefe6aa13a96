from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from enfance.care import services
from enfance.care.enums import DeclarationSource, OfferStatus, RequestStatus
from enfance.care.models import PlaceDeclaration, PlaceOffer
from enfance.care.place_requests import (
    answer_offer,
    close_expired_requests,
    close_request,
    send_place_request,
)
from enfance.core.models import LogEntry
from tests.factories import DepartementFactory, RegionFactory

from .factories import CategoryFactory, StructureFactory, manager_of, role

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    """Two structures of the Rhône with free places for teenagers who come with siblings."""
    first = CategoryFactory(structure=StructureFactory(name="Foyer Les Cèdres"))
    second = CategoryFactory(structure=StructureFactory(name="MECS Le Parc"))
    managers = {}
    for category, free in ((first, 2), (second, 3)):
        managers[category.pk] = manager_of(category.structure)
        services.declare_places(
            category.structure, by=managers[category.pk], figures={category.pk: {"free": free}}
        )
    return first, second, managers


def ask(judge, categories, **overrides):
    fields = {
        "place_type": "internat",
        "age_band": "13-17",
        "children": 2,
        "disability": False,
        "urgent": False,
        "needs": "Deux frères, scolarisés au collège.",
        "wished_on": timezone.localdate() + timedelta(days=2),
    }
    return send_place_request(
        by=judge,
        departement=categories[0].structure.departement,
        category_ids=[c.pk for c in categories],
        **{**fields, **overrides},
    )


def test_the_first_acceptance_takes_the_places_and_the_other_request_is_moot(
    places, mailoutbox, django_capture_on_commit_callbacks
):
    first, second, managers = places
    judge = role("magistrat", first.structure.departement)
    with django_capture_on_commit_callbacks(execute=True):
        request = ask(judge, [first, second])
    assert sorted(m.to[0] for m in mailoutbox) == sorted(u.email for u in managers.values())
    assert "Deux frères" in mailoutbox[0].body and "119" in mailoutbox[0].body
    offer_first, offer_second = request.offers.order_by("structure__name")
    with django_capture_on_commit_callbacks(execute=True):
        answer_offer(offer_second, by=managers[second.pk], accept=True)
    second.refresh_from_db()
    request.refresh_from_db()
    assert (request.status, second.free) == (RequestStatus.PLACED, 1)
    assert PlaceDeclaration.objects.filter(source=DeclarationSource.REQUEST).count() == 1
    assert mailoutbox[-1].to == [judge.email] and "MECS Le Parc" in mailoutbox[-1].body
    offer_first.refresh_from_db()
    assert offer_first.status == OfferStatus.SUPERSEDED
    with pytest.raises(ValidationError, match="Impossible d'accepter la demande"):
        answer_offer(offer_first, by=managers[first.pk], accept=True)
    with pytest.raises(ValidationError):
        answer_offer(offer_second, by=managers[second.pk], accept=False, reason="Plus de place")
    actions = set(LogEntry.objects.values_list("action", flat=True))
    assert {"care.request_sent", "care.placeoffer.accept"} <= actions


def test_a_refusal_gives_its_reason_and_an_answer_comes_once(places):
    first, _, managers = places
    request = ask(role("magistrat", first.structure.departement), [first])
    offer = request.offers.get()
    with pytest.raises(ValidationError, match="pourquoi"):
        answer_offer(offer, by=managers[first.pk], accept=False, reason=" ")
    answer_offer(offer, by=managers[first.pk], accept=False, reason="Pas de place pour deux.")
    with pytest.raises(ValidationError, match="l'état actuel est « Refusée »"):
        answer_offer(offer, by=managers[first.pk], accept=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PlaceOffer.objects.filter(pk=offer.pk).update(reason="")


def test_only_the_structures_manager_answers_before_the_deadline(places):
    first, second, managers = places
    request = ask(role("magistrat", first.structure.departement), [first], urgent=True)
    offer = request.offers.get()
    assert request.answer_by - request.created_at == timedelta(hours=4)
    with pytest.raises(PermissionDenied):
        answer_offer(offer, by=managers[second.pk], accept=True)
    with pytest.raises(ValidationError, match="délai de réponse"):
        answer_offer(
            offer, by=managers[first.pk], accept=True, now=request.answer_by + timedelta(minutes=1)
        )


def test_a_request_goes_only_to_fresh_matching_places_of_the_departement(places):
    first, _, _ = places
    judge = role("magistrat", first.structure.departement)
    with pytest.raises(ValidationError, match="Choisissez au moins une structure"):
        ask(judge, [first], children=3)  # two free places only: a sibling group stays together
    with pytest.raises(ValidationError, match="Choisissez au moins une structure"):
        ask(judge, [first], age_band="6-12")
    stale_at = timezone.now() + timedelta(hours=25)
    with pytest.raises(ValidationError, match="Choisissez au moins une structure"):
        send_place_request(
            by=judge,
            departement=first.structure.departement,
            category_ids=[first.pk],
            place_type="internat",
            age_band="13-17",
            children=1,
            disability=False,
            urgent=False,
            needs="",
            wished_on=timezone.localdate() + timedelta(days=2),
            now=stale_at,
        )
    ain = DepartementFactory(code="01", name="Ain", region=RegionFactory())
    with pytest.raises(PermissionDenied):
        ask(role("magistrat", ain), [first])
    with pytest.raises(ValidationError):
        ask(judge, [first], wished_on=timezone.localdate() - timedelta(days=1))


def test_the_sender_closes_a_request_that_needs_no_place_any_more(places):
    first, _, managers = places
    judge = role("magistrat", first.structure.departement)
    request = ask(judge, [first])
    with pytest.raises(PermissionDenied):
        close_request(request, by=managers[first.pk])
    close_request(request, by=judge)
    assert request.offers.get().status == OfferStatus.SUPERSEDED


def test_the_request_and_answer_pages(client, places, django_capture_on_commit_callbacks):
    first, second, managers = places
    departement = first.structure.departement
    judge = role("magistrat", departement)
    client.force_login(judge)
    url = reverse("care:request_create")
    page = client.get(url, {"departement": "69", "place_type": "internat", "age_band": "13-17"})
    assert "Foyer Les Cèdres" in page.content.decode() and "MECS Le Parc" in page.content.decode()
    response = client.post(
        f"{url}?departement=69",
        {
            "place_type": "internat",
            "age_band": "13-17",
            "children": "2",
            "wished_on": str(timezone.localdate() + timedelta(days=1)),
            "needs": "",
            "categorie": [str(second.pk)],
        },
    )
    request = second.structure.offers.get().request
    assert response["Location"] == request.get_absolute_url()
    assert "En attente" in client.get(request.get_absolute_url()).content.decode()

    client.force_login(managers[second.pk])
    offer = request.offers.get()
    assert "N° " in client.get(reverse("care:requests")).content.decode()
    page = client.get(offer.get_absolute_url()).content.decode()
    assert "Accepter : la structure accueille" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(offer.get_absolute_url(), {"accepter": "1", "reason": ""})
    assert response.status_code == 302
    # Nobody else reads the request or answers it.
    client.force_login(managers[first.pk])
    assert client.get(offer.get_absolute_url()).status_code == 404
    assert client.get(request.get_absolute_url()).status_code == 404
    ain = DepartementFactory(code="01", name="Ain", region=RegionFactory())
    client.force_login(role("magistrat", ain))
    assert client.get(request.get_absolute_url()).status_code == 404
    assert client.get(url, {"departement": "69"}).status_code == 404


def test_a_request_past_its_deadline_is_closed_and_its_sender_told_once(
    places, mailoutbox, django_capture_on_commit_callbacks
):
    first, _, managers = places
    judge = role("magistrat", first.structure.departement)
    request = ask(judge, [first])
    with django_capture_on_commit_callbacks(execute=True):
        assert close_expired_requests(now=request.answer_by - timedelta(minutes=1)) == 0
        assert close_expired_requests(now=request.answer_by + timedelta(minutes=1)) == 1
        assert close_expired_requests(now=request.answer_by + timedelta(hours=2)) == 0
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
    assert request.offers.get().status == OfferStatus.SUPERSEDED
    [told] = [m for m in mailoutbox if m.to == [judge.email]]
    assert "relancez une recherche" in told.body
    assert LogEntry.objects.filter(action="care.request_expired").count() == 1
    with pytest.raises(ValidationError):
        answer_offer(request.offers.get(), by=managers[first.pk], accept=True)


def test_the_hourly_command_reminds_and_closes_on_a_fixed_clock(places, capsys):
    first, _, _ = places
    request = ask(role("magistrat", first.structure.departement), [first])
    moment = (request.answer_by + timedelta(minutes=5)).isoformat()
    call_command("send_places_reminders", "--maintenant", moment)
    assert "demande de place close." in capsys.readouterr().out
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
