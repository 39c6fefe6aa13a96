"""Writing, supporting, commenting and moderating proposals, with the refusals of issue #5."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from enfance.core import fulltext
from enfance.core.models import LogEntry, SearchEntry
from enfance.discussions.enums import CommentState
from enfance.proposals import services
from enfance.proposals.enums import ProposalState
from enfance.proposals.models import Comment, CommentReport, Follow, Proposal, Support
from tests.assemblies.factories import child
from tests.factories import UserFactory

from .factories import CommentFactory, ProposalFactory, published

pytestmark = pytest.mark.django_db

TEXTS = {
    "title": "Des maisons des familles",
    "problem": "Pas de lieu d'accueil.",
    "body": "Ouvrir une maison des familles.",
    "expected_effect": "Moins de placements.",
}


def test_a_draft_is_private_until_published():
    author = UserFactory()
    draft = services.create_proposal(by=author, **TEXTS)
    assert draft.state == ProposalState.DRAFT
    assert not Proposal.objects.published().filter(pk=draft.pk).exists()
    assert Proposal.objects.visible_to(author).filter(pk=draft.pk).exists()
    assert not Proposal.objects.visible_to(UserFactory()).filter(pk=draft.pk).exists()
    proposal = services.publish_proposal(draft, by=author)
    assert proposal.state == ProposalState.PUBLISHED and proposal.published_at
    assert Proposal.objects.published().filter(pk=draft.pk).exists()
    # The author follows their proposal.
    assert Follow.objects.filter(proposal=proposal, user=author, active=True).exists()


def test_empty_and_too_long_texts_are_refused_with_french_messages():
    with pytest.raises(ValidationError) as error:
        services.create_proposal(by=UserFactory(), **{**TEXTS, "title": "  ", "body": "x" * 10_001})
    assert "Remplissez « Titre »" in error.value.message_dict["title"][0]
    assert "dépasse 10\u202f000 caractères" in error.value.message_dict["body"][0]
    assert not Proposal.objects.exists()


def test_someone_else_cannot_publish_or_edit_a_draft():
    draft = services.create_proposal(by=UserFactory(), **TEXTS)
    other = UserFactory()
    with pytest.raises(PermissionDenied):
        services.publish_proposal(draft, by=other)
    with pytest.raises(PermissionDenied):
        services.update_proposal(draft, by=other, **TEXTS)


def test_a_support_counts_once_and_can_be_withdrawn():
    proposal = ProposalFactory()
    person = UserFactory()
    services.support(proposal, by=person)
    with pytest.raises(ValidationError, match="Vous soutenez déjà cette proposition"):
        services.support(proposal, by=person)
    proposal.refresh_from_db()
    assert proposal.support_count == 1
    assert Follow.objects.filter(proposal=proposal, user=person, active=True).exists()
    services.withdraw_support(proposal, by=person)
    proposal.refresh_from_db()
    assert proposal.support_count == 0
    with pytest.raises(ValidationError):
        services.withdraw_support(proposal, by=person)


def test_the_database_refuses_a_second_support():
    proposal = ProposalFactory()
    person = UserFactory()
    Support.objects.create(proposal=proposal, user=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(proposal=proposal, user=person)


def test_unfollowing_sticks_when_supporting_later():
    proposal = ProposalFactory()
    person = UserFactory()
    services.set_following(proposal, by=person, follow=False)
    services.support(proposal, by=person)
    assert not Follow.objects.get(proposal=proposal, user=person).active


def test_a_draft_cannot_be_supported_or_commented():
    draft = ProposalFactory(state=ProposalState.DRAFT, published_at=None)
    with pytest.raises(PermissionDenied):
        services.support(draft, by=UserFactory())
    with pytest.raises(PermissionDenied):
        services.add_comment(draft, by=UserFactory(), body="Bonjour")


@pytest.mark.parametrize(
    ("body", "message"),
    [("   ", "Votre commentaire est vide"), ("x" * 100_000, "dépasse 5\u202f000 caractères")],
)
def test_bad_comments_are_refused(body, message):
    proposal = ProposalFactory()
    with pytest.raises(ValidationError) as error:
        services.add_comment(proposal, by=UserFactory(), body=body)
    assert message in " ".join(error.value.messages)
    assert not Comment.objects.exists()


def test_replies_are_one_level_deep_and_counted():
    proposal = ProposalFactory()
    top = services.add_comment(proposal, by=UserFactory(), body="Premier")
    reply = services.add_comment(proposal, by=UserFactory(), body="Réponse", parent=top)
    deeper = services.add_comment(proposal, by=UserFactory(), body="Encore", parent=reply)
    assert reply.parent == top and deeper.parent == top
    proposal.refresh_from_db()
    assert proposal.comment_count == 3


def test_a_reply_to_another_proposals_comment_is_refused():
    other = CommentFactory()
    with pytest.raises(ValidationError):
        services.add_comment(ProposalFactory(), by=UserFactory(), body="Oui", parent=other)


@pytest.mark.parametrize("state", [CommentState.PENDING_MODERATION, CommentState.REMOVED])
def test_a_reply_to_a_comment_out_of_the_thread_is_refused(state):
    proposal = ProposalFactory()
    hidden = CommentFactory(proposal=proposal, state=state, moderation_reason="Hors sujet")
    with pytest.raises(ValidationError, match="pas publié"):
        services.add_comment(proposal, by=UserFactory(), body="Réponse", parent=hidden)
    reply_to_its_reply = CommentFactory(proposal=proposal, parent=hidden)
    with pytest.raises(ValidationError, match="pas publié"):
        services.add_comment(proposal, by=UserFactory(), body="Oui", parent=reply_to_its_reply)
    assert Comment.objects.filter(proposal=proposal).count() == 2
    proposal.refresh_from_db()
    assert proposal.comment_count == 0


def test_moderation_removes_with_a_public_reason(admin_national):
    proposal = ProposalFactory()
    comment = services.add_comment(proposal, by=UserFactory(), body="Insulte")
    with pytest.raises(PermissionDenied):
        services.remove_comment(comment, by=UserFactory(), reason="Insulte")
    with pytest.raises(ValidationError):
        services.remove_comment(comment, by=admin_national, reason="")
    removed = services.remove_comment(comment, by=admin_national, reason="Propos injurieux")
    assert removed.state == CommentState.REMOVED
    assert removed.moderation_reason == "Propos injurieux"
    proposal.refresh_from_db()
    assert proposal.comment_count == 0


def test_abuse_is_reported_once_per_person():
    comment = CommentFactory()
    person = UserFactory()
    services.report_abuse(comment, by=person, reason="Publicité")
    with pytest.raises(ValidationError, match="déjà signalé"):
        services.report_abuse(comment, by=person, reason="Publicité")
    comment.refresh_from_db()
    assert comment.report_count == 1


def test_a_minor_writes_in_a_space_moderated_before_publication(admin_national):
    today = date.today()
    minor = child(date(today.year - 15, 1, 1))
    draft = services.create_proposal(by=minor, **TEXTS)
    proposal = services.publish_proposal(draft, by=minor)
    assert proposal.state == ProposalState.PENDING_MODERATION
    assert not Proposal.objects.published().filter(pk=proposal.pk).exists()
    proposal = services.moderate_proposal(proposal, by=admin_national, approve=True)
    assert proposal.state == ProposalState.PUBLISHED

    comment = services.add_comment(proposal, by=minor, body="Mon avis")
    assert comment.state == CommentState.PENDING_MODERATION
    assert not Comment.objects.shown().filter(pk=comment.pk).exists()
    proposal.refresh_from_db()
    assert proposal.comment_count == 0
    services.publish_comment(comment, by=admin_national)
    proposal.refresh_from_db()
    assert proposal.comment_count == 1


def test_a_minor_appears_by_first_name_only():
    today = date.today()
    minor = child(date(today.year - 14, 1, 1), first_name="Lina")
    comment = CommentFactory(author=minor)
    assert comment.public_name == "Lina"
    adult = UserFactory(first_name="Paul", last_name="Durand")
    assert CommentFactory(author=adult).public_name == "Paul D."


def test_published_proposals_are_found_by_search():

    proposal = published(title="Séjours d'observation prolongés")
    found = fulltext.search(Proposal.objects.published(), "observation sejour")
    assert list(found) == [proposal]


# Leftovers of the review of issue #5 -----------------------------------------------------------


@pytest.mark.parametrize("elsewhere", ["other_proposal", "unknown"])
def test_a_reply_to_a_comment_id_not_on_the_proposal_is_refused_not_made_top_level(elsewhere):
    proposal = ProposalFactory()
    parent_id = CommentFactory().pk if elsewhere == "other_proposal" else 999_999
    with pytest.raises(ValidationError) as error:
        services.add_comment(proposal, by=UserFactory(), body="Je réponds", parent=parent_id)
    assert "n'existe pas sur cette proposition" in " ".join(error.value.messages)
    assert not Comment.objects.filter(proposal=proposal).exists()


def test_a_reply_by_id_stays_one_level_deep():
    proposal = ProposalFactory()
    top = services.add_comment(proposal, by=UserFactory(), body="Premier")
    reply = services.add_comment(proposal, by=UserFactory(), body="Réponse", parent=top.pk)
    deeper = services.add_comment(proposal, by=UserFactory(), body="Encore", parent=reply.pk)
    assert reply.parent == top and deeper.parent == top


def _invisible_proposals(author):
    """A draft, one awaiting moderation and a published one flagged for a child's safety."""
    return [
        ProposalFactory(author=author, state=ProposalState.DRAFT, published_at=None),
        ProposalFactory(author=author, state=ProposalState.PENDING_MODERATION, published_at=None),
        ProposalFactory(author=author, danger_hidden_at=timezone.now()),
    ]


def test_nobody_follows_a_proposal_they_cannot_see():
    stranger = UserFactory()
    for proposal in _invisible_proposals(UserFactory()):
        with pytest.raises(Http404):
            services.set_following(proposal, by=stranger, follow=True)
    assert not Follow.objects.filter(user=stranger).exists()


def test_the_author_may_follow_their_own_draft():
    author = UserFactory()
    draft = _invisible_proposals(author)[0]
    assert services.set_following(draft, by=author, follow=True).active


def _unseen_comments():
    """Comments out of any thread this person reads, each for its own reason."""
    draft, pending, flagged = _invisible_proposals(UserFactory())
    return [
        CommentFactory(state=CommentState.PENDING_MODERATION),
        CommentFactory(state=CommentState.REMOVED, moderation_reason="Hors sujet"),
        CommentFactory(danger_hidden_at=timezone.now()),
        CommentFactory(proposal=draft),
        CommentFactory(proposal=pending),
        CommentFactory(proposal=flagged),
    ]


def test_nobody_reports_a_comment_they_cannot_see():
    person = UserFactory()
    for comment in _unseen_comments():
        with pytest.raises(Http404):
            services.report_abuse(comment, by=person, reason="Publicité")
    assert not CommentReport.objects.exists()
    assert not Comment.objects.filter(report_count__gt=0).exists()


