"""Every (state, role, action) of a comment on a proposal (the shared moderation of
enfance.discussions): the proposal's page and the moderation's queue offer exactly what the
services accept (tests/workflow_matrix.py)."""

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from enfance.discussions.enums import CommentState
from enfance.proposals import services
from enfance.proposals.models import Comment
from tests.factories import UserFactory
from tests.workflow_matrix import assert_page_and_service_agree

from .factories import CommentFactory, ProposalFactory

pytestmark = pytest.mark.django_db

SITUATIONS = [*CommentState.values, "signale_danger"]
ROLES = ["administrateur", "auteur", "citoyen"]


@pytest.mark.parametrize(("situation", "role"), list(itertools.product(SITUATIONS, ROLES)))
def test_a_comment_offers_what_the_services_accept(client, admin_national, situation, role):
    author = UserFactory()
    comment = CommentFactory(proposal=ProposalFactory(), author=author)
    if situation == "signale_danger":
        Comment.objects.filter(pk=comment.pk).update(danger_hidden_at=timezone.now())
    else:
        Comment.objects.filter(pk=comment.pk).update(state=situation, moderation_reason="Motif.")
    comment = Comment.objects.select_related("proposal").get(pk=comment.pk)
    person = {"administrateur": admin_national, "auteur": author, "citoyen": UserFactory()}[role]
    client.force_login(person)
    html = client.get(comment.proposal.get_absolute_url()).content.decode()
    moderation = client.get(reverse("proposals:moderation"))
    if moderation.status_code == 200:
        html += moderation.content.decode()
    assert_page_and_service_agree(
        where=f"{situation} / {role}",
        abilities=comment.abilities(person),
        attempts={
            "publish": lambda: services.publish_comment(comment, by=person),
            "remove": lambda: services.remove_comment(comment, by=person, reason="Injurieux."),
            "report": lambda: services.report_abuse(comment, by=person, reason="Injurieux."),
            "reply": lambda: services.add_comment(
                comment.proposal, by=person, body="Je réponds.", parent=comment
            ),
        },
        html=html,
        buttons={
            "publish": f'action="{comment.publish_url}"',
            "remove": f'href="{comment.remove_url}"',
            "report": f'href="{comment.report_url}"',
            "reply": f"?repondre={comment.pk}#",
        },
    )
