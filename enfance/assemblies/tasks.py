"""Scheduled jobs of the instances module (django-tasks)."""

from datetime import date

from django_tasks import task

from . import services


@task()
def end_adult_child_mandates_task(today: str = "") -> int:
    """Daily: end the mandates of child members who turned 18, and free the seats of mandates
    whose term has passed (see the services)."""
    day = date.fromisoformat(today) if today else None
    ended = services.end_adult_child_mandates(today=day)
    return len(ended) + len(services.end_expired_mandates(today=day))
