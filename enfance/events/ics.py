"""An event as an iCalendar file (RFC 5545), for any calendar application."""

from datetime import UTC, datetime

from django.utils import timezone

from .enums import EventStatus
from .models import Event

PRODID = "-//Ministère de la Protection de l'Enfance//Agenda//FR"

_STATUS = {
    EventStatus.PROPOSED: "TENTATIVE",
    EventStatus.PUBLISHED: "CONFIRMED",
    EventStatus.FINISHED: "CONFIRMED",
    EventStatus.CANCELLED: "CANCELLED",
    EventStatus.REFUSED: "CANCELLED",
}


def escape_text(value: str) -> str:
    """TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma and newlines escaped."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets are folded (§3.1), never inside a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = 75 if not out else 74  # continuation lines start with a space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def event_ics(
    event: Event, *, url: str, show_link: bool = False, now: datetime | None = None
) -> str:
    """``show_link``: the connection link of a live goes to registered people and hosts only."""
    online_location = event.online_url if show_link else "En ligne"
    location = online_location if event.is_online else event.place
    if event.commune_id and not event.is_online:
        location = f"{event.place}, {event.commune.name}"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:evenement-{event.pk}@agenda.protection-enfance",
        f"DTSTAMP:{_utc(now or timezone.now())}",
        f"DTSTART:{_utc(event.starts_at)}",
        f"DTEND:{_utc(event.ends_at)}",
        f"SUMMARY:{escape_text(f'{event.get_kind_display()} : {event.title}')}",
        f"DESCRIPTION:{escape_text(event.description)}",
        f"LOCATION:{escape_text(location)}",
        f"URL:{url}",
        f"STATUS:{_STATUS[event.status]}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(f"{fold(line)}\r\n" for line in lines)
