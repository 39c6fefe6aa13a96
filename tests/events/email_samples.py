"""Contexts like the services give (services.common.notify), for tests/core/test_emails.py."""

from enfance.events.services import format_when
from tests.events.factories import EventFactory, LiveFactory
from tests.factories import UserFactory


def _context(event=None, **extra):
    event = event or EventFactory(title="Atelier citoyen : nos priorités")
    return {
        "person": UserFactory(first_name="Claire"),
        "event": event,
        "event_url": f"https://protection-enfance.example{event.get_absolute_url()}",
        "when": format_when(event.starts_at),
        **extra,
    }


REASON = "La salle n'est plus disponible ce soir-là."

SAMPLES = {
    "events/emails/accepted.txt": _context,
    "events/emails/refused.txt": lambda: _context(reason=REASON),
    "events/emails/cancelled.txt": lambda: _context(reason=REASON),
    "events/emails/registered.txt": _context,
    "events/emails/waiting.txt": lambda: _context(position=3),
    "events/emails/promoted.txt": lambda: _context(LiveFactory()),
    "events/emails/reminder.txt": _context,
}
