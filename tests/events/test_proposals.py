"""Proposing an atelier, reviewing it, and the event workflow."""

import itertools

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from enfance.assemblies.enums import MemberRole
from enfance.assemblies.models import CollegeSeat, Instance, Membership
from enfance.core.models import LogEntry
from enfance.events import services
from enfance.events.enums import EventKind, EventStatus
from enfance.events.models import Event
from tests.factories import CommuneFactory, RoleFactory, UserFactory

from .factories import EventFactory, gironde_commune, paris

pytestmark = pytest.mark.django_db


def _atelier(by, commune, **extra):
    fields = {
        "kind": EventKind.ATELIER,
        "title": "Atelier citoyen : nos priorités",
        "description": "Définir ensemble les priorités du quartier.",
        "starts_at": paris(14),
        "ends_at": paris(14, 20),
        "place": "Salle associative, 5 place de la Croix-Rousse",
        "commune": commune,
        "capacity": 25,
    }
    return services.propose_event(by=by, **{**fields, **extra})


def test_a_citizen_proposes_an_atelier_in_their_departement():
    lyon = CommuneFactory()
    citizen = UserFactory(commune=lyon)
    event = _atelier(citizen, lyon)
    assert event.status == EventStatus.PROPOSED
    assert event.departement == lyon.departement
    assert list(event.hosts.all()) == [citizen]
    assert LogEntry.objects.filter(action="events.event.propose").count() == 1


def test_an_atelier_proposed_outside_ones_territory_is_refused_and_nothing_is_saved():
    citizen = UserFactory(commune=CommuneFactory())
    with pytest.raises(ValidationError) as caught:
        _atelier(citizen, gironde_commune())
    assert caught.value.message_dict["commune"] == [
        "Vous ne pouvez proposer un atelier que dans votre département, Rhône (69). "
        "Cette commune est dans le département Gironde (33)."
    ]
    assert not Event.objects.exists()
    assert not LogEntry.objects.exists()


def test_a_citizen_without_a_commune_is_asked_to_give_one():
    with pytest.raises(ValidationError, match="Indiquez d'abord votre commune"):
        _atelier(UserFactory(), CommuneFactory())
    assert not Event.objects.exists()


def test_a_citizen_cannot_organise_a_forum():
    lyon = CommuneFactory()
    with pytest.raises(PermissionDenied, match="Vous pouvez proposer un atelier citoyen"):
        _atelier(UserFactory(commune=lyon), lyon, kind=EventKind.FORUM)
    assert not Event.objects.exists()


def test_a_proposal_in_the_past_is_refused_with_a_french_message():
    lyon = CommuneFactory()
    with pytest.raises(ValidationError) as caught:
        _atelier(UserFactory(commune=lyon), lyon, starts_at=paris(-1), ends_at=paris(-1, 20))
    assert caught.value.message_dict["date"] == ["Choisissez une date à venir."]


def test_the_national_administrator_publishes_at_once_anywhere(admin_national):
    event = _atelier(admin_national, gironde_commune(), kind=EventKind.FORUM)
    assert event.status == EventStatus.PUBLISHED


def test_accepting_publishes_and_emails_the_proposer(
    admin_national, django_capture_on_commit_callbacks
):
    lyon = CommuneFactory()
    citizen = UserFactory(commune=lyon)
    event = _atelier(citizen, lyon)
    with django_capture_on_commit_callbacks(execute=True):
        event = services.accept_event(event, by=admin_national)
    assert event.status == EventStatus.PUBLISHED
    assert [m.to for m in mail.outbox] == [[citizen.email]]
    assert "est acceptée" in mail.outbox[0].subject
    assert LogEntry.objects.get(action="events.event.accept").public


