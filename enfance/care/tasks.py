"""Background jobs of the care network."""

from django.utils.dateparse import parse_datetime
from django_tasks import task

from . import place_requests, services


@task()
def send_freshness_reminders(now: str = "") -> int:
    """Reminders before free places turn unknown; `now` (ISO 8601) fixes the clock."""
    return services.send_freshness_reminders(now=parse_datetime(now) if now else None)


@task()
def close_expired_place_requests(now: str = "") -> int:
    """Requests past their deadline without an acceptance; `now` (ISO 8601) fixes the clock."""
    return place_requests.close_expired_requests(now=parse_datetime(now) if now else None)
