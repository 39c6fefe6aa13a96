"""The pages of the agenda, from the right side and from the wrong one."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from enfance.assemblies.models import Instance
from enfance.events import services
from enfance.events.enums import EventKind, EventStatus
from enfance.events.models import Event, Registration
from enfance.votes.services import create_ballot
from tests.factories import CommuneFactory, UserFactory

from .factories import EventFactory, LiveFactory, gironde_commune, paris


def _without_nonce(html: str) -> str:
    """A page as every visitor gets it: the nonce of its scripts is each request's own."""
    return re.sub(r'nonce="[^"]*"', "", html)


pytestmark = pytest.mark.django_db

INVALID = "INVALID_TEMPLATE_VARIABLE"


def _page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert INVALID not in html
    return html


def test_the_calendar_has_an_empty_state(client):
    html = _page(client, reverse("events:calendar"))
    assert "Aucun événement à venir pour le moment" in html
    assert "Proposer un atelier" in html


def test_the_calendar_lists_upcoming_published_events_only(client):
    shown = EventFactory(title="Forum de Lyon", kind=EventKind.FORUM)
    EventFactory(title="Proposition secrète", status=EventStatus.PROPOSED)
    EventFactory(title="Atelier passé", starts_at=paris(-3), ends_at=paris(-3, 20))
    EventFactory(title="Atelier annulé", status=EventStatus.CANCELLED)
    html = _page(client, reverse("events:calendar"))
    assert shown.title in html
    assert "Proposition secrète" not in html
    assert "Atelier passé" not in html and "Atelier annulé" not in html
    past = _page(client, reverse("events:calendar"), periode="passes")
    assert "Atelier passé" in past and shown.title not in past


def test_the_calendar_filters_by_territory_and_kind(client):
    EventFactory(title="Atelier à Lyon")
    EventFactory(title="Atelier à Bordeaux", commune=gironde_commune())
    LiveFactory(title="Live national")
    by_departement = _page(client, reverse("events:calendar"), departement="33")
    assert "Atelier à Bordeaux" in by_departement and "Atelier à Lyon" not in by_departement
    by_region = _page(client, reverse("events:calendar"), region="84")
    assert "Atelier à Lyon" in by_region and "Atelier à Bordeaux" not in by_region
    lives = _page(client, reverse("events:calendar"), kind="live")
    assert "Live national" in lives and "Atelier à Lyon" not in lives
    nothing = _page(client, reverse("events:calendar"), departement="33", kind="forum")
    assert "Aucun événement ne correspond à ces critères" in nothing


def test_the_calendar_runs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    lyon, bordeaux = CommuneFactory(), gironde_commune()
    for n in range(60):
        EventFactory(commune=lyon if n % 2 else bordeaux, starts_at=paris(1 + n % 20))
    client.force_login(UserFactory())
    with django_assert_max_num_queries(15):
        html = _page(client, reverse("events:calendar"), page=2)
    assert "2 / 3" in html


def test_the_event_page_shows_places_and_hosts_by_first_name_and_initial(
    client, django_assert_max_num_queries
):
    host = UserFactory(first_name="Camille", last_name="Martin")
    event = EventFactory(capacity=30, hosts=[host])
    for person in UserFactory.create_batch(25):
        services.register(event, by=person)
    client.force_login(UserFactory())
    with django_assert_max_num_queries(15):
        html = _page(client, event.get_absolute_url())
    assert "Camille M." in html and "Martin" not in html
    assert "5 restantes sur 30" in html
    assert "M'inscrire" in html


def test_a_proposal_is_hidden_from_others_and_shown_to_its_author(client):
    lyon = CommuneFactory()
    author = UserFactory(commune=lyon)
    event = services.propose_event(
        by=author,
        kind=EventKind.ATELIER,
        title="Mon atelier",
        description="Un atelier.",
        starts_at=paris(5),
        ends_at=paris(5, 20),
        place="Chez nous",
        commune=lyon,
        capacity=10,
    )
    assert client.get(event.get_absolute_url()).status_code == 404
    client.force_login(UserFactory(commune=lyon))
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(reverse("events:manage", args=[event.pk])).status_code == 404
    client.force_login(author)
    assert "Proposition en attente d'examen" in _page(client, event.get_absolute_url())


def test_registering_from_the_page_explains_the_waiting_list(client):
    event = EventFactory(capacity=1)
    services.register(event, by=UserFactory())
    person = UserFactory()
    client.force_login(person)
    response = client.post(reverse("events:register", args=[event.pk]), follow=True)
    html = response.content.decode()
    assert "vous êtes sur la liste d&#x27;attente, en position 1" in html
    assert "Liste d'attente : position 1" in html
    response = client.post(reverse("events:unregister", args=[event.pk]), follow=True)
    assert "Votre inscription est annulée." in response.content.decode()
    assert Registration.objects.get(user=person).status == "annule"


def test_anonymous_visitors_are_asked_to_log_in_to_register(client):
    event = EventFactory()
    assert "Se connecter pour s'inscrire" in _page(client, event.get_absolute_url())
    response = client.post(reverse("events:register", args=[event.pk]))
    assert response.status_code == 302 and "/comptes/login/" in response["Location"]
    assert not Registration.objects.exists()


def _proposal_data(commune_label, **extra):
    return {
        "title": "Atelier citoyen du quartier",
        "commune": commune_label,
        "place": "Salle des associations, 3 rue Neuve",
        "date": paris(10).date().isoformat(),
        "start_time": "18:00",
        "end_time": "20:00",
        "capacity": "25",
        "description": "Nos priorités locales.",
        **extra,
    }


def test_proposing_an_atelier_outside_ones_departement_keeps_the_form_and_explains(client):
    CommuneFactory()
    gironde_commune()
    client.force_login(UserFactory(commune=CommuneFactory()))
    response = client.post(reverse("events:propose"), _proposal_data("Bordeaux (33000)"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vous ne pouvez proposer un atelier que dans votre département, Rhône (69)" in html
    assert "Le formulaire contient 1 erreur" in html
    assert 'value="Atelier citoyen du quartier"' in html
    assert 'value="Salle des associations, 3 rue Neuve"' in html
    assert not Event.objects.exists()


def test_bad_input_is_explained_field_by_field(client):
    lyon = CommuneFactory()
    client.force_login(UserFactory(commune=lyon))
    data = _proposal_data("Lyon (69001)", end_time="17:00", capacity="0")
    html = client.post(reverse("events:propose"), data).content.decode()
    assert "L&#x27;heure de fin doit venir après l&#x27;heure de début." in html
    assert "Assurez-vous que cette valeur est supérieure ou égale à 1." in html
    assert not Event.objects.exists()


def test_proposing_an_atelier_in_ones_departement(client):
    lyon = CommuneFactory()
    author = UserFactory(commune=lyon)
    client.force_login(author)
    assert INVALID not in client.get(reverse("events:propose")).content.decode()
    response = client.post(reverse("events:propose"), _proposal_data("Lyon (69001)"))
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert event.status == EventStatus.PROPOSED and event.proposed_by == author
    assert event.starts_at == paris(10, 18)


def test_a_citizen_cannot_open_the_organiser_pages(client):
    client.force_login(UserFactory())
    assert client.get(reverse("events:create")).status_code == 403
    assert client.get(reverse("events:proposals")).status_code == 403


def test_the_administrator_reviews_and_refuses_with_a_reason(
    client, admin_national, django_assert_max_num_queries
):
    lyon = CommuneFactory()
    for _n in range(30):
        author = UserFactory(commune=lyon)
        EventFactory(status=EventStatus.PROPOSED, proposed_by=author, hosts=[author])
    client.force_login(admin_national)
    with django_assert_max_num_queries(15):
        html = _page(client, reverse("events:proposals"))
    assert "30 propositions en attente" in html
    event = Event.objects.first()
    html = _page(client, reverse("events:manage", args=[event.pk]))
    assert "Accepter et publier" in html
    response = client.post(reverse("events:refuse", args=[event.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.content.decode()
    response = client.post(reverse("events:refuse", args=[event.pk]), {"reason": "Doublon."})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.REFUSED
    client.post(reverse("events:transition", args=[Event.objects.last().pk, "accept"]))
    assert Event.objects.last().status == EventStatus.PUBLISHED


def test_host_pages_are_refused_to_other_people(client):
    event = EventFactory(starts_at=paris(0, 18), ends_at=paris(0, 20))
    client.force_login(UserFactory())
    for name in ("manage", "attendance", "outcome"):
        assert client.get(reverse(f"events:{name}", args=[event.pk])).status_code == 403
    response = client.post(reverse("events:attendance", args=[event.pk]), {"present": []})
    assert response.status_code == 403
    response = client.post(reverse("events:transition", args=[event.pk, "finish"]))
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


def test_the_host_takes_attendance_then_publishes_the_outcome(client):
    host = UserFactory()
    event = EventFactory(hosts=[host])
    came = services.register(event, by=UserFactory(first_name="Inès"))
    now = timezone.now()
    Event.objects.filter(pk=event.pk).update(
        starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    client.force_login(host)
    html = _page(client, reverse("events:attendance", args=[event.pk]))
    assert "Inès" in html
    client.post(reverse("events:attendance", args=[event.pk]), {"present": [came.pk]})
    came.refresh_from_db()
    assert came.attended
    client.post(reverse("events:transition", args=[event.pk, "finish"]))
    response = client.post(
        reverse("events:outcome", args=[event.pk]),
        {"minutes": "Belle soirée.", "priorities": "Écoute\nPrévention\n", "elected": ""},
    )
    assert response.status_code == 302
    html = _page(client, event.get_absolute_url())
    assert "<li>Prévention</li>" in html and "Belle soirée." in html


def test_the_host_adds_a_co_host(client):
    host, other = UserFactory(), UserFactory()
    event = EventFactory(hosts=[host])
    client.force_login(host)
    response = client.post(reverse("events:add_host", args=[event.pk]), {"email": "x@y.fr"})
    assert response.status_code == 400
    assert "Aucun compte n&#x27;utilise cette adresse" in response.content.decode()
    client.post(reverse("events:add_host", args=[event.pk]), {"email": other.email})
    assert set(event.hosts.all()) == {host, other}


def test_the_icalendar_file_is_served_for_visible_events(client):
    event = EventFactory()
    response = client.get(reverse("events:ics", args=[event.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"BEGIN:VEVENT" in response.content
    hidden = EventFactory(status=EventStatus.PROPOSED)
    assert client.get(reverse("events:ics", args=[hidden.pk])).status_code == 404


def test_my_registrations_upcoming_past_and_hosted(client, django_assert_max_num_queries):
    person = UserFactory()
    for n in range(25):
        services.register(EventFactory(starts_at=paris(1 + n)), by=person)
    past = EventFactory(title="Atelier d'hier")
    services.register(past, by=person)
    Event.objects.filter(pk=past.pk).update(starts_at=paris(-1), ends_at=paris(-1, 20))
    EventFactory(title="Celui que j'anime", hosts=[person])
    client.force_login(person)
    with django_assert_max_num_queries(15):
        html = _page(client, reverse("events:my_registrations"))
    assert "1 / 2" in html and "Atelier d&#x27;hier" not in html
    assert "Atelier d&#x27;hier" in _page(
        client, reverse("events:my_registrations"), onglet="passees"
    )
    assert "Celui que j&#x27;anime" in _page(
        client, reverse("events:my_registrations"), onglet="anime"
    )
    client.force_login(UserFactory())
    assert "Aucune inscription à un événement à venir." in _page(
        client, reverse("events:my_registrations")
    )


def test_ballots_held_at_the_event_are_listed_and_its_attendees_are_the_electorate(client):
    host, came, absent = UserFactory(), UserFactory(), UserFactory()
    event = EventFactory(hosts=[host])
    present = services.register(event, by=came)
    services.register(event, by=absent)
    Registration.objects.filter(pk=present.pk).update(attended=True)
    create_ballot(
        event,
        by=host,
        title="Élection au collège des parents",
        method="majority_judgment",
        opens_at=paris(7, 19),
        closes_at=paris(7, 20),
        options=["Sophie M.", "Karim H."],
    )
    assert event.ballot_electorate() == [came]
    assert event.is_visible_to(absent)
    html = _page(client, event.get_absolute_url())
    assert "Élection au collège des parents" in html and "en préparation" in html


def test_the_administrator_creates_a_live_and_a_forum_of_an_instance(client, admin_national):
    lyon = CommuneFactory()
    instance = Instance.objects.create(
        name="Instance de Lyon", slug="lyon", departement=lyon.departement
    )
    client.force_login(admin_national)
    html = _page(client, reverse("events:create"))
    assert "Instance de Lyon" in html
    live = {
        **_proposal_data(""),
        "kind": "live",
        "place": "",
        "capacity": "",
        "online_url": "https://live.exemple.fr/ecoute",
    }
    response = client.post(reverse("events:create"), live)
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.status == EventStatus.PUBLISHED and event.departement is None
    assert "En ligne, ouvert à toute la France" in _page(client, reverse("events:calendar"))
    forum = {**_proposal_data("Lyon (69001)"), "kind": "forum", "instance": instance.pk}
    client.post(reverse("events:create"), {**forum, "online_url": ""})
    assert Event.objects.get(kind="forum").instance == instance
    missing = {**_proposal_data(""), "kind": "forum", "place": ""}
    html = client.post(reverse("events:create"), missing).content.decode()
    assert "Indiquez l&#x27;adresse où se tiendra l&#x27;événement." in html
    assert Event.objects.count() == 2


def test_the_cached_filters_show_what_each_visitor_asked_for(client):
    live = client.get("/agenda/?kind=live").content.decode()
    atelier = client.get("/agenda/?kind=atelier").content.decode()
    assert '<option value="live" selected>' in live
    assert '<option value="atelier" selected>' in atelier
    assert '<option value="live" selected>' not in atelier


def test_the_cached_calendar_follows_registrations(client, django_capture_on_commit_callbacks):
    event = EventFactory(capacity=3)
    assert "3 places restantes sur 3" in client.get("/agenda/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.register(event, by=UserFactory(commune=event.commune))
    assert "2 places restantes sur 3" in client.get("/agenda/").content.decode()


def test_the_calendar_file_gives_a_live_link_to_registered_people_only(client):
    live = LiveFactory()
    url = reverse("events:ics", args=[live.pk])
    assert "live.exemple.fr" not in client.get(url).content.decode()
    person = UserFactory()
    services.register(live, by=person)
    client.force_login(person)
    assert "live.exemple.fr" in client.get(url).content.decode()


def test_a_registration_cannot_be_cancelled_once_the_event_has_started(client):
    event = EventFactory(capacity=1)
    person, waiting = UserFactory(commune=event.commune), UserFactory(commune=event.commune)
    services.register(event, by=person)
    services.register(event, by=waiting)
    Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    event.refresh_from_db()
    with pytest.raises(ValidationError, match="a commencé"):
        services.cancel_registration(event, by=person)
    assert Registration.objects.get(user=waiting).status == "attente"


def test_the_cached_calendar_follows_a_new_event_and_a_cancellation(
    client, admin_national, django_capture_on_commit_callbacks
):
    event = EventFactory(title="Atelier citoyen de la Croix-Rousse")
    assert "Atelier citoyen de la Croix-Rousse" in client.get("/agenda/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(event, by=admin_national, reason="Salle indisponible.")
    assert "Atelier citoyen de la Croix-Rousse" not in client.get("/agenda/").content.decode()


def test_a_visitor_gets_the_calendar_from_the_cache_once_warm(client, django_assert_num_queries):
    EventFactory()
    first = _without_nonce(client.get("/agenda/").content.decode())
    with django_assert_num_queries(0):
        assert _without_nonce(client.get("/agenda/").content.decode()) == first
