"""Every write to a support request bumps ``QUEUE_VERSION`` after it commits: the professionals'
queue tables, kept rendered in the cache (``queue_views.queue``), never show a request that was
taken, closed or deleted, nor miss a new one."""

from django.db.models.signals import post_delete, post_save

from enfance.accounts import facts
from enfance.core.cache import bump_on_commit

from . import attachments
from .models import Specialty, SupportRequest

QUEUE_VERSION = "support-queue"


def _bump(sender, **kwargs):
    bump_on_commit(QUEUE_VERSION)


def connect() -> None:
    attachments.connect()
    facts.forget_on_change(Specialty)
    post_save.connect(_bump, sender=SupportRequest, dispatch_uid="support-queue-save")
    post_delete.connect(_bump, sender=SupportRequest, dispatch_uid="support-queue-delete")
