"""The daily digest: what happened yesterday on the proposals a person follows, in one e-mail.

``send_digests(day)`` covers the activities of the day before ``day`` (local time). The unique
(user, day) index makes it idempotent: run twice, or on two machines, each person gets one
e-mail for the day.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from enfance.core import notifications

from .models import Activity, Digest, Follow

# Beyond this, the e-mail lists the first ones and invites to read the rest on the site.
MAX_LINES_PER_PROPOSAL = 10


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day - timedelta(days=1), time.min))
    return start, start + timedelta(days=1)


def send_digests(day: date | None = None) -> int:
    """Queue one e-mail per follower with news; returns how many were queued."""
    day = day or timezone.localdate()
    start, end = _day_bounds(day)
    activities = defaultdict(list)
    titles = {}
    for activity in (
        Activity.objects.filter(created_at__gte=start, created_at__lt=end)
        .select_related("proposal")
        .order_by("created_at", "pk")
    ):
        activities[activity.proposal_id].append(activity)
        titles[activity.proposal_id] = activity.proposal
    if not activities:
        return 0
    per_user = defaultdict(list)
    users = {}
    for follow in (
        Follow.objects.active()
        .filter(proposal_id__in=activities.keys(), user__is_active=True)
        .select_related("user")
        .order_by("user_id", "proposal_id")
    ):
        # What the person did themselves is not news to them.
        news = [a for a in activities[follow.proposal_id] if a.actor_id != follow.user_id]
        if news:
            per_user[follow.user_id].append((titles[follow.proposal_id], news))
            users[follow.user_id] = follow.user
    sent = 0
    for user_id, items in per_user.items():
        user = users[user_id]
        try:
            with transaction.atomic():
                Digest.objects.create(
                    user=user, day=day, activity_count=sum(len(news) for _, news in items)
                )
                _queue(user, day, items)
        except IntegrityError:
            continue  # Already sent for this day.
        sent += 1
    return sent


def _queue(user, day: date, items) -> None:
    count = len(items)
    notifications.send(
        "proposals/emails/digest.txt",
        {
            "first_name": user.first_name,
            "day": day - timedelta(days=1),
            "items": [
                {
                    "title": proposal.title,
                    "url": notifications.absolute_url(proposal.get_absolute_url()),
                    "news": [activity.summary for activity in news[:MAX_LINES_PER_PROPOSAL]],
                    "more": max(len(news) - MAX_LINES_PER_PROPOSAL, 0),
                }
                for proposal, news in items
            ],
        },
        subject=f"[Propositions] Du nouveau sur {count} proposition{'s' if count > 1 else ''} "
        "que vous suivez",
        to=user.email,
    )
