"""Groupes de parole: opened by a professional in their territory, joined by accepting the
charter, sessions seen and attended by members only (the events machinery), announcements from
the facilitator, a member removed with the reason, the group closed; each page from the wrong
side too."""

import html
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from enfance.assemblies.models import ChildProfile
from enfance.events import services as events
from enfance.events.models import Event
from enfance.support import groups
from enfance.support.models import GroupMembership
from tests.factories import CommuneFactory, DepartementFactory, UserFactory

from .factories import professional

pytestmark = pytest.mark.django_db


def _page(response):
    assert response.status_code == 200
    assert b"INVALID_TEMPLATE_VARIABLE" not in response.content
    return html.unescape(response.content.decode())


@pytest.fixture
def rhone():
    return DepartementFactory()


@pytest.fixture
def facilitator(rhone):
    return professional(rhone, first_name="Nadia", last_name="Benali")


@pytest.fixture
def group(facilitator, rhone):
    return groups.create_group(
        by=facilitator,
        title="Parents d'enfants placés",
        theme="placement",
        departement=rhone,
        description="Une séance par mois, en soirée.",
    )


def _session(group, facilitator, *, capacity=8, days=7, **where):
    start = timezone.now() + timedelta(days=days)
    where = where or {"place": "Maison des familles, salle 2", "commune": None}
    return groups.schedule_session(
        group,
        by=facilitator,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        capacity=capacity,
        **where,
    ).event


def _member(group, **fields):
    person = UserFactory(**fields)
    groups.join(group, by=person, charter_accepted=True)
    return person


def test_a_professional_opens_a_group_in_the_territory_of_their_role_only(client, rhone):
    jurist = professional(rhone)
    elsewhere = DepartementFactory(code="33", name="Gironde")
    with pytest.raises(PermissionDenied, match="ne couvre pas"):
        groups.create_group(
            by=jurist, title="G", theme="placement", departement=elsewhere, description="D"
        )
    with pytest.raises(PermissionDenied):
        groups.create_group(
            by=UserFactory(), title="G", theme="placement", departement=rhone, description="D"
        )
    client.force_login(UserFactory())
    assert client.get(reverse("support:group_new")).status_code == 403
    client.force_login(jurist)
    refused = client.post(
        reverse("support:group_new"),
        {"title": "", "theme": "placement", "departement": rhone.pk, "description": "D"},
    )
    assert "Ce champ est obligatoire" in _page(refused) or "Donnez un nom" in _page(refused)
    created = client.post(
        reverse("support:group_new"),
        {
            "title": "Grands-parents",
            "theme": "relation_ase",
            "departement": rhone.pk,
            "description": "Pour les grands-parents.",
        },
    )
    assert created.status_code == 302
    assert "Grands-parents" in _page(client.get(reverse("support:groups")))


def test_joining_asks_the_charter_and_tells_the_member_and_the_facilitator(
    client, group, facilitator, django_capture_on_commit_callbacks
):
    visitor_page = _page(client.get(group.get_absolute_url()))
    assert "Ce qui se dit dans le groupe reste dans le groupe" in visitor_page
    assert "Se connecter pour rejoindre" in visitor_page
    assert client.post(reverse("support:group_join", args=[group.pk])).status_code == 302
    assert not GroupMembership.objects.exists()  # the login page, nothing recorded
    parent = UserFactory()
    client.force_login(parent)
    response = client.post(reverse("support:group_join", args=[group.pk]), follow=True)
    assert "acceptez la charte" in _page(response)
    assert not GroupMembership.objects.exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("support:group_join", args=[group.pk]), {"charter": "on"}, follow=True
        )
    assert "Vous êtes membre" in _page(response)
    assert GroupMembership.objects.get().charter_version == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([parent.email, facilitator.email])
    with pytest.raises(PermissionDenied, match="déjà membre"):
        groups.join(group, by=parent, charter_accepted=True)


