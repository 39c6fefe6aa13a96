"""The living home page (core.home, filled by the modules' home.py) and the platform's search."""

import html
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from enfance.assemblies.enums import InstanceStatus
from enfance.events.enums import EventKind, EventStatus
from enfance.petitions import services as petition_services
from enfance.practices.enums import PracticeState
from enfance.practices.library import index_practice
from enfance.proposals import services as proposal_services
from enfance.proposals.enums import ProposalState
from tests.assemblies.factories import InstanceFactory
from tests.events.factories import EventFactory, gironde_commune, paris
from tests.factories import UserFactory
from tests.petitions.factories import PetitionFactory, SignatureFactory
from tests.practices.factories import PracticeFactory
from tests.proposals.factories import ProposalFactory, published
from tests.texts.factories import charter, law_proposal

pytestmark = pytest.mark.django_db
HOME = "/"
# A signed-in person: session, user and roles; the petition and its counts (3); the territories
# of the header (1); their département, its events then the others (3); proposals (the token and
# two lists); instances (one aggregate).
HOME_MAX_QUERIES = 14


def test_empty_home_says_so_in_plain_french(client):
    html = client.get(HOME).content.decode()
    assert "Aucune pétition n'est ouverte pour le moment" in html
    assert "Aucun forum ni atelier n'est annoncé pour le moment" in html
    assert "Aucune proposition n'est encore publiée" in html
    assert "Aucune instance locale n'existe encore" in html
    assert "Trouver mon instance" in html
    assert f'action="{reverse("core:search")}"' in html


def test_every_card_of_the_home_page_is_a_link(client):
    html = client.get(HOME).content.decode()
    assert f'<a href="{reverse("core:opendata")}">Une démarche transparente</a>' in html


def test_home_shows_each_section_with_data(client):
    petition = PetitionFactory(title="Adoptons le ministère")
    signature = SignatureFactory(petition=petition)
    petition_services.confirm(signature)
    event = EventFactory(title="Atelier des familles de Bordeaux", commune=gironde_commune())
    EventFactory(title="Atelier annulé", status=EventStatus.CANCELLED)
    EventFactory(title="Atelier passé", starts_at=paris(-3))
    ProposalFactory(title="Proposition récente")
    ProposalFactory(title="Proposition soutenue", support_count=12)
    ProposalFactory(title="Brouillon secret", state=ProposalState.DRAFT, published_at=None)
    InstanceFactory(status=InstanceStatus.ACTIVE)
    InstanceFactory(status=InstanceStatus.EN_CREATION)
    InstanceFactory(status=InstanceStatus.EN_CREATION)
    html = client.get(HOME).content.decode()
    assert "Adoptons le ministère" in html
    assert "1 signature</strong>" in html
    assert event.title in html and event.get_absolute_url() in html
    assert "Atelier annulé" not in html and "Atelier passé" not in html
    assert "Proposition récente" in html
    assert "12 soutiens" in html
    assert "Brouillon secret" not in html
    assert "1 instance constituée" in html
    assert "2 instances en création" in html
    for list_url in ("events:calendar", "proposals:list", "assemblies:list", "petitions:detail"):
        assert reverse(list_url) in html


def test_a_signed_in_person_sees_the_events_of_their_departement_first(client):
    commune = gironde_commune()
    far = EventFactory(title="Atelier lointain", starts_at=paris(2))
    near = EventFactory(title="Atelier girondin", commune=commune, starts_at=paris(20))
    person = UserFactory(commune=commune)
    client.force_login(person)
    html = client.get(HOME).content.decode()
    assert "Gironde d'abord" in html
    assert html.index(near.title) < html.index(far.title)


def test_the_cached_page_shows_a_new_proposal_event_signature_and_instance(
    client, django_capture_on_commit_callbacks
):
    petition = PetitionFactory()
    assert "Aucune proposition n'est encore publiée" in client.get(HOME).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        published(title="Ouvrir des maisons des familles")
        EventFactory(title="Forum de printemps", kind=EventKind.FORUM)
        InstanceFactory(status=InstanceStatus.CONSTITUEE)
        petition_services.confirm(SignatureFactory(petition=petition))
    html = client.get(HOME).content.decode()
    assert "Ouvrir des maisons des familles" in html
    assert "Forum de printemps" in html
    assert "1 instance constituée" in html
    assert "1 signature</strong>" in html


def test_home_queries_are_capped(client, django_assert_max_num_queries):
    petition = PetitionFactory()
    for _ in range(3):
        petition_services.confirm(SignatureFactory(petition=petition))
    EventFactory.create_batch(6)
    ProposalFactory.create_batch(6, support_count=3)
    InstanceFactory.create_batch(3, status=InstanceStatus.ACTIVE)
    person = UserFactory(commune=gironde_commune())
    client.force_login(person)
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        assert client.get(HOME).status_code == 200


