from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enfance.care import services
from enfance.care.enums import AgeBand, PlaceType, StructureStatus
from enfance.care.models import DepartementParticipation, PlaceCategory, PlaceRequest, Structure
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, UserFactory

from .factories import CategoryFactory, StructureFactory, manager_of, role

pytestmark = pytest.mark.django_db


def _ok(response):
    assert response.status_code == 200
    assert b"INVALID_TEMPLATE_VARIABLE" not in response.content
    return response.content.decode()


@pytest.fixture
def rhone():
    departement = DepartementFactory()
    DepartementParticipation.objects.create(departement=departement, joined_on=date(2026, 11, 2))
    return departement


@pytest.fixture
def ain():
    """A neighbour of the Rhône."""
    return DepartementFactory(code="01", name="Ain", region=RegionFactory())


@pytest.fixture
def finistere():
    """Far from the Rhône."""
    return DepartementFactory(code="29", name="Finistère", region=RegionFactory())


def test_the_public_page_names_the_departements_that_take_part(client, rhone):
    page = _ok(client.get(reverse("care:home")))
    assert "Rhône (69)" in page and "2 novembre 2026" in page
    assert "Rechercher des places libres" not in page


def test_the_departements_services_enrol_it_from_the_public_page(client, ain):
    client.force_login(role("services_departement", ain))
    page = _ok(client.get(reverse("care:home")))
    assert "Ain ne participe pas encore" in page
    response = client.post(
        reverse("care:join"), {"departement": ain.pk, "joined_on": "2026-12-01"}, follow=True
    )
    assert "Le département Ain participe désormais." in _ok(response)
    assert DepartementParticipation.objects.filter(departement=ain).exists()


def test_a_manager_declares_their_structure_then_its_places_on_a_phone_page(client, rhone):
    CommuneFactory()
    manager = role("gestionnaire_structure", rhone)
    client.force_login(manager)
    response = client.post(
        reverse("care:structure_create"),
        {
            "name": "Foyer Les Cèdres",
            "kind": "mecs",
            "finess": "690780010",
            "commune": "Lyon (69003)",
            "authority": "departement",
            "authorised_on": "2014-06-01",
            "authorised_capacity": "24",
            "manager_kind": "association",
            "manager_name": "Association Les Cèdres",
            "age_min": "6",
            "age_max": "17",
            "takes_siblings": "on",
        },
    )
    structure = Structure.objects.get()
    assert response["Location"] == structure.get_absolute_url()
    assert structure.status == StructureStatus.PROPOSED
    response = client.post(
        reverse("care:category_add", args=[structure.pk]),
        {
            "place_type": PlaceType.INTERNAT,
            "age_band": AgeBand.TEENAGERS,
            "siblings": "on",
            "capacity": "12",
        },
    )
    category = PlaceCategory.objects.get()
    url = reverse("care:declare", args=[structure.pk])
    page = _ok(client.get(url))
    assert "Rien n'a changé" in page and "Jamais déclaré" in page
    response = client.post(url, {f"free_{category.pk}": "13"})
    assert "Au plus 12 places libres" in _ok(response)
    # Closed places lower what may be free.
    PlaceCategory.objects.filter(pk=category.pk).update(closed=11)
    response = client.post(url, {f"free_{category.pk}": "2"})
    assert "Au plus 1 place libre :" in _ok(response)
    PlaceCategory.objects.filter(pk=category.pk).update(closed=0)
    response = client.post(url, {f"free_{category.pk}": "2"}, follow=True)
    assert "les places libres sont à jour" in _ok(response)
    category.refresh_from_db()
    assert category.free == 2


