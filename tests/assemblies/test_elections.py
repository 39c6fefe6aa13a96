"""Members of a college elected at an atelier by majority judgment, then seated."""

import html
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from enfance.assemblies import services
from enfance.assemblies.enums import ApplicationStatus
from enfance.assemblies.models import Application, CollegeElection, Membership
from enfance.events import services as events
from enfance.votes import services as votes
from enfance.votes.enums import Grade
from tests.assemblies.factories import MINIMUM, InstanceFactory, college, fill, secretary_of
from tests.events.factories import EventFactory, paris
from tests.factories import CommuneFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    """An instance of the Rhône with 3 parents (3 seats free), a secretary, 3 shortlisted
    parent applications and an atelier in Lyon today where 4 people were present."""
    lyon = CommuneFactory()
    instance = InstanceFactory(departement=lyon.departement)
    fill(instance, {**MINIMUM, "parents": 3})
    secretary = secretary_of(instance)
    applicants = [UserFactory(first_name=name, commune=lyon) for name in ("Inès", "Marc", "Zoé")]
    applications = []
    for person in applicants:
        application = services.apply(
            instance, by=person, college=college("parents"), motivation="Je m'engage."
        )
        applications.append(services.shortlist(application, by=secretary))
    atelier = EventFactory(commune=lyon, starts_at=paris(0, 0, 1), capacity=10)
    host = atelier.hosts.get()
    voters = [UserFactory(commune=lyon) for _ in range(4)]
    before = atelier.starts_at - timedelta(days=1)
    registrations = [events.register(atelier, by=v, now=before) for v in voters]
    events.record_attendance(atelier, by=host, present_ids=[r.pk for r in registrations])
    return instance, secretary, applications, atelier, voters


def _open(instance, secretary, atelier):
    now = timezone.now()
    return events.open_college_election(
        instance,
        by=secretary,
        college=college("parents"),
        event=atelier,
        opens_at=now - timedelta(minutes=1),
        closes_at=now + timedelta(hours=2),
    )


def _grades(election, by_name):
    return {
        int(option_id): by_name[Application.objects.get(pk=application_id).applicant.first_name]
        for option_id, application_id in election.options.items()
    }


def test_attendees_elect_the_best_ranked_who_become_members(setting):
    instance, secretary, _, atelier, voters = setting
    election = _open(instance, secretary, atelier)
    assert election.seats == 3
    grades = {"Inès": Grade.EXCELLENT, "Marc": Grade.BIEN, "Zoé": Grade.A_REJETER}
    for voter in voters:
        votes.cast_vote(election.ballot, by=voter, choice=_grades(election, grades))

    seated = services.conclude_college_election(election, by=secretary)

    assert {m.user.first_name for m in seated} == {"Inès", "Marc"}
    assert Membership.objects.filter(instance=instance, seat__college__code="parents").count() == 5
    statuses = dict(Application.objects.values_list("applicant__first_name", "status"))
    assert statuses == {
        "Inès": ApplicationStatus.MEMBRE,
        "Marc": ApplicationStatus.MEMBRE,
        "Zoé": ApplicationStatus.RETENUE,
    }
    instance.refresh_from_db()
    assert instance.status == "constituee"
    with pytest.raises(ValidationError, match="déjà conclue"):
        services.conclude_college_election(election, by=secretary)


def test_only_attendees_vote(setting):
    instance, secretary, _, atelier, _ = setting
    election = _open(instance, secretary, atelier)
    with pytest.raises((PermissionDenied, ValidationError)):
        votes.cast_vote(
            election.ballot,
            by=UserFactory(),
            choice=_grades(election, dict.fromkeys(("Inès", "Marc", "Zoé"), Grade.BIEN)),
        )


def test_ties_for_the_last_seat_seat_nobody_of_the_tie(setting):
    instance, secretary, _, atelier, voters = setting
    election = _open(instance, secretary, atelier)
    election.seats = 1
    election.save(update_fields=["seats"])
    same = dict.fromkeys(("Inès", "Marc", "Zoé"), Grade.BIEN)
    for voter in voters:
        votes.cast_vote(election.ballot, by=voter, choice=_grades(election, same))
    assert services.conclude_college_election(election, by=secretary) == []


