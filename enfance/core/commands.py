"""What the management commands share: the daily jobs can run on a fixed clock (a test, a job
to catch up), given in French on the command line."""

from datetime import date, datetime

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime


def parse_day(text: str | None) -> date | None:
    """``--date AAAA-MM-JJ``: the day to consider; None for today."""
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Date invalide : « {text} » (attendu AAAA-MM-JJ).") from None


def parse_moment(text: str | None) -> datetime | None:
    """``--maintenant 2026-06-01T08:00``: the moment to consider (Paris time when no offset is
    given); None for now."""
    if not text:
        return None
    moment = parse_datetime(text)
    if moment is None:
        raise CommandError(f"Date et heure illisibles : « {text} » (ex. 2026-06-01T08:00).")
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment
