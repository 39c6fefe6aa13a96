"""A SCIC's general assembly: convened by its supervising instance, its resolution voted by the
associates in their colleges through the votes engine, seen by them and the instance only."""

import html
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from enfance.care import cooperatives
from enfance.care.cooperatives import Entry
from enfance.votes import services as votes
from tests.assemblies.factories import InstanceFactory, secretary_of
from tests.factories import UserFactory

from .test_cooperatives import FOUNDED, siren

pytestmark = pytest.mark.django_db

COLLEGES = [("Salariés", 30), ("Familles", 40), ("Partenaires", 30)]


def _scic():
    instance = InstanceFactory()
    secretary = secretary_of(instance)
    found = cooperatives.register_cooperative(
        by=secretary,
        name="SCIC Grandir ensemble",
        siren=siren(),
        registered_on=FOUNDED,
        instance=instance,
        missions=["foyers"],
    )
    cooperatives.set_colleges(found, by=secretary, colleges=COLLEGES)
    colleges = {c.name: c for c in found.colleges.all()}
    people = {}
    for name, category, college, count in (
        ("salarié", "salaries", "Salariés", 4),
        ("famille", "beneficiaires", "Familles", 1),
        ("partenaire", "partenaires", "Partenaires", 1),
    ):
        for n in range(count):
            person = UserFactory(first_name=f"{name}{n}")
            cooperatives.add_associate(
                found,
                by=secretary,
                entry=Entry(
                    category=category,
                    name=person.first_name,
                    shares=1,
                    joined_on=FOUNDED,
                    user=person,
                    college=colleges[college],
                ),
            )
            people.setdefault(college, []).append(person)
    return found, secretary, people


def test_a_resolution_is_adopted_by_weighted_colleges(client, django_capture_on_commit_callbacks):
    scic, secretary, people = _scic()
    with pytest.raises(PermissionDenied):
        cooperatives.convene(
            scic,
            by=people["Salariés"][0],
            title="AG",
            held_on=timezone.localdate() + timedelta(days=20),
            agenda="1. Comptes",
        )
    with pytest.raises(ValidationError, match="ordre du jour"):
        cooperatives.convene(
            scic, by=secretary, title="AG", held_on=timezone.localdate(), agenda=" "
        )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assembly = cooperatives.convene(
            scic,
            by=secretary,
            title="Assemblée générale ordinaire 2026",
            held_on=timezone.localdate() + timedelta(days=20),
            agenda="1. Rapport d'activité\n2. Reprise du foyer des Tilleuls",
        )
    assert len(mail.outbox) == 6 and "Reprise du foyer" in mail.outbox[0].body
    now = timezone.now()
    ballot = cooperatives.propose_resolution(
        assembly,
        by=secretary,
        title="Reprise du foyer des Tilleuls",
        description="La SCIC reprend la gestion du foyer au 1er septembre.",
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(days=7),
    )
    assert ballot.method == "colleges" and ballot.college_weights == dict(COLLEGES)
    ballot = votes.open_with_its_electorate(ballot, by=secretary)
    for employee in people["Salariés"]:
        votes.cast_vote(ballot, by=employee, choice="contre")
    votes.cast_vote(ballot, by=people["Familles"][0], choice="pour")
    votes.cast_vote(ballot, by=people["Partenaires"][0], choice="pour")
    with pytest.raises(ValidationError, match="déjà voté"):
        votes.cast_vote(ballot, by=people["Familles"][0], choice="pour")
    with pytest.raises(PermissionDenied):
        votes.cast_vote(ballot, by=UserFactory(), choice="pour")
    result = votes.close_ballot(ballot, by=secretary, now=ballot.closes_at)
    assert result.data["adopted"] and result.data["pour_share"] == 70.0
    client.force_login(people["Familles"][0])
    page = html.unescape(client.get(assembly.get_absolute_url()).content.decode())
    assert "Reprise du foyer des Tilleuls" in page and "Familles 40 %" in page
    assert "Soumettre une résolution" not in page


def test_an_associate_who_left_no_longer_votes_and_outsiders_see_nothing(client):
    scic, secretary, people = _scic()
    assembly = cooperatives.convene(
        scic,
        by=secretary,
        title="AG",
        held_on=timezone.localdate() + timedelta(days=20),
        agenda="1. Comptes",
    )
    gone = people["Partenaires"][0]
    cooperatives.remove_associate(
        scic.associates.get(user=gone), by=secretary, left_on=timezone.localdate()
    )
    assert gone not in assembly.ballot_electorate()
    assert gone.pk not in assembly.ballot_colleges()
    for person in (gone, UserFactory()):
        client.force_login(person)
        assert client.get(assembly.get_absolute_url()).status_code == 404
    client.force_login(secretary)
    now = timezone.now()
    response = client.post(
        assembly.get_absolute_url(),
        {
            "title": "Comptes 2025",
            "opens_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    client.force_login(people["Salariés"][0])
    assert client.post(assembly.get_absolute_url(), {"title": "X"}).status_code == 403


def test_the_secretary_convenes_from_the_register(client):
    scic, secretary, _people = _scic()
    client.force_login(secretary)
    day = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = client.post(
        reverse("care:assembly_convene", args=[scic.pk]),
        {"title": "AG 2026", "held_on": day, "agenda": "1. Comptes"},
    )
    assembly = scic.assemblies.get()
    assert response.url == assembly.get_absolute_url()
    client.force_login(UserFactory())
    assert (
        client.post(
            reverse("care:assembly_convene", args=[scic.pk]),
            {"title": "AG", "held_on": day, "agenda": "x"},
        ).status_code
        == 403
    )
