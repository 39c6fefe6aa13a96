"""Background jobs of the platform. E-mails never block a request and are retried on failure."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5


@task()
def send_email(*, subject: str, body: str, to: list[str], html: str = "", attempt: int = 1):
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except Exception:
        if attempt >= MAX_EMAIL_ATTEMPTS:
            logger.exception("E-mail abandoned after %s attempts", attempt)
            raise
        logger.warning("E-mail failed (attempt %s), retrying", attempt, exc_info=True)
        retry = send_email
        if send_email.get_backend().supports_defer:
            retry = send_email.using(run_after=timezone.now() + timedelta(minutes=2**attempt))
        retry.enqueue(subject=subject, body=body, to=to, html=html, attempt=attempt + 1)


def enqueue_email(message: EmailMessage) -> None:
    """Send a rendered message as a background job once the current transaction commits."""
    html = ""
    for content, mimetype in getattr(message, "alternatives", []):
        if mimetype == "text/html":
            html = content
    body = message.body if message.content_subtype == "plain" else ""
    if message.content_subtype == "html":
        html = message.body
    kwargs = {"subject": message.subject, "body": body, "to": list(message.to), "html": html}
    transaction.on_commit(lambda: send_email.enqueue(**kwargs))
