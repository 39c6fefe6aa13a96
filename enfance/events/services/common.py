"""What the events' services share: the date as people read it, their e-mails, the row lock."""

from datetime import datetime

from django.utils import formats, timezone, translation

from enfance.core import notifications

from ..models import Event


def format_when(moment: datetime) -> str:
    """ "mardi 3 juin 2025 à 18 h 30", in Paris time."""
    with translation.override("fr"):
        return formats.date_format(timezone.localtime(moment), r"l j F Y à H \h i")


def notify(user, template: str, *, subject: str, event: Event, **context) -> None:
    """One message per person (no one sees the others' addresses), sent after commit."""
    notifications.send(
        template,
        {
            "person": user,
            "event": event,
            "event_url": notifications.absolute_url(event.get_absolute_url()),
            "when": format_when(event.starts_at),
            **context,
        },
        subject=f"[Agenda] {subject}",
        to=user.email,
    )


def lock(event: Event) -> Event:
    return (
        Event.objects.select_for_update(of=("self",)).select_related("departement").get(pk=event.pk)
    )
