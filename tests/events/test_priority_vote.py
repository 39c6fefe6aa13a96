"""The people present at an atelier rank the needs of their territory by majority judgment."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from enfance.events import services
from enfance.votes import services as votes
from enfance.votes.enums import Grade
from tests.factories import UserFactory

from .factories import EventFactory, paris

pytestmark = pytest.mark.django_db


@pytest.fixture
def atelier_with_attendees():
    atelier = EventFactory(starts_at=paris(0, 0, 1))
    host = atelier.hosts.get()
    before = atelier.starts_at - timedelta(days=1)
    people = [UserFactory(commune=atelier.commune) for _ in range(3)]
    registrations = [services.register(atelier, by=p, now=before) for p in people]
    services.record_attendance(atelier, by=host, present_ids=[r.pk for r in registrations])
    return atelier, host, people


def _open(atelier, host, priorities):
    now = timezone.now()
    return services.open_priority_vote(
        atelier,
        by=host,
        priorities=priorities,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(hours=1),
    )


def test_attendees_rank_the_needs_and_the_result_is_on_the_ballot(atelier_with_attendees):
    atelier, host, people = atelier_with_attendees
    ballot = _open(
        atelier, host, ["Accueil d'urgence", "Soutien aux parents", "  ", "Accueil d'urgence"]
    )
    options = {o.label: o.pk for o in ballot.options.all()}
    assert sorted(options) == ["Accueil d'urgence", "Soutien aux parents"]
    for person in people:
        votes.cast_vote(
            ballot,
            by=person,
            choice={
                options["Soutien aux parents"]: Grade.EXCELLENT,
                options["Accueil d'urgence"]: Grade.PASSABLE,
            },
        )
    result = votes.close_ballot(ballot, by=host)
    assert result.ranking[0] == [options["Soutien aux parents"]]


def test_the_ranking_needs_two_needs_and_attendees(atelier_with_attendees):
    atelier, host, _ = atelier_with_attendees
    with pytest.raises(ValidationError, match="au moins deux"):
        _open(atelier, host, ["Un seul besoin"])
    empty = EventFactory(starts_at=paris(0, 0, 1))
    with pytest.raises(ValidationError, match="noté présent"):
        _open(empty, empty.hosts.get(), ["A", "B"])


def test_only_the_hosts_open_it(atelier_with_attendees):
    atelier, _, people = atelier_with_attendees
    with pytest.raises(PermissionDenied):
        _open(atelier, people[0], ["A", "B"])


def test_the_page_opens_the_vote_and_refuses_others(client, atelier_with_attendees):
    atelier, host, people = atelier_with_attendees
    url = f"/agenda/{atelier.pk}/priorites/"
    client.force_login(people[0])
    assert client.get(url).status_code == 403
    client.force_login(host)
    now = timezone.localtime()
    form = {
        "priorities": "Accueil d'urgence\nSoutien aux parents",
        "opens_at": (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    bad = html.unescape(client.post(url, {**form, "priorities": "Un seul"}).content.decode())
    assert "Indiquez au moins deux besoins" in bad and "Un seul" in bad
    response = client.post(url, form, follow=True)
    assert "Le vote est ouvert aux personnes présentes." in html.unescape(response.content.decode())


def test_the_atelier_page_links_to_the_ranking_once_closed(client, atelier_with_attendees):
    atelier, host, _ = atelier_with_attendees
    ballot = _open(atelier, host, ["A", "B"])
    assert "résultat et classement" not in client.get(f"/agenda/{atelier.pk}/").content.decode()
    votes.close_ballot(ballot, by=host)
    page = client.get(f"/agenda/{atelier.pk}/").content.decode()
    assert f'href="/votes/{ballot.pk}/resultats/">résultat et classement' in page
