"""Every e-mail of the platform goes through here: one body template per message, one layout
that adds the shared signature (who writes, and what to do in immediate danger: 119, 17 / 112)
to a text part and an HTML part, and one queue.

A module sends with ``send("events/emails/registered.txt", {...}, subject=..., to=...)``: the
message is rendered now (inside the caller's transaction, from the data it sees) and queued when
the transaction commits, as a background job retried on failure (``core.tasks.send_email``). A
rolled-back action sends nothing. The petition keeps its own queue for its surges (rows locked in
batches) but renders its messages here too (``render``, ``as_message``).

Body templates hold the message only, never the signature: the layout adds it, so that no
e-mail can go out without it (``tests/core/test_emails.py`` renders every template).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string

from .tasks import send_email

TEXT_LAYOUT = "emails/layout.txt"
HTML_LAYOUT = "emails/layout.html"


@dataclass(frozen=True)
class Email:
    subject: str
    text: str
    html: str
    to: tuple[str, ...]


def absolute_url(path: str) -> str:
    """An address people can open from their mailbox."""
    return f"{settings.SITE_URL}{path}"


def render(template: str, context: dict, *, subject: str, to: str | Iterable[str]) -> Email:
    return wrap(render_to_string(template, context), subject=subject, to=to)


def wrap(body: str, *, subject: str, to: str | Iterable[str]) -> Email:
    """A body already rendered (allauth renders its own) in the platform's layouts."""
    body = body.strip()
    recipients = (to,) if isinstance(to, str) else tuple(to)
    return Email(
        subject=" ".join(subject.split()),
        text=render_to_string(TEXT_LAYOUT, {"body": body}),
        html=render_to_string(HTML_LAYOUT, {"body": body, "subject": subject}),
        to=recipients,
    )


def send(template: str, context: dict, *, subject: str, to: str | Iterable[str]) -> None:
    """Render now, send once the current transaction commits. ``to`` is one address or the
    addresses of one message (they see each other: send one message per person when they
    must not)."""
    email = render(template, context, subject=subject, to=to)
    if email.to:
        enqueue(email)


def enqueue(email: Email) -> None:
    kwargs = {
        "subject": email.subject,
        "body": email.text,
        "html": email.html,
        "to": list(email.to),
    }
    transaction.on_commit(lambda: send_email.enqueue(**kwargs))


def as_message(email: Email, connection=None) -> EmailMultiAlternatives:
    """The message itself, for a module that sends over its own connection."""
    message = EmailMultiAlternatives(
        email.subject,
        email.text,
        settings.DEFAULT_FROM_EMAIL,
        list(email.to),
        connection=connection,
    )
    message.attach_alternative(email.html, "text/html")
    return message
