"""The shared comments and moderation (enfance.discussions), through the two modules that use
them: a proposal's comments and the charter's article comments."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from enfance.core.models import LogEntry
from enfance.discussions import services as discussions
from enfance.discussions.enums import CommentState
from enfance.proposals.models import Comment
from enfance.safeguarding.services import flag_danger
from enfance.texts import services as texts
from enfance.texts.models import ArticleComment
from tests.assemblies.factories import child
from tests.factories import UserFactory
from tests.proposals.factories import CommentFactory, ProposalFactory
from tests.texts.factories import charter

pytestmark = pytest.mark.django_db


def _minor():
    return child(date(date.today().year - 13, 1, 1), first_name="Lina")


def test_a_space_moderated_before_publication_holds_every_comment():
    """How the questions of a live will be asked (the module's docstring): held for everyone."""
    proposal = ProposalFactory()
    held = discussions.post(
        proposal.comments, by=UserFactory(), body="Une question ?", moderated=True
    )
    assert held.state == CommentState.PENDING_MODERATION
    assert not Comment.objects.shown().filter(pk=held.pk).exists()
    assert list(Comment.objects.awaiting_moderation()) == [held]
    assert LogEntry.objects.filter(action="proposals.comment.post").exists()


def test_a_minors_comment_on_the_charter_waits_for_the_moderation(client, admin_national):
    text = charter(admin_national)
    article = text.current_version.articles.select_related("version__text").first()
    comment = texts.comment_article(article, by=_minor(), body="Je ne suis pas d'accord.")
    assert comment.state == CommentState.PENDING_MODERATION
    url = text.url("article", article.key)
    client.force_login(UserFactory())
    assert "Je ne suis pas d&#x27;accord." not in client.get(url).content.decode()
    client.force_login(admin_national)
    html = client.get(url).content.decode()
    assert "En attente de modération" in html and "Je ne suis pas d&#x27;accord." in html
    response = client.post(reverse("texts:publish_comment", args=[comment.pk]), follow=True)
    assert "Le commentaire est publié." in response.content.decode()
    client.force_login(UserFactory())
    assert "Je ne suis pas d&#x27;accord." in client.get(url).content.decode()
    assert ArticleComment.objects.get().moderated_by == admin_national


def test_a_minor_is_told_their_comment_waits(client, admin_national):
    text = charter(admin_national)
    article = text.current_version.articles.first()
    client.force_login(_minor())
    response = client.post(
        text.url("comment", article.key), {"comment-body": "Mon avis."}, follow=True
    )
    assert "Votre commentaire sera publié après une relecture." in response.content.decode()
    assert ArticleComment.objects.get().state == CommentState.PENDING_MODERATION


def test_only_the_moderation_publishes_or_removes_and_a_removal_says_why(admin_national):
    held = discussions.post(ProposalFactory().comments, by=_minor(), body="Mon avis")
    with pytest.raises(PermissionDenied):
        discussions.publish(held, by=UserFactory())
    with pytest.raises(PermissionDenied):
        discussions.remove(held, by=UserFactory(), reason="Non.")
    with pytest.raises(ValidationError) as refused:
        discussions.remove(held, by=admin_national, reason="  ")
    assert "Donnez le motif public" in refused.value.message_dict["reason"][0]
    removed = discussions.remove(held, by=admin_national, reason="Hors sujet.")
    assert removed.state == CommentState.REMOVED and removed.moderated_by == admin_national
    entry = LogEntry.objects.get(action="proposals.comment.remove")
    assert entry.public and entry.data["reason"] == "Hors sujet."


def test_a_comment_flagged_as_a_danger_is_the_referents_not_the_moderators(admin_national):

    comment = CommentFactory()
    flag_danger(comment, by=UserFactory())
    comment.refresh_from_db()
    with pytest.raises(ValidationError, match="un référent"):
        discussions.remove(comment, by=admin_national, reason="Hors sujet.")
    assert not comment.abilities(admin_national)["remove"]


def test_a_second_report_is_refused_and_the_first_stands():
    comment = CommentFactory()
    person = UserFactory()
    reportable = Comment.objects.published()
    discussions.report(comment, by=person, reason="Publicité", reportable=reportable)
    with pytest.raises(discussions.AlreadyReported):
        discussions.report(comment, by=person, reason="Encore", reportable=reportable)
    comment.refresh_from_db()
    assert comment.report_count == 1 and comment.reports.get().reason == "Publicité"


def test_the_charters_moderation_queue_lists_held_and_reported_comments(client, admin_national):
    text = charter(admin_national)
    article = text.current_version.articles.select_related("version__text").first()
    texts.comment_article(article, by=_minor(), body="Un avis à relire.")
    reported = texts.comment_article(article, by=UserFactory(), body="Un avis signalé.")
    texts.report_comment(reported, by=UserFactory(), reason="Injurieux.")
    url = reverse("texts:moderation")
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    assert url not in client.get(reverse("texts:text_list")).content.decode()
    client.force_login(admin_national)
    assert url in client.get(reverse("texts:text_list")).content.decode()
    html = client.get(url).content.decode()
    assert "Commentaires à relire (1)" in html and "Un avis à relire." in html
    assert "Commentaires signalés (1)" in html and "Un avis signalé." in html
    assert "Article 1er de « Charte du Ministère" in html
