"""« Trouver mon instance »: from a postal code or a commune's name (accents ignored), the
instance of that territory or those in creation, the next forum or atelier there, how to join."""

import pytest
from django.urls import reverse

from enfance.assemblies.enums import InstanceStatus
from enfance.events.enums import EventKind, EventStatus
from tests.assemblies.factories import InstanceFactory
from tests.events.factories import EventFactory, LiveFactory, paris
from tests.factories import CommuneFactory, DepartementFactory

pytestmark = pytest.mark.django_db
URL = reverse("instance_events:find")


@pytest.fixture
def saint_etienne():
    loire = DepartementFactory(code="42", name="Loire")
    return CommuneFactory(
        code="42218", name="Saint-Étienne", departement=loire, postal_codes="42000 42100"
    )


def test_the_page_invites_to_type(client):
    html = client.get(URL).content.decode()
    assert "Commune ou code postal" in html


def test_by_postal_code_a_visitor_finds_their_instance_and_the_next_atelier(client, saint_etienne):
    instance = InstanceFactory(
        name="Instance de la Loire", departement=saint_etienne.departement, status="active"
    )
    atelier = EventFactory(title="Atelier de Saint-Étienne", commune=saint_etienne)
    EventFactory(title="Atelier annulé", commune=saint_etienne, status=EventStatus.CANCELLED)
    EventFactory(title="Atelier ailleurs")
    html = client.get(URL, {"q": "42100"}).content.decode()
    assert "Saint-Étienne (42000), Loire" in html
    assert instance.get_absolute_url() in html
    assert reverse("assemblies:apply", args=[instance.slug]) in html
    assert atelier.title in html and atelier.get_absolute_url() in html
    assert "Atelier annulé" not in html and "Atelier ailleurs" not in html
    assert reverse("events:propose") in html


def test_by_name_without_accents_the_instances_in_creation_of_the_departement(
    client, saint_etienne
):
    loire = saint_etienne.departement
    in_creation = InstanceFactory(name="Instance du Forez", departement=loire)
    elsewhere = CommuneFactory(departement=loire)
    bassin = InstanceFactory(name="Instance du Roannais", departement=loire, status="active")
    bassin.communes.add(elsewhere)
    InstanceFactory(name="Instance dissoute", departement=loire, status=InstanceStatus.DISSOUTE)
    html = client.get(URL, {"q": "saint etienne"}).content.decode()
    assert "Des instances en création dans le département" in html
    assert in_creation.get_absolute_url() in html
    # Constituted, but for other communes of the département.
    assert "Instance du Roannais" not in html
    assert "Instance dissoute" not in html
    assert "Aucun forum ni atelier n'est annoncé dans le département" in html


def test_a_departement_without_instance_says_how_to_start_one(client, saint_etienne):
    LiveFactory(starts_at=paris(3))
    html = client.get(URL, {"q": "Saint-Etienne"}).content.decode()
    assert "Il n'y a pas encore d'instance dans ce département" in html
    assert reverse("events:propose") in html


def test_an_ambiguous_or_unknown_query_offers_choices(client, saint_etienne):
    CommuneFactory(name="Saint-Étienne-de-Tinée", postal_codes="06660")
    html = client.get(URL, {"q": "saint et"}).content.decode()
    assert "Est-ce l'une de ces communes ?" in html
    assert "Saint-Étienne (42000)" in html
    response = client.get(URL, {"q": "Zzzville"})
    assert response.status_code == 200
    assert "Nous ne trouvons pas de commune" in response.content.decode()


@pytest.mark.parametrize("query", ["x" * 10_000, "🧒 & 👪", "%", "42"])
def test_any_input_is_answered(client, query):
    assert client.get(URL, {"q": query}).status_code == 200


def test_the_forum_kind_is_shown_too(client, saint_etienne):
    forum = EventFactory(
        title="Forum ouvert de la Loire", kind=EventKind.FORUM, commune=saint_etienne
    )
    assert forum.title in client.get(URL, {"q": "42000"}).content.decode()