# --- The search page -----------------------------------------------------------------------


def test_search_without_words_invites_to_type(client):
    response = client.get(reverse("core:search"))
    assert response.status_code == 200
    assert "Saisissez quelques mots" in response.content.decode()


@pytest.mark.parametrize("query", ["x" * 10_000, "🧒 & 👪", "&", "% _ ' \" OR NEAR(", "le la les"])
def test_search_answers_any_input(client, query):
    response = client.get(reverse("core:search"), {"q": query})
    assert response.status_code == 200


def test_search_finds_public_proposals_and_practices_only(client):
    found = published(title="Maisons des familles dans chaque canton")
    proposal_services.create_proposal(
        by=UserFactory(),
        title="Maisons des familles cachées",
        problem="Un brouillon.",
        body="Un brouillon.",
        expected_effect="Aucun.",
    )
    practice = PracticeFactory(title="Maison des familles de Pessac")
    index_practice(practice)
    hidden = PracticeFactory(title="Maison des familles en attente", state=PracticeState.SUBMITTED)
    index_practice(hidden)
    html = client.get(reverse("core:search"), {"q": "maison familles"}).content.decode()
    assert found.title in html and found.get_absolute_url() in html
    assert practice.title in html and practice.get_absolute_url() in html
    assert "cachées" not in html and "en attente" not in html
    assert f"{reverse('proposals:list')}?q=maison+familles" in html
    assert f"{reverse('practices:library')}?q=maison+familles" in html


def test_search_finds_instances_and_public_events_by_their_words(client):
    listed = InstanceFactory(name="Instance du Val de Saône", status=InstanceStatus.ACTIVE)
    dissolved = InstanceFactory(name="Instance dissoute de Saône", status=InstanceStatus.DISSOUTE)
    forum = EventFactory(kind=EventKind.FORUM, title="Forum ouvert des familles de Saône")
    members_only = EventFactory(kind=EventKind.GROUPE, title="Groupe de parole de Saône")
    proposed = EventFactory(title="Atelier proposé de Saône", status=EventStatus.PROPOSED)
    html = client.get(reverse("core:search"), {"q": "saone"}).content.decode()
    assert listed.get_absolute_url() in html and forum.get_absolute_url() in html
    for hidden in (dissolved, members_only, proposed):
        assert hidden.get_absolute_url() not in html
    # A renamed instance is found by its new name only.
    listed.name = "Instance des Monts du Lyonnais"
    listed.save()
    html = client.get(reverse("core:search"), {"q": "saone"}).content.decode()
    assert listed.get_absolute_url() not in html
    html = client.get(reverse("core:search"), {"q": "monts lyonnais"}).content.decode()
    assert listed.get_absolute_url() in html


def test_search_finds_the_charter_and_the_law_proposals(client, admin_national):
    text = charter(admin_national)
    law = law_proposal(admin_national, title="Proposition de loi relative au contrôle des foyers")
    found = html.unescape(client.get(reverse("core:search"), {"q": "charte"}).content.decode())
    assert text.get_absolute_url() in found and law.get_absolute_url() not in found
    found = client.get(reverse("core:search"), {"q": "controle foyers"}).content.decode()
    assert law.get_absolute_url() in found and text.get_absolute_url() not in found


def test_search_without_results_says_so(client):
    html = client.get(reverse("core:search"), {"q": "zzzzqqq"}).content.decode()
    assert "Aucun résultat pour « zzzzqqq »" in html


def test_upcoming_events_soon_past_leave_the_home_page(client):
    EventFactory(
        title="Atelier de ce matin",
        starts_at=timezone.now() - timedelta(hours=3),
        ends_at=timezone.now() - timedelta(hours=1),
    )
    assert "Atelier de ce matin" not in client.get(HOME).content.decode()


def test_search_reads_each_source_once_whatever_it_finds(client, django_assert_max_num_queries):
    # Several matches in every source: a query per row would show in the count.
    for n in range(4):
        InstanceFactory(name=f"Instance du Val de Saône {n}", status=InstanceStatus.ACTIVE)
        EventFactory(kind=EventKind.FORUM, title=f"Forum des familles de Saône {n}")
        published(title=f"Maisons des familles de Saône {n}")
        index_practice(PracticeFactory(title=f"Maison des familles de Saône {n}"))
    # One search per source (instances, events, proposals, practices, texts), never one per
    # result.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("core:search"), {"q": "saone"})
    assert html.unescape(response.content.decode()).count("Saône") >= 12
