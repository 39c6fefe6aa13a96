"""Background jobs of the interpellations module."""

from django.utils.dateparse import parse_datetime
from django_tasks import task

from . import services


@task()
def send_interpellation_reminders(now: str = "") -> list[int]:
    """Reminders before the deadline and missed deadlines; `now` (ISO 8601) fixes the clock."""
    return list(services.send_reminders(now=parse_datetime(now) if now else None))
