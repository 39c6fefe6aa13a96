from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from enfance.assemblies import services
from enfance.assemblies.enums import ApplicationStatus
from enfance.assemblies.models import College, Priority
from enfance.votes import services as votes
from enfance.votes.enums import Grade
from tests.assemblies.factories import InstanceFactory, fill, seat_directly, secretary_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _window():
    now = timezone.now()
    return {"opens_at": now - timedelta(minutes=1), "closes_at": now + timedelta(days=2)}


def test_cooptation_is_voted_by_the_members_and_leads_to_a_seat():
    instance = InstanceFactory()
    fill(instance, {"parents": 3})
    secretary = secretary_of(instance)
    applicant = UserFactory(first_name="Odile", last_name="Marchal")
    application = services.apply(
        instance,
        by=applicant,
        college=College.objects.get(code="parents"),
        motivation="Mère de trois enfants, je connais les services du quartier.",
    )
    with pytest.raises(ValidationError, match="retenue"):
        services.open_cooptation(application, by=secretary, **_window())
    services.shortlist(application, by=secretary)
    ballot = services.open_cooptation(application, by=secretary, **_window())
    assert ballot.context == instance
    # A candidate to the « parents » college: first name and initial, as on the public pages.
    assert ballot.title == "Cooptation de Odile M. au collège des parents"
    members = [m.user for m in instance.memberships.current()]
    assert set(ballot.electors.values_list("user_id", flat=True)) == {u.pk for u in members}
    for voter, choice in zip(members, ["pour", "pour", "contre", "pour"], strict=False):
        votes.cast_vote(ballot, by=voter, choice=choice)
    decided = services.conclude_cooptation(application, by=secretary)
    assert decided.status == ApplicationStatus.COOPTEE
    membership = services.seat_application(decided, by=secretary)
    assert membership.selection_method == "coopte"


def test_a_rejected_cooptation_is_not_retained(client):
    instance = InstanceFactory()
    fill(instance, {"parents": 2})
    secretary = secretary_of(instance)
    application = services.apply(
        instance,
        by=UserFactory(),
        college=College.objects.get(code="parents"),
        motivation="Je souhaite participer.",
    )
    services.shortlist(application, by=secretary)
    client.force_login(secretary)
    url = reverse("assemblies:cooptation", args=[instance.slug, application.pk])
    now = timezone.localtime()
    client.post(
        url,
        {
            "opens_at": (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    application.refresh_from_db()
    ballot = application.cooptation_ballot
    for membership in instance.memberships.current():
        votes.cast_vote(ballot, by=membership.user, choice="contre")
    page = client.get(reverse("assemblies:applications", args=[instance.slug]))
    assert b"INVALID_TEMPLATE_VARIABLE" not in page.content
    client.post(url)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.NON_RETENUE


def test_priorities_are_ranked_by_majority_judgment_and_shown(
    client, django_capture_on_commit_callbacks
):
    instance = InstanceFactory()
    fill(instance, {"parents": 3})
    secretary = secretary_of(instance)
    titles = ["Accueil en urgence", "Soutien aux parents", "Sortie de l'ASE"]
    for title in titles:
        services.add_priority(instance, by=secretary, title=title)
    with pytest.raises(ValidationError, match="figure déjà"):
        services.add_priority(instance, by=secretary, title="accueil en urgence")
    ranking = services.open_priority_ranking(instance, by=secretary, **_window())
    option_ids = {p: int(o) for o, p in ranking.options.items()}
    by_title = {p.title: option_ids[p.pk] for p in Priority.objects.filter(instance=instance)}
    grades = {
        "Accueil en urgence": Grade.BIEN,
        "Soutien aux parents": Grade.EXCELLENT,
        "Sortie de l'ASE": Grade.PASSABLE,
    }
    for membership in instance.memberships.current():
        votes.cast_vote(
            ranking.ballot,
            by=membership.user,
            choice={by_title[t]: g for t, g in grades.items()},
        )
    # The page is cached before the ranking closes: the closing must make it new.
    assert "mention majoritaire" not in client.get(instance.get_absolute_url()).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.close_priority_ranking(ranking, by=secretary)
    ranked = list(Priority.objects.filter(instance=instance).values_list("title", "rank"))
    assert ranked == [("Soutien aux parents", 1), ("Accueil en urgence", 2), ("Sortie de l'ASE", 3)]
    page = client.get(instance.get_absolute_url()).content.decode()
    assert page.index("Soutien aux parents") < page.index("Accueil en urgence")
    assert "mention majoritaire : Excellent" in page


def test_the_convocation_is_e_mailed_to_every_member(django_capture_on_commit_callbacks):
    instance = InstanceFactory()
    fill(instance, {"parents": 2})
    secretary = secretary_of(instance)
    meeting = services.schedule_meeting(
        instance,
        by=secretary,
        title="Séance de rentrée",
        starts_at=timezone.now() + timedelta(days=10),
        online_link="https://visio.exemple.fr/seance",
        agenda=["Bilan", "", "Calendrier"],
    )
    assert [i.title for i in meeting.agenda_items.all()] == ["Bilan", "Calendrier"]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.convene_meeting(meeting, by=secretary) == 3
    assert len(mail.outbox) == 3
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "1. Bilan" in mail.outbox[0].body and "visio.exemple.fr" in mail.outbox[0].body


def test_attendance_and_quorum(client):
    instance = InstanceFactory()
    fill(instance, {"parents": 4})
    secretary = secretary_of(instance)
    meeting = services.schedule_meeting(
        instance,
        by=secretary,
        title="Séance",
        starts_at=timezone.now() + timedelta(days=1),
        place="Mairie",
    )
    members = list(services.members_for_meeting(meeting))
    assert instance.quorum_for(len(members)) == 3
    client.force_login(secretary)
    url = reverse("assemblies:manage_meeting", args=[instance.slug, meeting.pk])
    client.post(url, {"action": "presences", "present": [m.pk for m in members[:2]]})
    assert "Le quorum n'est pas atteint." in client.get(url).content.decode()
    client.post(url, {"action": "presences", "present": [m.pk for m in members[:3]]})
    assert "Le quorum est atteint." in client.get(url).content.decode()
    outsider = seat_directly(InstanceFactory(), "parents")
    with pytest.raises(ValidationError):
        services.record_attendance(meeting, by=secretary, present={outsider.pk})
    instance.quorum_percent = 80
    assert instance.quorum_for(5) == 4


def test_a_child_outside_the_age_range_cannot_apply(client):
    instance = InstanceFactory()
    applicant = UserFactory()
    client.force_login(applicant)
    today = timezone.localdate()
    response = client.post(
        reverse("assemblies:apply", args=[instance.slug]),
        {
            "college": College.objects.get(code="enfants").pk,
            "motivation": "Je veux aider les autres jeunes.",
            "birth_date": today.replace(year=today.year - 11).isoformat(),
        },
    )
    page = response.content.decode()
    assert "accueille des membres de 12 à 17 ans" in page
    assert "Je veux aider les autres jeunes." in page
    assert not instance.applications.exists()
