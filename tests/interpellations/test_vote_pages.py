"""Closing the instance's vote from its pages: what the page says is what the service does."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from enfance.interpellations import services
from enfance.interpellations.enums import State
from enfance.interpellations.models import Interpellation
from enfance.votes import services as votes
from enfance.votes.enums import BallotState
from enfance.votes.models import Ballot, Result

from .test_views import _page
from .test_workflow import FIELDS, closed_early_before_the_rule

pytestmark = pytest.mark.django_db


# Closing the vote: what the page says is what the service does ----------------------------------


def _in_vote(instance, members, choices):
    draft = services.create_interpellation(instance, by=members[0], **FIELDS)
    ballot = services.submit_to_vote(
        draft, by=members[0], closes_at=timezone.now() + timedelta(days=7)
    )
    for member, choice in zip(members, choices, strict=False):
        votes.cast_vote(ballot, by=member, choice=choice)
    return draft, ballot


def test_the_page_counts_the_votes_and_offers_to_close_only_when_allowed(
    client, instance, members, django_assert_max_num_queries
):
    draft, ballot = _in_vote(instance, members, ("pour", "pour"))
    url, conclude = draft.get_absolute_url(), reverse("interpellations:conclude", args=[draft.pk])
    client.force_login(members[0])
    with django_assert_max_num_queries(15):
        html = _page(client, url)
    assert "2 membres sur 3 ont voté" in html
    assert "Vous pourrez le clore dès que tous les membres auront voté, ou à cette date." in html
    assert 'disabled aria-describedby="conclude-reason"' in html and conclude not in html
    # Posted by hand all the same: refused, with the reason, and the vote stays open.
    response = client.post(conclude, follow=True)
    assert "Le vote ne peut pas encore être clos : 2 membres sur 3 ont voté." in (
        response.content.decode()
    )
    ballot.refresh_from_db()
    assert ballot.state == BallotState.OPEN
    assert Interpellation.objects.get(pk=draft.pk).state == State.VOTING
    votes.cast_vote(ballot, by=members[2], choice="contre")
    html = _page(client, url)
    assert "Tous les membres ont voté (3 sur 3) : vous pouvez le clore dès maintenant." in html
    assert conclude in html and "disabled" not in html
    response = client.post(conclude, follow=True)
    assert "L&#x27;interpellation est adoptée." in response.content.decode()


def test_once_its_closing_time_has_passed_the_vote_closes_from_the_page(client, instance, members):
    draft, ballot = _in_vote(instance, members, ("pour",))
    # The clock moves on: the ballot's dates are put in the past.
    past = timezone.now() - timedelta(minutes=1)
    Ballot.objects.filter(pk=ballot.pk).update(opens_at=past - timedelta(days=7), closes_at=past)
    client.force_login(members[0])
    html = _page(client, draft.get_absolute_url())
    assert "Le vote a pris fin le" in html and "1 membre sur 3 a voté" in html
    assert reverse("interpellations:conclude", args=[draft.pk]) in html
    response = client.post(reverse("interpellations:conclude", args=[draft.pk]), follow=True)
    assert "L&#x27;interpellation n&#x27;est pas adoptée." in response.content.decode()
    assert Interpellation.objects.get(pk=draft.pk).state == State.REJECTED


def test_a_ballot_closed_early_before_the_rule_is_explained_not_applied(client, instance, members):
    draft, ballot = _in_vote(instance, members, ("pour", "pour"))
    closed_early_before_the_rule(ballot, by=members[0])
    client.force_login(members[0])
    html = _page(client, draft.get_absolute_url())
    assert "son résultat ne peut pas décider de l&#x27;interpellation" in html
    assert reverse("interpellations:conclude", args=[draft.pk]) not in html
    assert "Annuler le vote et reprendre le brouillon" in html


def test_the_ballots_own_page_refuses_an_early_close_with_the_reason(
    client, instance, members, django_assert_max_num_queries
):
    draft, ballot = _in_vote(instance, members, ("pour", "pour"))
    manage = reverse("votes:manage", args=[ballot.pk])
    close = reverse("votes:transition", args=[ballot.pk, "close"])
    reason = "Le vote ne peut pas encore être clos : 2 membres sur 3 ont voté."
    client.force_login(members[0])
    with django_assert_max_num_queries(15):
        html = _page(client, manage)
    assert escape(reason) in html
    assert 'disabled aria-describedby="close-reason"' in html and close not in html
    # Cancelling stays possible: the secretariat may still take the text back.
    assert reverse("votes:transition", args=[ballot.pk, "cancel"]) in html
    # Posted by hand all the same: refused with the reason, the vote stays open.
    response = client.post(close, follow=True)
    assert response.redirect_chain == [(manage, 302)]
    assert escape(reason) in response.content.decode()
    ballot.refresh_from_db()
    assert ballot.state == BallotState.OPEN and not Result.objects.filter(ballot=ballot).exists()
    # The last member votes: the ballot closes from its page, and its result decides.
    votes.cast_vote(ballot, by=members[2], choice="contre")
    html = _page(client, manage)
    assert close in html and "disabled" not in html
    assert client.post(close).url == reverse("votes:results", args=[ballot.pk])
    assert services.conclude_vote(draft, by=members[0]).state == State.ADOPTED


def test_once_its_closing_time_has_passed_the_ballots_page_closes_it(client, instance, members):
    draft, ballot = _in_vote(instance, members, ("pour",))
    # The clock moves on: the ballot's dates are put in the past.
    past = timezone.now() - timedelta(minutes=1)
    Ballot.objects.filter(pk=ballot.pk).update(opens_at=past - timedelta(days=7), closes_at=past)
    client.force_login(members[0])
    close = reverse("votes:transition", args=[ballot.pk, "close"])
    assert close in _page(client, reverse("votes:manage", args=[ballot.pk]))
    client.post(close)
    ballot.refresh_from_db()
    assert ballot.state == BallotState.CLOSED
    assert services.conclude_vote(draft, by=members[0]).state == State.REJECTED
