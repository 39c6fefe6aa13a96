"""What parents say feeds the reform with their consent: a testimony proposed by the professional
who handles the request counts publicly only once the parent accepts it."""

import html

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from enfance.support import services, testimonies
from tests.factories import DepartementFactory, UserFactory
from tests.proposals.factories import ProposalFactory

from .factories import professional, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def taken():
    rhone = DepartementFactory()
    return services.take(written(UserFactory(), rhone), by=professional(rhone))


def test_only_the_handler_proposes_and_only_the_parent_decides(
    taken, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        testimonies.propose(taken, by=taken.parent, text="Texte.", themes=["droits_visite"])
    with pytest.raises(ValidationError, match="au moins un thème"):
        testimonies.propose(taken, by=taken.handler, text="Texte.", themes=[])
    flagship = ProposalFactory(is_flagship=True, flagship_rank=1)
    with django_capture_on_commit_callbacks(execute=True):
        proposed = testimonies.propose(
            taken,
            by=taken.handler,
            text="Une mère a attendu six mois pour voir son fils un week-end.",
            themes=["droits_visite", "relation_ase"],
            proposals=[flagship, ProposalFactory()],  # only a flagship proposal is kept
        )
    assert list(proposed.proposals.all()) == [flagship]
    assert mail.outbox[-1].to == [taken.parent.email] and "six mois" not in mail.outbox[-1].body
    with pytest.raises(PermissionDenied):
        testimonies.decide(proposed, by=taken.handler, accept=True)
    themes, per_proposal, total = testimonies.counts()
    assert total == 0
    testimonies.decide(proposed, by=taken.parent, accept=True)
    with pytest.raises(ValidationError, match="déjà répondu"):
        testimonies.decide(proposed, by=taken.parent, accept=False)
    themes, per_proposal, total = testimonies.counts()
    assert total == 1 and dict(themes)["Droits de visite et d'hébergement"] == 1
    assert per_proposal == [(flagship, 1)]


def test_the_parent_accepts_on_the_request_page_and_the_figures_count_it(client, taken):
    client.force_login(taken.handler)
    client.post(
        reverse("support:testimony", args=[taken.pk]),
        {"text": "Un père a enfin été entendu par le juge.", "themes": ["audience"]},
    )
    (proposed,) = taken.testimonies.all()
    client.force_login(UserFactory())  # another parent
    decision = reverse("support:testimony_decision", args=[proposed.pk, "accepter"])
    assert client.post(decision).status_code == 404
    client.force_login(taken.parent)
    page = html.unescape(client.get(taken.get_absolute_url()).content.decode())
    assert "Un père a enfin été entendu" in page and "J'accepte" in page
    client.post(decision)
    proposed.refresh_from_db()
    assert proposed.status == "accepte"
    client.logout()
    page = html.unescape(client.get(reverse("support:figures")).content.decode())
    assert "1 témoignage accepté" in page and "enfin été entendu" not in page


def test_the_proposal_page_is_the_handlers_only(client, taken):
    url = reverse("support:testimony", args=[taken.pk])
    client.force_login(taken.handler)
    page = html.unescape(client.get(url).content.decode())
    assert "sans aucun nom" in page
    refused = client.post(url, {"text": "", "themes": []})
    assert "Choisissez au moins un thème" in html.unescape(refused.content.decode())
    for outsider in (taken.parent, professional(taken.departement), UserFactory()):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    assert not taken.testimonies.exists()


def test_one_testimony_waits_for_the_parent_at_a_time(taken):
    testimonies.propose(taken, by=taken.handler, text="Un texte.", themes=["sante"])
    with pytest.raises(ValidationError, match="attend déjà la réponse du parent"):
        testimonies.propose(taken, by=taken.handler, text="Le même, deux fois.", themes=["sante"])
    assert taken.testimonies.count() == 1
