"""Background jobs of the platform. E-mails never block a request and are retried on failure."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
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
