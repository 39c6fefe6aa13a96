from django_tasks import task

from . import services


@task()
def drain_confirmation_emails():
    """Send every pending confirmation e-mail, in batches (see services.schedule_email_drain)."""
    return services.drain_pending_emails()