def test_a_send_back_reason_too_long_is_refused_whole(admin_national):
    proposal = ProposalFactory(state=ProposalState.PENDING_MODERATION, published_at=None)
    reason = "Retirez le prénom de l'enfant, s'il vous plaît. " * 8 + "Merci."
    with pytest.raises(ValidationError) as error:
        services.moderate_proposal(proposal, by=admin_national, approve=False, reason=reason)
    assert "dépasse 300 caractères : votre texte en compte 390" in error.value.messages[0]
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PENDING_MODERATION
    sent_back = services.moderate_proposal(
        proposal, by=admin_national, approve=False, reason=reason[-300:]
    )
    assert sent_back.state == ProposalState.DRAFT
    event = LogEntry.objects.get(action__endswith="send_back")
    assert event.data["reason"] == reason[-300:]


@pytest.mark.parametrize(
    ("action", "limit"), [("remove", 300), ("report", 500)], ids=["retrait", "signalement"]
)
def test_moderation_and_abuse_reasons_are_never_cut(admin_national, action, limit):
    comment = CommentFactory()
    reason = "x" * (limit + 1)
    with pytest.raises(ValidationError) as error:
        if action == "remove":
            services.remove_comment(comment, by=admin_national, reason=reason)
        else:
            services.report_abuse(comment, by=UserFactory(), reason=reason)
    assert f"votre texte en compte {limit + 1}" in error.value.message_dict["reason"][0]


def test_deleting_a_proposal_deletes_its_search_entry():

    kept = published(title="Séjours d'observation prolongés")
    deleted = published(title="Séjours de rupture")
    assert SearchEntry.objects.filter(object_id=deleted.pk).exists()
    Proposal.objects.filter(pk=deleted.pk).delete()
    assert list(
        SearchEntry.objects.filter(kind="proposals.Proposal").values_list("object_id", flat=True)
    ) == [kept.pk]
