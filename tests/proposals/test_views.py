"""The pages of proposals, from the right side and from the wrong one."""

import pytest
from django.urls import reverse

from enfance.discussions.enums import CommentState
from enfance.proposals.enums import ProposalState
from enfance.proposals.flagship import FLAGSHIP, load_flagship_proposals
from enfance.proposals.models import Comment, CommentReport, Follow, Proposal, Theme
from enfance.safeguarding import services as safeguarding
from tests.assemblies.factories import InstanceFactory, secretary_of
from tests.factories import UserFactory

from .factories import CommentFactory, ProposalFactory, published

pytestmark = pytest.mark.django_db

INVALID = "INVALID_TEMPLATE_VARIABLE"


def _page(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status
    html = response.content.decode()
    assert INVALID not in html
    return html


def test_the_list_has_an_empty_state(client):
    html = _page(client, reverse("proposals:list"), q="introuvable")
    assert "Aucune proposition ne correspond à votre recherche" in html


def test_the_list_searches_filters_and_sorts(client, django_assert_max_num_queries):
    theme = Theme.objects.get(slug="justice")
    instance = InstanceFactory()
    for n in range(25):
        proposal = ProposalFactory(title=f"Proposition ordinaire {n}", support_count=n)
        proposal.themes.add(theme)
    load_flagship_proposals()
    target = published(title="Séjours d'observation pour les familles")
    ProposalFactory(title="Proposition de l'instance", instance=instance)
    ProposalFactory(title="Brouillon secret", state=ProposalState.DRAFT, published_at=None)
    client.force_login(UserFactory())
    with django_assert_max_num_queries(15):
        html = _page(client, reverse("proposals:list"))
    assert "Les sept propositions phares" in html and "Brouillon secret" not in html
    assert "Technologies de surveillance douce" in html
    with django_assert_max_num_queries(15):
        html = _page(client, reverse("proposals:list"), q="observation famille", theme="numerique")
    assert "Aucune proposition" in html
    html = _page(client, reverse("proposals:list"), q="observation famille")
    assert target.title.replace("'", "&#x27;") in html
    html = _page(client, reverse("proposals:list"), tri="soutiens", theme="justice")
    assert html.index("Proposition ordinaire 24") < html.index("Proposition ordinaire 23")
    html = _page(client, reverse("proposals:list"), instance=instance.slug)
    assert "Proposition de l&#x27;instance" in html and "ordinaire" not in html
    html = _page(client, reverse("proposals:list"), etat="adoptee")
    assert "Aucune proposition" in html
    # Odd input never breaks the page.
    _page(client, reverse("proposals:list"), q="' OR 1=1 -- \" & | !", page="abc", tri="x")


def test_flagship_proposals_load_once_with_the_seed_wording():
    load_flagship_proposals()
    load_flagship_proposals()
    flagship = list(Proposal.objects.flagship())
    assert len(flagship) == 7
    assert [p.title for p in flagship] == [item["title"] for item in FLAGSHIP]
    assert flagship[4].body.startswith("Instituer des séjours de 48 à 72 heures")


def test_the_proposal_page_with_many_comments(client, django_assert_max_num_queries):
    proposal = ProposalFactory()
    for n in range(40):
        top = CommentFactory(proposal=proposal, author=UserFactory(), body=f"Avis {n}")
        CommentFactory(proposal=proposal, parent=top, author=UserFactory(), body=f"Réponse {n}")
    client.force_login(UserFactory())
    with django_assert_max_num_queries(15):
        html = _page(client, proposal.get_absolute_url())
    assert "Avis 0" in html and "Réponse 0" in html and "Avis 39" not in html
    html = _page(client, proposal.get_absolute_url(), page=2)
    assert "Avis 39" in html
    with django_assert_max_num_queries(15):
        _page(client.__class__(), proposal.get_absolute_url())


def test_html_in_texts_is_shown_as_text(client):
    proposal = ProposalFactory(title="<script>alert(1)</script>")
    CommentFactory(proposal=proposal, body="<b>gras</b><img src=x onerror=alert(1)>")
    html = _page(client, proposal.get_absolute_url())
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html and "&lt;b&gt;gras&lt;/b&gt;" in html


def test_a_draft_is_hidden_from_others(client):
    draft = ProposalFactory(state=ProposalState.DRAFT, published_at=None)
    client.force_login(UserFactory())
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(draft.author)
    assert "Brouillon" in _page(client, draft.get_absolute_url())


def test_writing_and_publishing(client):
    author = UserFactory()
    client.force_login(author)
    published(title="Des maisons des familles dans chaque canton")
    data = {
        "title": "Une maison des familles",
        "problem": "Pas de lieu",
        "body": "Ouvrir",
        "expected_effect": "Moins de placements",
        "themes": [Theme.objects.get(slug="prevention").pk],
    }
    html = _page(client, reverse("proposals:write"))
    assert 'hx-get="/propositions/proches/"' in html
    response = client.post(reverse("proposals:write"), {**data, "action": "similar"})
    assert "Des maisons des familles dans chaque canton" in response.content.decode()
    assert not Proposal.objects.filter(author=author).exists()
    fragment = _page(client, reverse("proposals:similar"), title="maison des familles")
    assert "Des maisons des familles dans chaque canton" in fragment
    response = client.post(reverse("proposals:write"), {**data, "title": "", "action": "publish"})
    html = response.content.decode()
    assert "Erreur" in html and "Moins de placements" in html
    response = client.post(reverse("proposals:write"), {**data, "action": "publish"})
    proposal = Proposal.objects.get(author=author)
    assert response.status_code == 302 and proposal.state == ProposalState.PUBLISHED


def test_supporting_twice_from_the_page_says_so(client):
    proposal = ProposalFactory()
    client.force_login(UserFactory())
    client.post(reverse("proposals:support", args=[proposal.pk]))
    response = client.post(reverse("proposals:support", args=[proposal.pk]), follow=True)
    assert "Vous soutenez déjà cette proposition." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.support_count == 1


def test_a_too_long_comment_keeps_the_text(client):
    proposal = ProposalFactory()
    client.force_login(UserFactory())
    long_text = "mot " * 2000
    response = client.post(reverse("proposals:comment", args=[proposal.pk]), {"body": long_text})
    html = response.content.decode()
    assert "dépasse 5\u202f000 caractères" in html and long_text.strip()[:200] in html
    assert not Comment.objects.exists()


def test_comments_are_rate_limited(client):
    proposal = ProposalFactory()
    client.force_login(UserFactory())
    for n in range(10):
        client.post(reverse("proposals:comment", args=[proposal.pk]), {"body": f"Avis {n}"})
    response = client.post(reverse("proposals:comment", args=[proposal.pk]), {"body": "Encore"})
    assert response.status_code == 429 and "attendez une minute" in response.content.decode()
    assert Comment.objects.count() == 10


def test_a_flagged_comment_disappears_from_the_page(client):
    comment = CommentFactory(body="Texte inquiétant")
    client.force_login(UserFactory())
    _page(client, reverse("proposals:flag_comment", args=[comment.pk]))
    response = client.post(reverse("proposals:flag_comment", args=[comment.pk]), {"reason": ""})
    assert response.status_code == 302
    assert "Texte inquiétant" not in _page(client, comment.proposal.get_absolute_url())


def test_moderation_pages_are_for_the_administrator(client, admin_national):
    comment = CommentFactory()
    client.force_login(UserFactory())
    assert client.get(reverse("proposals:moderation")).status_code == 403
    assert client.get(reverse("proposals:remove_comment", args=[comment.pk])).status_code == 403
    client.force_login(admin_national)
    _page(client, reverse("proposals:moderation"))
    client.post(reverse("proposals:remove_comment", args=[comment.pk]), {"reason": "Hors sujet"})
    html = _page(client, comment.proposal.get_absolute_url())
    assert "Commentaire retiré par la modération : Hors sujet" in html


def test_deliberation_buttons_only_for_the_instance(client):
    instance = InstanceFactory()
    secretary = secretary_of(instance)
    proposal = ProposalFactory()
    client.force_login(UserFactory())
    assert "Mettre en délibération" not in _page(client, proposal.get_absolute_url())
    response = client.post(
        reverse("proposals:take_up", args=[proposal.pk]), {"instance": instance.pk}
    )
    assert response.status_code == 403
    client.force_login(secretary)
    assert "Mettre en délibération" in _page(client, proposal.get_absolute_url())
    client.post(reverse("proposals:take_up", args=[proposal.pk]), {"instance": instance.pk})
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.UNDER_DELIBERATION


@pytest.mark.parametrize("action", ["open_decision", "conclude_decision", "transmit"])
def test_another_instance_cannot_run_the_deliberation(client, action):
    """The secretary of another instance is refused (403) and nothing changes."""
    instance = InstanceFactory()
    proposal = ProposalFactory(state=ProposalState.UNDER_DELIBERATION, instance=instance)
    client.force_login(secretary_of(InstanceFactory()))
    response = client.post(reverse(f"proposals:{action}", args=[proposal.pk]))
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.UNDER_DELIBERATION
    assert proposal.decision_ballot_id is None


def test_a_hidden_proposal_is_gone_for_everyone(client):
    proposal = ProposalFactory()
    safeguarding.flag_danger(proposal, by=UserFactory())
    assert client.get(proposal.get_absolute_url()).status_code == 404
    client.force_login(proposal.author)
    assert client.get(proposal.get_absolute_url()).status_code == 404


def test_an_adopted_proposal_offers_consolidation_to_the_administrator_only(client, admin_national):
    proposal = ProposalFactory(
        title="Proposition adoptée", state=ProposalState.ADOPTED, instance=InstanceFactory()
    )
    link = f"{reverse('texts:law_create')}?proposition={proposal.pk}"
    client.force_login(admin_national)
    assert link in _page(client, proposal.get_absolute_url())
    client.force_login(UserFactory())
    assert link not in _page(client, proposal.get_absolute_url())
    still_published = published(title="Pas encore adoptée")
    client.force_login(admin_national)
    assert "Reprendre dans une proposition de loi" not in _page(
        client, still_published.get_absolute_url()
    )


def test_a_reply_to_another_proposals_comment_is_refused_and_the_text_kept(client):
    proposal = ProposalFactory()
    elsewhere = CommentFactory(body="Ailleurs")
    client.force_login(UserFactory())
    url = reverse("proposals:comment", args=[proposal.pk])
    response = client.post(url, {"body": "Ma réponse mûrie", "parent": elsewhere.pk})
    html = response.content.decode()
    assert response.status_code == 200 and INVALID not in html
    assert "existe pas sur cette proposition" in html and "Ma réponse mûrie" in html
    assert f'value="{elsewhere.pk}"' not in html
    assert not Comment.objects.filter(proposal=proposal).exists()
    # Sent again as it comes back, the text becomes a new comment.
    client.post(url, {"body": "Ma réponse mûrie", "parent": ""})
    assert Comment.objects.get(proposal=proposal).parent is None


def test_what_one_cannot_see_cannot_be_followed_or_reported(client):
    draft = ProposalFactory(state=ProposalState.DRAFT, published_at=None, title="Brouillon secret")
    pending = CommentFactory(state=CommentState.PENDING_MODERATION, body="Avis en attente")
    client.force_login(UserFactory())
    response = client.post(reverse("proposals:follow", args=[draft.pk]))
    assert response.status_code == 404 and "Brouillon secret" not in response.content.decode()
    report = reverse("proposals:report_comment", args=[pending.pk])
    for response in (client.get(report), client.post(report, {"reason": "Publicité"})):
        assert response.status_code == 404
        assert "Avis en attente" not in response.content.decode()
    assert not Follow.objects.filter(proposal=draft).exists()
    assert not CommentReport.objects.exists()


def test_a_send_back_reason_too_long_comes_back_as_typed(client, admin_national):
    proposal = ProposalFactory(state=ProposalState.PENDING_MODERATION, published_at=None)
    url = reverse("proposals:moderate", args=[proposal.pk])
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "approve"}).status_code == 403
    client.force_login(admin_national)
    assert url in _page(client, reverse("proposals:moderation"))
    assert "Motif du renvoi" in _page(client, url)
    reason = "Retirez le nom de l'école. " * 12 + "Fin du motif."
    html = client.post(url, {"reason": reason}).content.decode()
    assert "« Le motif » dépasse 300 caractères : votre texte en compte 337" in html
    assert "Fin du motif." in html and INVALID not in html
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PENDING_MODERATION
    response = client.post(url, {"reason": "Retirez le nom de l'école."})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.DRAFT


def test_a_removal_reason_too_long_comes_back_as_typed(client, admin_national):
    comment = CommentFactory()
    client.force_login(admin_national)
    reason = "Propos injurieux envers une famille. " * 9
    response = client.post(
        reverse("proposals:remove_comment", args=[comment.pk]), {"reason": reason}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "« Le motif » dépasse 300 caractères" in html and reason.strip()[-60:] in html
    comment.refresh_from_db()
    assert comment.state == CommentState.PUBLISHED