def test_a_magistrate_finds_fresh_places_and_sees_stale_ones_as_unknown(
    client, rhone, django_assert_max_num_queries
):
    fresh = CategoryFactory(structure=StructureFactory(name="Foyer Les Cèdres"))
    stale = CategoryFactory(structure=StructureFactory(name="MECS Le Parc"))
    services.declare_places(
        fresh.structure, by=manager_of(fresh.structure), figures={fresh.pk: {"free": 2}}
    )
    services.declare_places(
        stale.structure,
        by=manager_of(stale.structure),
        figures={stale.pk: {"free": 5}},
        now=timezone.now() - timedelta(hours=25),
    )
    # A structure not yet validated is never offered.
    waiting = CategoryFactory(structure=StructureFactory(status=StructureStatus.PROPOSED))
    services.declare_places(
        waiting.structure, by=manager_of(waiting.structure), figures={waiting.pk: {"free": 3}}
    )
    client.force_login(role("magistrat", rhone))
    with django_assert_max_num_queries(15):
        page = _ok(client.get(reverse("care:search"), {"age_band": "13-17", "siblings": "on"}))
    assert "2 places libres déclarées récemment" in page
    available, unknown = page.split("Places inconnues")
    assert "Foyer Les Cèdres" in available and "MECS Le Parc" not in available
    assert "MECS Le Parc" in unknown and "Inconnu depuis" in unknown
    assert waiting.structure.name not in page
    _ok(client.get(fresh.structure.get_absolute_url()))


def test_nobody_outside_the_departement_and_its_neighbours_sees_its_places(
    client, rhone, ain, finistere
):
    category = CategoryFactory()
    structure = category.structure
    structure_pages = [
        structure.get_absolute_url(),
        reverse("care:declare", args=[structure.pk]),
        reverse("care:structure_edit", args=[structure.pk]),
    ]
    for outsider in (
        role("magistrat", finistere),
        role("services_departement", finistere),
        role("gestionnaire_structure", rhone),
    ):
        client.force_login(outsider)
        for url in structure_pages:
            assert client.get(url).status_code == 404, (outsider, url)
    # A magistrate next door reads the record their searches show, and changes nothing.
    client.force_login(role("magistrat", ain))
    _ok(client.get(structure.get_absolute_url()))
    for url in structure_pages[1:]:
        assert client.get(url).status_code in (403, 404), url
    assert client.get(reverse("care:search"), {"departement": "69"}).status_code == 404
    client.force_login(UserFactory())
    assert client.get(reverse("care:search")).status_code == 403
    assert client.get(reverse("care:structures")).status_code == 403
    client.logout()
    response = client.get(reverse("care:search"))
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]


def test_a_magistrate_reads_a_structure_but_neither_edits_nor_declares(client, rhone):
    category = CategoryFactory()
    client.force_login(role("magistrat", rhone))
    page = _ok(client.get(category.structure.get_absolute_url()))
    assert "Mettre à jour les places libres" not in page and "Modifier la fiche" not in page
    assert client.get(reverse("care:declare", args=[category.structure.pk])).status_code == 403


def test_the_services_validate_a_structure_and_name_its_manager(client, rhone):
    structure = StructureFactory(status=StructureStatus.PROPOSED)
    services_user = role("services_departement", rhone)
    client.force_login(services_user)
    page = _ok(client.get(structure.get_absolute_url()))
    assert "Valider la structure" in page
    client.post(reverse("care:structure_validate", args=[structure.pk]))
    structure.refresh_from_db()
    assert structure.status == StructureStatus.VALIDATED
    person = role("gestionnaire_structure", rhone, email="directrice@cedres.exemple.fr")
    response = client.post(
        reverse("care:manager_add", args=[structure.pk]), {"email": person.email}, follow=True
    )
    assert "Le gestionnaire est nommé." in _ok(response)
    citizen = UserFactory()
    response = client.post(
        reverse("care:manager_add", args=[structure.pk]), {"email": citizen.email}, follow=True
    )
    assert "pas le rôle de gestionnaire" in _ok(response)


def test_the_list_of_structures_is_paginated_and_filtered(client, rhone):
    for _ in range(27):
        StructureFactory()
    StructureFactory(status=StructureStatus.PROPOSED, name="Lieu de vie en attente")
    client.force_login(role("services_departement", rhone))
    page = _ok(client.get(reverse("care:structures")))
    assert "28 structures" in page and "Page suivante" in page
    page = _ok(client.get(reverse("care:structures"), {"etat": "proposee"}))
    assert "1 structure" in page and "Lieu de vie en attente" in page