def test_an_election_needs_an_atelier_of_the_departement(setting):
    instance, secretary, _, _, _ = setting
    elsewhere = EventFactory()
    elsewhere.departement = InstanceFactory(
        departement__code="33", departement__name="Gironde"
    ).departement
    elsewhere.save(update_fields=["departement"])
    with pytest.raises(ValidationError, match="département de l'instance"):
        _open(instance, secretary, elsewhere)


def test_an_election_needs_people_marked_present(setting):
    instance, secretary, _, _, _ = setting
    empty = EventFactory(commune=CommuneFactory(), starts_at=paris(1))
    with pytest.raises(ValidationError, match=r"noté présent"):
        _open(instance, secretary, empty)


def test_another_instance_secretary_cannot_organise_it(setting):
    instance, _, _, atelier, _ = setting
    other = InstanceFactory(departement=instance.departement)
    fill(other)
    with pytest.raises(PermissionDenied):
        _open(instance, secretary_of(other), atelier)


def test_the_elections_page_opens_and_concludes(client, setting):
    instance, secretary, _, atelier, voters = setting
    client.force_login(secretary)
    page = client.get(f"/instances/{instance.slug}/gestion/elections/")
    assert page.status_code == 200 and "Aucune élection pour le moment." in page.content.decode()
    now = timezone.localtime()
    response = client.post(
        f"/instances/{instance.slug}/gestion/elections/",
        {
            "college": college("parents").pk,
            "event": atelier.pk,
            "opens_at": (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
        follow=True,
    )
    assert "L'élection est ouverte aux personnes présentes." in html.unescape(
        response.content.decode()
    )
    election = instance.elections.get()
    grades = {"Inès": Grade.EXCELLENT, "Marc": Grade.BIEN, "Zoé": Grade.PASSABLE}
    for voter in voters:
        votes.cast_vote(election.ballot, by=voter, choice=_grades(election, grades))
    response = client.post(
        f"/instances/{instance.slug}/gestion/elections/{election.pk}/conclure", follow=True
    )
    assert "3 personnes installées au collège des parents" in response.content.decode()


def test_the_elections_page_is_refused_to_others(client, setting):
    instance, *_ = setting
    client.force_login(UserFactory())
    assert client.get(f"/instances/{instance.slug}/gestion/elections/").status_code == 403


def test_a_second_election_for_the_same_college_is_refused(setting):
    instance, secretary, _, atelier, _ = setting
    _open(instance, secretary, atelier)
    with pytest.raises(ValidationError, match="déjà en cours"):
        _open(instance, secretary, atelier)


def test_the_database_refuses_two_open_elections_for_a_college(setting):
    instance, secretary, _, atelier, _ = setting
    election = _open(instance, secretary, atelier)
    other = _open_ballot_only(instance, secretary, atelier)
    with pytest.raises(IntegrityError), transaction.atomic():
        CollegeElection.objects.create(
            instance=instance,
            college=election.college,
            event=atelier,
            ballot=other,
            seats=1,
            options={},
        )


def _open_ballot_only(instance, secretary, atelier):
    now = timezone.now()
    return votes.create_ballot(
        atelier,
        by=secretary,
        title="Autre",
        method="majority_judgment",
        opens_at=now,
        closes_at=now + timedelta(hours=1),
        options=["A", "B"],
    )


def test_candidates_who_would_read_alike_on_a_ballot_are_told_apart():
    def candidacy(first, last, code, *, full_name=False):
        applicant = UserFactory.build(
            first_name=first, last_name=last, full_name_in_instances=full_name
        )
        return Application(college=college("parents"), applicant=applicant, public_code=code)

    labels = Application.ballot_labels(
        [
            candidacy("Marie", "Dubreuil", "K7P2Q"),
            candidacy("Marie", "Delmas", "M3R8T"),
            candidacy("Karim", "Benali", "B4N6W"),
            candidacy("Odile", "Marchal", "C9D2F", full_name=True),
        ]
    )
    assert labels == ["Marie D. (K7P2Q)", "Marie D. (M3R8T)", "Karim B.", "Odile Marchal"]