def test_sessions_announcements_and_members_are_for_the_group_only(client, group, facilitator):
    member = _member(group, first_name="Sonia")
    other_member = _member(group, first_name="Bernard")
    session = _session(group, facilitator)
    groups.announce(group, by=facilitator, text="Thème de la séance : les visites médiatisées.")
    outsider = UserFactory()
    # A visitor and an outsider: the group exists, nothing of its life shows.
    for person in (None, outsider):
        if person:
            client.force_login(person)
        page = _page(client.get(group.get_absolute_url()))
        assert "visites médiatisées" not in page and "Maison des familles" not in page
        assert client.get(session.get_absolute_url()).status_code == 404
        assert client.get(reverse("events:ics", args=[session.pk])).status_code == 404
        assert "Maison des familles" not in _page(client.get(reverse("events:calendar")))
    with pytest.raises(PermissionDenied, match="réservées aux membres"):
        events.register(session, by=outsider)
    # A member sees the sessions and announcements, never who else is in the group.
    client.force_login(member)
    page = _page(client.get(group.get_absolute_url()))
    assert "visites médiatisées" in page and "Maison des familles" in page
    assert "Bernard" not in page and other_member.email not in page
    event_page = _page(client.get(session.get_absolute_url()))
    assert "Parents d'enfants placés" in event_page  # the way back to the group
    client.post(reverse("events:register", args=[session.pk]))
    assert session.registrations.registered().filter(user=member).exists()
    # The facilitator sees the members.
    client.force_login(facilitator)
    page = _page(client.get(group.get_absolute_url()))
    assert "Sonia" in page and "Bernard" in page


def test_the_agenda_s_reviewers_neither_see_nor_manage_a_session(group, facilitator, rhone):
    session = _session(group, facilitator)
    admin = UserFactory()
    admin.roles.create(kind="administrateur_national", scope_level="national")
    assert not Event.objects.visible_to(admin).filter(pk=session.pk).exists()
    assert not Event.objects.reviewable_by(admin).filter(pk=session.pk).exists()
    assert not session.abilities(admin)["manage"]
    abilities = session.abilities(facilitator)
    assert abilities["manage"] and not abilities["record_outcome"]


def test_a_full_session_puts_the_next_member_on_the_waiting_list_and_leaving_frees_the_seat(
    client, group, facilitator
):
    first, second = _member(group), _member(group)
    session = _session(group, facilitator, capacity=1)
    events.register(session, by=first)
    client.force_login(second)
    response = client.post(reverse("events:register", args=[session.pk]), follow=True)
    assert "liste d'attente, en position 1" in _page(response)
    client.force_login(first)
    response = client.post(reverse("support:group_leave", args=[group.pk]), follow=True)
    assert "Vous avez quitté le groupe" in _page(response)
    assert session.registrations.registered().get().user == second
    assert client.get(session.get_absolute_url()).status_code == 404


def test_an_online_session_s_link_goes_to_registered_members(client, group, facilitator):
    member = _member(group)
    session = _session(group, facilitator, online_url="https://visio.exemple.fr/groupe", place="")
    client.force_login(member)
    assert "visio.exemple.fr" not in _page(client.get(session.get_absolute_url()))
    events.register(session, by=member)
    assert "visio.exemple.fr" in _page(client.get(session.get_absolute_url()))


def test_a_session_needs_a_place_or_a_link_and_the_facilitator_only_schedules(
    client, group, facilitator, rhone, django_capture_on_commit_callbacks
):
    member = _member(group)
    with pytest.raises(PermissionDenied):
        _session(group, member)
    client.force_login(member)
    assert client.get(reverse("support:group_session", args=[group.pk])).status_code == 403
    client.force_login(facilitator)
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    fields = {"date": day, "start_time": "18:30", "end_time": "20:30", "capacity": 8}
    refused = client.post(reverse("support:group_session", args=[group.pk]), fields)
    assert "ou son lien de connexion" in _page(refused)
    CommuneFactory(departement=rhone)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("support:group_session", args=[group.pk]),
            {**fields, "commune": "Lyon (69001)", "place": "Salle 2, 3 rue Pasteur"},
        )
    session = Event.objects.get(group_session__group=group)
    assert done.status_code == 302 and done.url == session.get_absolute_url()
    assert session.status == "publie" and session.departement == rhone
    assert [m.to[0] for m in mail.outbox] == [member.email]


