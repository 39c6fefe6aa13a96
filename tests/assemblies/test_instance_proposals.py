"""An instance proposed at the end of a forum ouvert, created by the administrateur national."""

import html

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from enfance.assemblies import services
from enfance.assemblies.models import Instance, InstanceProposal
from enfance.core.models import LogEntry
from enfance.events import services as events
from enfance.events.enums import EventKind
from tests.events.factories import EventFactory
from tests.factories import CommuneFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def forum():
    return EventFactory(
        kind=EventKind.FORUM, title="Forum ouvert de Lyon", commune=CommuneFactory()
    )


def _propose(forum, name="Instance locale de Lyon"):
    return events.propose_instance(
        forum, by=forum.hosts.get(), name=name, description="Trente volontaires."
    )


def test_a_host_proposes_and_the_administrator_creates_it(
    forum, admin_national, django_capture_on_commit_callbacks
):
    proposal = _propose(forum)
    assert proposal.departement == forum.departement
    with django_capture_on_commit_callbacks(execute=True):
        instance = services.accept_instance_proposal(proposal, by=admin_national)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.instance) == ("acceptee", instance)
    assert instance.departement == forum.departement and instance.status == "en_creation"
    assert mail.outbox[-1].to == [forum.hosts.get().email]
    assert "est créée" in mail.outbox[-1].subject
    assert LogEntry.objects.filter(action="assemblies.instanceproposal.accepter").exists()


def test_a_refusal_needs_a_reason_and_tells_the_host(
    forum, admin_national, django_capture_on_commit_callbacks
):
    proposal = _propose(forum)
    with pytest.raises(ValidationError, match="pourquoi"):
        services.refuse_instance_proposal(proposal, by=admin_national, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.refuse_instance_proposal(
            proposal, by=admin_national, reason="Une instance couvre déjà ce territoire."
        )
    proposal.refresh_from_db()
    assert proposal.status == "refusee" and not Instance.objects.exists()
    assert "Une instance couvre déjà ce territoire." in mail.outbox[-1].body


def test_only_a_host_of_a_forum_proposes(forum):
    with pytest.raises(PermissionDenied):
        events.propose_instance(forum, by=UserFactory(), name="Instance")
    atelier = EventFactory(kind=EventKind.ATELIER)
    with pytest.raises(ValidationError, match="forum ouvert"):
        events.propose_instance(atelier, by=atelier.hosts.get(), name="Instance")


def test_one_pending_proposal_per_forum(forum):
    _propose(forum)
    with pytest.raises(ValidationError, match="attend déjà"):
        _propose(forum, name="Une autre")


def test_only_an_administrator_decides(forum):
    proposal = _propose(forum)
    with pytest.raises(PermissionDenied):
        services.accept_instance_proposal(proposal, by=forum.hosts.get())
    assert not Instance.objects.exists()
    assert InstanceProposal.objects.get().status == "proposee"


def test_the_pages_of_the_flow(client, forum, admin_national):
    host = forum.hosts.get()
    client.force_login(host)
    url = f"/instances/proposer/{forum.pk}/"
    page = html.unescape(client.post(url, {"name": "", "description": "x"}).content.decode())
    assert "Ce champ est obligatoire." in page and 'id="resume-erreurs"' in page
    response = client.post(url, {"name": "Instance locale de Lyon"}, follow=True)
    assert (
        "votre proposition d'instance est transmise"
        in html.unescape(response.content.decode()).lower()
    )
    assert client.get("/instances/propositions/").status_code == 403
    client.force_login(admin_national)
    page = client.get("/instances/propositions/").content.decode()
    assert "Instance locale de Lyon" in page
    proposal = InstanceProposal.objects.get()
    response = client.post(f"/instances/propositions/{proposal.pk}/accepter/", follow=True)
    assert "est créée" in html.unescape(response.content.decode())
    assert Instance.objects.filter(name="Instance locale de Lyon").exists()


def test_a_stranger_cannot_open_the_proposal_form(client, forum):
    client.force_login(UserFactory())
    assert client.get(f"/instances/proposer/{forum.pk}/").status_code == 403
