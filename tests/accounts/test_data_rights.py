"""A person's data rights across every module (core.privacy): what they download (JSON and
PDF), and what the deletion of their account leaves, module by module, while a second
account's data stays as it was and the event log still holds."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from enfance.accounts import services
from enfance.accounts.models import User
from enfance.accounts.pdf import personal_data_pdf
from enfance.assemblies.enums import EndReason
from enfance.assemblies.models import Membership
from enfance.core import privacy
from enfance.core.eventlog import verify_chain
from enfance.core.models import LogEntry
from enfance.events import services as events
from enfance.events.enums import RegistrationStatus
from enfance.events.models import Registration
from enfance.petitions.models import DepartementCount, Signature
from enfance.practices.models import Practice
from enfance.proposals.models import Activity, Proposal
from enfance.votes.models import Elector, Participation, Vote
from tests.events.factories import EventFactory
from tests.factories import UserFactory
from tests.pdf_text import shown_text

from .traces import leave_traces

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    return UserFactory(first_name="Camille", last_name="Dupont", email="camille@exemple.fr")


@pytest.fixture
def second():
    return UserFactory(first_name="Dominique", last_name="Durand", email="dominique@exemple.fr")


@pytest.fixture
def traces(person, second, admin_national):
    leave_traces(second, admin=admin_national)
    return leave_traces(person, admin=admin_national)


def linked(holding: privacy.Holding, name: str, user_pk: int):
    return holding.model_class._base_manager.filter(**{name: user_pk})


def links_of(user_pk: int) -> dict:
    """How many rows point at the account, declared link by declared link."""
    return {
        (holding.model, name): linked(holding, name, user_pk).count()
        for holding in privacy.holdings()
        for name in holding.links
    }


def test_the_traces_reach_every_declared_link(traces, person):
    """Every declaration's erase path has something to do in the tests below."""
    empty = [key for key, count in links_of(person.pk).items() if not count]
    assert not empty, f"Ajoutez à tests/accounts/traces.py une trace derrière : {empty}"


def test_the_download_holds_every_module(traces, person):
    data = services.export_user_data(person)
    empty = [h.key for h in privacy.holdings() if h.exported and h.links and not data[h.key]]
    assert not empty, empty
    json.dumps(data, cls=DjangoJSONEncoder)
    assert data["compte"]["adresse_electronique"] == "camille@exemple.fr"
    assert [r["evenement"] for r in data["inscriptions_aux_evenements"]] == ["Atelier des familles"]
    assert {p["titre"] for p in data["propositions"]} == {
        "Des maisons des familles",
        "Mon brouillon",
    }
    assert [s["petition"] for s in data["signatures_de_la_petition"]] == [
        "Pour l'adoption du ministère"
    ] * 2
    assert data["mandats"][0]["college"] == "Parents"
    assert data["bulletins_publics"][0]["choix"] == [{"option": "Contre", "valeur": 1}]
    # Nothing of the second account's.
    assert "dominique" not in json.dumps(data, cls=DjangoJSONEncoder).lower()


def test_the_pdf_reads_like_the_download(traces, person):
    data = services.export_user_data(person)
    text = shown_text(personal_data_pdf(person, data))
    assert "VOS DONNÉES PERSONNELLES" in text
    for declaration in privacy.declarations():
        assert declaration.processing.name in text
    for expected in (
        "Atelier des familles",
        "Des maisons des familles",
        "Pour l'adoption du ministère",
        "camille@exemple.fr",
        "Je soutiens cette idée.",
        "À la suppression du compte : anonymisé.",
    ):
        assert expected in text, expected


def test_deleting_the_account_runs_every_module_and_spares_the_second_account(
    traces, person, second
):
    before = links_of(second.pk)
    person_pk = person.pk
    services.delete_account(by=person)

    assert not User.objects.filter(pk=person_pk).exists()
    left = {key: count for key, count in links_of(person_pk).items() if count}
    assert not left, left
    assert links_of(second.pk) == before
    # What the person wrote in a public debate stays, without them; their draft goes.
    assert Proposal.objects.get(pk=traces.published_proposal.pk).author_id is None
    assert not Proposal.objects.filter(pk=traces.draft_proposal.pk).exists()
    assert Proposal.objects.get(pk=traces.supported.pk).support_count == 0
    assert not Activity.objects.filter(summary__contains="Camille D.").exists()
    # The mandate ends today, and stays in the instance's history.
    mandate = Membership.objects.filter(user=None).get(
        instance__created_by=None, seat__college__code="parents"
    )
    assert mandate.end_reason == EndReason.DEMISSION and mandate.ended_on is not None
    # Votes: what was voted stays counted; who voted stays counted, without a name.
    ballot = traces.secret_ballot
    assert Vote.objects.filter(ballot=ballot).count() == 1
    assert Participation.objects.filter(ballot=ballot, voter=None).count() == 1
    assert Elector.objects.filter(ballot=ballot, user=None).count() == 1
    # The petition: withdrawn while open (the counter follows), kept while closed.
    assert not Signature.objects.filter(pk=traces.open_signature.pk).exists()
    assert DepartementCount.objects.get(petition=traces.open_signature.petition).confirmed == 0
    assert Signature.objects.filter(pk=traces.closed_signature.pk).exists()
    # A fiche not published goes; a published one stays, the structure's.
    assert Practice.objects.filter(title="Mon brouillon de pratique").get().declarant == second
    assert Practice.objects.filter(title="Ma pratique publiée", declarant=None).count() == 1
    # The event log: every entry kept, with the reference only, and the chain whole.
    deleted = LogEntry.objects.get(action="accounts.account_deleted")
    assert deleted.actor_ref == f"user:{person_pk}" and deleted.actor_id is None
    assert LogEntry.objects.filter(actor_ref=f"user:{person_pk}", actor__isnull=False).count() == 0
    assert verify_chain().intact


def test_the_second_account_keeps_its_registration_and_proposal(traces, person, second):
    registration = Registration.objects.get(user=second)
    proposal = Proposal.objects.get(author=second, title="Des maisons des familles")
    services.delete_account(by=person)
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.REGISTERED
    kept = Proposal.objects.get(pk=proposal.pk)
    assert (kept.author, kept.title, kept.body) == (second, proposal.title, proposal.body)


def test_a_seat_freed_by_a_deletion_goes_to_the_first_person_waiting(person, second):
    event = EventFactory(capacity=1)
    events.register(event, by=person)
    waiting = events.register(event, by=second)
    assert waiting.status == RegistrationStatus.WAITING
    services.delete_account(by=person)
    waiting.refresh_from_db()
    event.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED and event.registered_count == 1


def test_the_pdf_is_downloaded_from_the_account_page(client, person):
    client.force_login(person)
    page = client.get("/mon-compte/").content.decode()
    assert (
        'href="/mon-compte/mes-donnees.pdf"' in page
        and 'href="/mon-compte/mes-donnees.json"' in page
    )
    response = client.get("/mon-compte/mes-donnees.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-')
    assert response.content.startswith(b"%PDF")


def test_the_pdf_needs_a_login(client):
    response = client.get("/mon-compte/mes-donnees.pdf")
    assert response.status_code == 302 and response["Location"].startswith("/comptes/login/")
