"""The cached parts of the list and of the proposal page follow every change, and never show one
visitor what belongs to another kind of visitor."""

import pytest
from django.test import Client
from django.urls import reverse

from enfance.core.pagecache import CSRF_PLACEHOLDER, NONCE_PLACEHOLDER
from enfance.proposals import services
from enfance.proposals.enums import ProposalState
from enfance.proposals.models import Theme
from enfance.proposals.views import listing
from enfance.safeguarding import services as safeguarding
from tests.factories import UserFactory

from .factories import CommentFactory, ProposalFactory, published

pytestmark = pytest.mark.django_db

INVALID = "INVALID_TEMPLATE_VARIABLE"


def _html(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert INVALID not in html
    return html


def test_a_cached_search_follows_publications_hidings_and_supports(
    django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    visitor = Client()
    url = reverse("proposals:list")
    first = published(title="Accueillir les familles à la maternité")
    assert "Résultats pour « familles maternité » (1)" in _html(
        visitor, url, q="familles maternité"
    )
    with django_assert_max_num_queries(5):
        _html(visitor, url, q="Familles   MATERNITÉ")

    with django_capture_on_commit_callbacks(execute=True):
        second = published(title="Des familles reçues à la maternité")
    html = _html(visitor, url, q="familles maternité")
    assert second.title in html and "(2)" in html

    # Supports are read with the page, not cached with the ids.
    services.support(first, by=UserFactory())
    assert "1 soutien ·" in _html(visitor, url, q="familles maternité")

    # A hidden proposal leaves the page at once, before the version is even bumped.
    safeguarding.flag_danger(second, by=UserFactory())
    assert second.title not in _html(visitor, url, q="familles maternité")


def test_the_cached_list_pages_follow_each_other_across_windows(monkeypatch):
    monkeypatch.setattr(listing, "PROPOSALS_PER_PAGE", 2)
    monkeypatch.setattr(listing, "RESULTS_WINDOW", 4)
    proposals = [ProposalFactory(title=f"Proposition numéro {n:02d}") for n in range(9)]
    newest_first = [p.title for p in reversed(proposals)]
    seen = []
    for page in range(1, 6):
        html = _html(Client(), reverse("proposals:list"), page=page)
        assert "Toutes les propositions (9)" in html
        seen += [title for title in newest_first if title in html]
    assert seen == newest_first


def test_a_card_follows_its_proposal_and_the_filters_follow_themes(
    django_capture_on_commit_callbacks,
):
    proposal = ProposalFactory(title="Titre d'origine")
    url = reverse("proposals:list")
    assert "Titre d&#x27;origine" in _html(Client(), url)
    with django_capture_on_commit_callbacks(execute=True):
        proposal.title = "Titre corrigé"
        proposal.save(update_fields=["title"])
        Theme.objects.create(slug="nouveau-theme", label="Un thème tout neuf", position=99)
    html = _html(Client(), url)
    assert "Titre corrigé" in html and "Titre d&#x27;origine" not in html
    assert "Un thème tout neuf" in html


def test_the_cached_thread_follows_comments_and_moderation(
    client, admin_national, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory()
    flagged = CommentFactory(proposal=proposal, body="Un avis qui inquiète")
    url = proposal.get_absolute_url()
    assert "Un avis qui inquiète" in _html(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(proposal, by=UserFactory(), body="Un nouvel avis")
    assert "Un nouvel avis" in _html(client, url)

    with django_capture_on_commit_callbacks(execute=True):
        safeguarding.flag_danger(flagged, by=UserFactory())
    assert "Un avis qui inquiète" not in _html(client, url)

    removed = CommentFactory(proposal=proposal, body="Hors sujet total")
    pending = CommentFactory(proposal=proposal, body="Avis relu", state="a_moderer")
    _html(client, url)  # cached again, with these comments
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_comment(removed, by=admin_national, reason="Hors sujet")
    html = _html(client, url)
    assert "Hors sujet total" not in html and "retiré par la modération : Hors sujet" in html
    assert "Avis relu" not in html
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_comment(pending, by=admin_national)
    assert "Avis relu" in _html(client, url)


def test_each_kind_of_visitor_gets_its_own_links(
    client, admin_national, django_assert_max_num_queries
):
    proposal = ProposalFactory()
    CommentFactory(proposal=proposal, body="Un avis")
    url = proposal.get_absolute_url()
    anonymous = _html(client, url)
    assert "Signaler un abus" not in anonymous and "Connectez-vous pour commenter" in anonymous

    client.force_login(UserFactory())
    html = _html(client, url)
    assert "Signaler un abus" in html and "Répondre" in html and "Retirer<" not in html
    with django_assert_max_num_queries(15):
        _html(client, url)

    client.force_login(admin_national)
    assert "Retirer<span" in _html(client, url)
    client.force_login(UserFactory())
    assert "Retirer<span" not in _html(client, url)
    assert "Signaler un abus" not in _html(Client(), url)

    # A thread cached for a proposal open to comments is not shown once it is closed to them.
    proposal.state = ProposalState.REJECTED
    proposal.save(update_fields=["state"])
    assert "Répondre<span" not in _html(client, url)


def test_a_reply_link_is_not_shared_with_others(client):
    proposal = ProposalFactory()
    for n in range(35):
        CommentFactory(proposal=proposal, body=f"Avis {n}")
    url = proposal.get_absolute_url()
    client.force_login(UserFactory())
    assert "repondre=" in _html(client, url, repondre=1)  # pagination keeps the reply
    html = _html(client, url)
    assert "repondre=1&amp;" not in html and "page=2" in html


def test_a_cached_page_is_still_refused_to_the_wrong_side(
    client, django_capture_on_commit_callbacks
):
    proposal = ProposalFactory()
    CommentFactory(proposal=proposal, body="Un avis")
    url = proposal.get_absolute_url()
    assert "Un avis" in _html(client, url)
    with django_capture_on_commit_callbacks(execute=True):
        safeguarding.flag_danger(proposal, by=UserFactory())
    assert client.get(url).status_code == 404
    draft = ProposalFactory(state=ProposalState.DRAFT, published_at=None)
    client.force_login(draft.author)
    _html(client, draft.get_absolute_url())
    client.force_login(UserFactory())
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert draft.title not in _html(client, reverse("proposals:list"))


def test_the_anonymous_page_is_cached_whole_and_follows_every_write(
    django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    visitor = Client()
    proposal = published(title="Des bancs devant chaque école")
    url = proposal.get_absolute_url()
    _html(visitor, url)
    # From the cache: one query without joins says it is still public.
    with django_assert_max_num_queries(1):
        assert proposal.title in _html(visitor, url)

    # Supports are counted by update(), without a signal: the page still follows.
    services.support(proposal, by=UserFactory())
    assert "1 soutien" in _html(visitor, url)

    with django_capture_on_commit_callbacks(execute=True):
        services.add_comment(proposal, by=UserFactory(), body="Un avis tout neuf")
    assert "Un avis tout neuf" in _html(visitor, url)

    with django_capture_on_commit_callbacks(execute=True):
        proposal.title = "Des bancs et des arbres devant chaque école"
        proposal.save()
    assert "Des bancs et des arbres" in _html(visitor, url)

    # A flagged proposal vanishes at once, before any version is bumped.
    safeguarding.flag_danger(proposal, by=UserFactory())
    assert visitor.get(url).status_code == 404


def test_the_anonymous_list_page_is_cached_whole_and_follows_writes(
    django_assert_max_num_queries,
):
    visitor = Client()
    url = reverse("proposals:list")
    first = published(title="Accueillir les familles à la crèche")
    assert first.title in _html(visitor, url, q="familles crèche")
    with django_assert_max_num_queries(2):
        assert first.title in _html(visitor, url, q="familles crèche")
    services.support(first, by=UserFactory())
    assert "1 soutien ·" in _html(visitor, url, q="familles crèche")
    safeguarding.flag_danger(first, by=UserFactory())
    assert first.title not in _html(visitor, url, q="familles crèche")


def test_the_anonymous_page_is_not_served_to_the_signed_in(client):
    proposal = published()
    url = proposal.get_absolute_url()
    anonymous = _html(Client(), url)
    assert "csrfmiddlewaretoken" not in anonymous or "placeholder" not in anonymous
    client.force_login(UserFactory())
    signed_in = _html(client, url)
    assert signed_in != anonymous
    assert CSRF_PLACEHOLDER not in signed_in
    assert f'action="{reverse("proposals:support", args=[proposal.pk])}"' in signed_in


def test_each_anonymous_visitor_gets_its_own_nonce():
    proposal = published()
    url = proposal.get_absolute_url()
    first, second = Client().get(url), Client().get(url)
    assert NONCE_PLACEHOLDER not in second.content.decode()
    nonce = str(second.wsgi_request.csp_nonce)
    assert f'nonce="{first.wsgi_request.csp_nonce}"' in first.content.decode()
    assert f'nonce="{nonce}"' in second.content.decode()
    assert str(first.wsgi_request.csp_nonce) not in second.content.decode()
