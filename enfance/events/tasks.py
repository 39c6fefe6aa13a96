"""Background jobs of the events module."""

from django.utils.dateparse import parse_datetime
from django_tasks import task

from . import services


@task()
def send_event_reminders(now: str = "") -> int:
    """The day-before reminders; `now` (ISO 8601) fixes the clock, for tests and replays."""
    return services.send_reminders(now=parse_datetime(now) if now else None)