def test_the_pages_of_a_structure_ask_a_bounded_number_of_queries(
    client, rhone, django_assert_max_num_queries
):
    structure = StructureFactory()
    manager = manager_of(structure)
    for band in ("0-2", "3-5", "6-12", "13-17", "18-20"):
        category = CategoryFactory(structure=structure, age_band=band, capacity=4)
        services.declare_places(structure, by=manager, figures={category.pk: {"free": 1}})
    client.force_login(manager)
    for url in (
        structure.get_absolute_url(),
        reverse("care:declare", args=[structure.pk]),
        reverse("care:structures"),
        reverse("care:home"),
    ):
        with django_assert_max_num_queries(15):
            _ok(client.get(url))


def test_the_shared_search_results_follow_every_declaration(
    client, rhone, django_capture_on_commit_callbacks
):
    category = CategoryFactory(structure=StructureFactory(name="Foyer Les Cèdres"))
    manager = manager_of(category.structure)
    client.force_login(role("magistrat", rhone))
    url = reverse("care:search")
    assert "Foyer Les Cèdres" in _ok(client.get(url))  # never declared: listed as unknown
    assert "0 place libre déclarée récemment" in _ok(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        services.declare_places(category.structure, by=manager, figures={category.pk: {"free": 3}})
    assert "3 places libres déclarées récemment" in _ok(client.get(url))
    with django_capture_on_commit_callbacks(execute=True):
        services.declare_places(category.structure, by=manager, figures={category.pk: {"free": 0}})
    assert "0 place libre déclarée récemment" in _ok(client.get(url))


def test_a_search_looks_next_door_too_the_nearest_first_with_a_map_and_its_table(
    client, rhone, ain, finistere, django_assert_max_num_queries
):
    """A magistrate of the Ain finds the Ain's places first, then those of the Rhône (a
    neighbour that takes part), never those of the Finistère; a request may go next door."""
    DepartementParticipation.objects.create(departement=ain, joined_on=date(2026, 11, 20))
    DepartementParticipation.objects.create(departement=finistere, joined_on=date(2026, 11, 20))
    bourg = CommuneFactory(code="01053", name="Bourg-en-Bresse", departement=ain)
    brest = CommuneFactory(code="29019", name="Brest", departement=finistere)
    own = CategoryFactory(structure=StructureFactory(name="Foyer de Bourg", commune=bourg))
    next_door = CategoryFactory(structure=StructureFactory(name="Foyer de Lyon"))
    far = CategoryFactory(structure=StructureFactory(name="Foyer de Brest", commune=brest))
    # The Rhône's figure is the most recent: the distance orders first all the same.
    for category, free in ((far, 5), (own, 1), (next_door, 3)):
        services.declare_places(
            category.structure,
            by=manager_of(category.structure),
            figures={category.pk: {"free": free}},
        )
    judge = role("magistrat", ain)
    client.force_login(judge)
    with django_assert_max_num_queries(15):
        page = _ok(client.get(reverse("care:search"), {"age_band": "13-17"}))
    assert "4 places libres déclarées récemment" in page
    assert page.index("Foyer de Bourg") < page.index("Foyer de Lyon")
    assert "Foyer de Brest" not in page
    assert "Carte en tuiles des places libres" in page
    assert 'Rhône (69)</th><td class="fr-cell--right">environ 59 km' in page
    alone = _ok(client.get(reverse("care:search"), {"age_band": "13-17", "zone": "departement"}))
    assert "Foyer de Lyon" not in alone and "Carte en tuiles" not in alone
    # The request form offers the Rhône's places, and sends a request there.
    url = reverse("care:request_create")
    form = _ok(client.get(url, {"place_type": "internat", "age_band": "13-17"}))
    assert "Foyer de Lyon (Lyon, Rhône, environ 59 km)" in form
    response = client.post(
        url,
        {
            "place_type": "internat",
            "age_band": "13-17",
            "children": "1",
            "wished_on": timezone.localdate().isoformat(),
            "needs": "",
            "categorie": [str(next_door.pk), str(far.pk)],
        },
    )
    assert response.status_code == 302
    sent = PlaceRequest.objects.get(departement=ain)
    assert [offer.structure.name for offer in sent.offers.all()] == ["Foyer de Lyon"]
