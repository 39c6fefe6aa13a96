"""Followers get one daily digest, whatever the number of runs."""

from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from enfance.proposals import services
from enfance.proposals.models import Activity, Digest
from tests.factories import UserFactory

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db

DAY = date(2026, 3, 11)


def _at(hour):
    return timezone.make_aware(datetime(2026, 3, 11, hour))


def test_one_digest_per_follower_per_day(mailoutbox, django_capture_on_commit_callbacks):
    proposal = ProposalFactory(title="Des maisons des familles")
    follower, commenter = UserFactory(), UserFactory(first_name="Nina", last_name="Ba")
    services.support(proposal, by=follower)
    unfollowed = UserFactory()
    services.support(proposal, by=unfollowed)
    services.set_following(proposal, by=unfollowed, follow=False)
    services.add_comment(proposal, by=commenter, body="Premier")
    services.add_comment(proposal, by=commenter, body="Second")
    # A fixed clock: the news happened on the 11th.
    Activity.objects.update(created_at=_at(10))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_proposal_digests", "--date", "2026-03-12")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_proposal_digests", "--date", "2026-03-12")
    recipients = sorted(m.to[0] for m in mailoutbox)
    # The commenter follows too but their own news is not news to them; the one who stopped
    # following gets nothing.
    assert recipients == [follower.email]
    body = mailoutbox[0].body
    assert body.count("Nouveau commentaire de Nina B.") == 2
    assert "Des maisons des familles" in body
    assert Digest.objects.get().day == date(2026, 3, 12)

    # The next day there is no news: nothing is sent.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_proposal_digests", "--date", "2026-03-13")
    assert len(mailoutbox) == 1