def test_announcements_are_told_by_e_mail_without_their_text(
    group, facilitator, django_capture_on_commit_callbacks
):
    member = _member(group)
    with pytest.raises(PermissionDenied):
        groups.announce(group, by=member, text="Bonjour")
    with pytest.raises(ValidationError, match="Écrivez l'annonce"):
        groups.announce(group, by=facilitator, text="  ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        groups.announce(group, by=facilitator, text="La séance de juin est déplacée au 12.")
    assert [m.to[0] for m in mail.outbox] == [member.email]
    assert "déplacée" not in mail.outbox[0].body


def test_a_member_removed_is_told_why_and_cannot_come_back(
    client, group, facilitator, django_capture_on_commit_callbacks
):
    member = _member(group)
    other = _member(group)
    session = _session(group, facilitator)
    events.register(session, by=member)
    membership = GroupMembership.objects.get(user=member)
    client.force_login(other)
    assert (
        client.post(
            reverse("support:group_remove", args=[group.pk, membership.pk]), {"reason": "x"}
        ).status_code
        == 403
    )
    client.force_login(facilitator)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("support:group_remove", args=[group.pk, membership.pk]),
            {"reason": "Des propos d'un autre membre ont été publiés ailleurs."},
            follow=True,
        )
    assert "La personne est retirée" in _page(response)
    assert "publiés ailleurs" in mail.outbox[0].body and mail.outbox[0].to == [member.email]
    assert not session.registrations.active().filter(user=member).exists()
    client.force_login(member)
    page = _page(client.get(group.get_absolute_url()))
    assert "vous ne pouvez pas le rejoindre à nouveau" in page
    with pytest.raises(PermissionDenied):
        groups.join(group, by=member, charter_accepted=True)


def test_children_are_not_members_of_a_parents_group(group):
    young = UserFactory()
    ChildProfile.objects.create(user=young, birth_date=date(2011, 3, 1))
    with pytest.raises(PermissionDenied, match="119"):
        groups.join(group, by=young, charter_accepted=True)


def test_closing_the_group_cancels_the_sessions_to_come(client, group, facilitator):
    member = _member(group)
    session = _session(group, facilitator)
    events.register(session, by=member)
    client.force_login(member)
    assert (
        client.post(reverse("support:group_close", args=[group.pk]), {"reason": "Fin"}).status_code
        == 403
    )
    client.force_login(facilitator)
    response = client.post(
        reverse("support:group_close", args=[group.pk]),
        {"reason": "Le groupe se termine à l'été ; merci à tous."},
        follow=True,
    )
    assert "Ce groupe est clos" in _page(response)
    session.refresh_from_db()
    assert session.status == "annule"
    with pytest.raises(PermissionDenied, match="clos"):
        groups.join(group, by=UserFactory(), charter_accepted=True)
    with pytest.raises(ValidationError):
        groups.announce(group, by=facilitator, text="Encore un mot")


def test_the_list_filters_by_departement_and_theme_and_the_group_page_is_capped(
    client, group, facilitator, django_assert_max_num_queries
):
    gironde = DepartementFactory(code="33", name="Gironde")
    bordeaux = professional(gironde)
    groups.create_group(
        by=bordeaux,
        title="Groupe de Bordeaux",
        theme="sante",
        departement=gironde,
        description="D",
    )
    page = _page(client.get(reverse("support:groups"), {"departement": gironde.code}))
    assert "Groupe de Bordeaux" in page and "Parents d'enfants placés" not in page
    page = _page(client.get(reverse("support:groups"), {"theme": "placement"}))
    assert "Groupe de Bordeaux" not in page and "Parents d'enfants placés" in page
    member = _member(group)
    for days in (3, 10, 17):
        _session(group, facilitator, days=days)
    groups.announce(group, by=facilitator, text="Bienvenue")
    client.force_login(member)
    with django_assert_max_num_queries(10):
        _page(client.get(group.get_absolute_url()))
    with django_assert_max_num_queries(7):
        _page(client.get(reverse("support:groups")))