def test_refusing_needs_a_reason_and_emails_it(admin_national, django_capture_on_commit_callbacks):
    lyon = CommuneFactory()
    citizen = UserFactory(commune=lyon)
    event = _atelier(citizen, lyon)
    with pytest.raises(ValidationError, match="motif du refus"):
        services.refuse_event(event, by=admin_national, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        event = services.refuse_event(
            event, by=admin_national, reason="Un atelier a déjà lieu ce soir-là."
        )
    assert event.status == EventStatus.REFUSED
    assert event.refusal_reason == "Un atelier a déjà lieu ce soir-là."
    assert "Un atelier a déjà lieu ce soir-là." in mail.outbox[0].body


def test_an_instance_secretary_reviews_the_proposals_of_their_departement_only():
    lyon = CommuneFactory()
    secretary = UserFactory()
    instance = Instance.objects.create(
        name="Instance de Lyon", slug="lyon", departement=lyon.departement
    )
    Membership.objects.create(
        instance=instance,
        user=secretary,
        seat=CollegeSeat.objects.filter(college__code="parents").first(),
        mandate_start=paris(-10).date(),
        mandate_end=paris(700).date(),
        selection_method="coopte",
        role=MemberRole.SECRETAIRE,
    )
    here = _atelier(UserFactory(commune=lyon), lyon)
    bordeaux = gironde_commune()
    there = _atelier(UserFactory(commune=bordeaux), bordeaux)
    assert list(Event.objects.reviewable_by(secretary)) == [here]
    with pytest.raises(PermissionDenied):
        services.accept_event(there, by=secretary)
    assert services.accept_event(here, by=secretary).status == EventStatus.PUBLISHED


def test_a_regional_administrator_cannot_review_another_region():
    lyon = CommuneFactory()
    event = _atelier(UserFactory(commune=lyon), lyon)
    other_region = RoleFactory(
        kind="administrateur_national",
        scope_level="region",
        region=gironde_commune().departement.region,
    ).user
    with pytest.raises(PermissionDenied):
        services.accept_event(event, by=other_region)
    event.refresh_from_db()
    assert event.status == EventStatus.PROPOSED


STATES = list(EventStatus)
ACTIONS = ["accept", "refuse", "withdraw", "cancel", "finish"]
EXPECTED = {
    (EventStatus.PROPOSED, "accept"): EventStatus.PUBLISHED,
    (EventStatus.PROPOSED, "refuse"): EventStatus.REFUSED,
    (EventStatus.PROPOSED, "withdraw"): EventStatus.CANCELLED,
    (EventStatus.PUBLISHED, "cancel"): EventStatus.CANCELLED,
    (EventStatus.PUBLISHED, "finish"): EventStatus.FINISHED,
}


@pytest.mark.parametrize(("state", "action"), list(itertools.product(STATES, ACTIONS)))
def test_every_state_and_action_pair(admin_national, state, action):
    event = EventFactory(status=state, starts_at=paris(-1), ends_at=paris(-1, 20))
    expected = EXPECTED.get((state, action))
    if expected is None:
        with pytest.raises(ValidationError, match="Impossible d"):
            apply(event, action, admin_national)
        event.refresh_from_db()
        assert event.status == state
    else:
        assert apply(event, action, admin_national).status == expected


def apply(event, action, by):
    if action in ("refuse", "cancel"):
        service = services.refuse_event if action == "refuse" else services.cancel_event
        return service(event, by=by, reason="Motif.")
    return {
        "accept": services.accept_event,
        "withdraw": services.withdraw_event,
        "finish": services.finish_event,
    }[action](event, by=by)


def test_only_managers_cancel_and_a_host_may(django_capture_on_commit_callbacks):
    host = UserFactory()
    event = EventFactory(hosts=[host])
    with pytest.raises(PermissionDenied):
        services.cancel_event(event, by=UserFactory(), reason="Je ne peux pas.")
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(event, by=host, reason="Salle indisponible.")
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED


def test_an_event_cannot_finish_before_it_starts(admin_national):
    event = EventFactory()
    with pytest.raises(ValidationError, match="pas encore commencé"):
        services.finish_event(event, by=admin_national)


def test_the_event_is_a_context_for_ballots(admin_national):
    host = UserFactory()
    event = EventFactory(hosts=[host])
    assert event.can_manage_ballots(host)
    assert event.can_manage_ballots(admin_national)
    assert not event.can_manage_ballots(UserFactory())
    assert str(event) == event.title
    assert event.get_absolute_url() == f"/agenda/{event.pk}/"
