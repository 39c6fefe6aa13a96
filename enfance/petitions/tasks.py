from django_tasks import task

from . import emails


@task()
def drain_confirmation_emails():
    """Send every pending confirmation e-mail, in batches (see services.schedule_email_drain)."""
    return emails.drain_pending_emails()
