"""The confirmation e-mails of signatures: their links, and their own queue.

A surge cannot afford one background job per signature (it would double the writes of every
signing): the signature row is the queue (``email_pending``), and one job sends every pending
e-mail in batches over one SMTP connection (README.md in this package). The messages are still
rendered by the platform's one e-mail path (core.notifications: the same layout, the signature
with 119 / 17 / 112), then sent over that connection.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing
from django.core.mail import get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from enfance.core import notifications

from . import conf
from .models import Petition, Signature

TOKEN_SALT = "petitions.confirmation"  # noqa: S105 - a signing namespace, not a secret
TEMPLATE = "petitions/emails/confirmation.txt"


def confirmation_token(signature_pk: int) -> str:
    return signing.dumps(signature_pk, salt=TOKEN_SALT)


@dataclass(frozen=True)
class TokenCheck:
    signature: Signature | None
    expired: bool = False


def read_token(token: str) -> TokenCheck:
    """The signature a link designates; `expired` if it is genuine but too old. None: the link
    was tampered with, or its signature no longer exists (deleted or anonymised)."""
    max_age = timedelta(days=conf.get("CONFIRMATION_DAYS"))
    expired = False
    try:
        pk = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.SignatureExpired:
        expired = True
        pk = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature:
        return TokenCheck(None)
    signature = (
        Signature.objects.select_related("petition")
        .filter(pk=pk, email_normalized__isnull=False)
        .first()
    )
    if signature is None:
        return TokenCheck(None)
    return TokenCheck(signature, expired=expired and signature.confirmed_at is None)


def confirmation_email(row: dict, petition: Petition) -> notifications.Email:
    """The e-mail of one pending signature (``row``: the values send_pending_emails reads)."""
    confirmed = row["confirmed_at"] is not None
    subject = (
        "Votre signature est déjà enregistrée"
        if confirmed
        else "Confirmez votre signature de la pétition"
    )
    context = {
        "first_name": row["first_name"],
        "petition": petition,
        "confirmed": confirmed,
        "link": notifications.absolute_url(
            reverse("petitions:confirm", args=[confirmation_token(row["pk"])])
        ),
        "days": conf.get("CONFIRMATION_DAYS"),
        "retention": conf.get("UNCONFIRMED_RETENTION_DAYS"),
        "petition_url": notifications.absolute_url(reverse("petitions:detail")),
    }
    return notifications.render(
        TEMPLATE, context, subject=f"[Protection de l'enfance] {subject}", to=row["email"]
    )


def send_pending_emails(batch: int | None = None) -> int:
    """Send one batch of pending confirmation e-mails over one connection; returns how many.

    The rows stay locked while their e-mails go out (other workers skip them); if sending
    fails, the transaction rolls back and they stay pending for the next run.
    """
    batch = batch or conf.get("EMAIL_BATCH")
    with transaction.atomic():
        rows = list(
            Signature.objects.awaiting_email()
            .select_for_update(skip_locked=True)
            .order_by("id")
            .values("pk", "petition_id", "first_name", "email", "confirmed_at")[:batch]
        )
        if not rows:
            return 0
        petitions = Petition.objects.in_bulk({row["petition_id"] for row in rows})
        emails = [confirmation_email(row, petitions[row["petition_id"]]) for row in rows]
        with get_connection() as connection:
            connection.send_messages(
                [notifications.as_message(email, connection) for email in emails]
            )
        Signature.objects.filter(pk__in=[row["pk"] for row in rows]).update(
            email_pending=False, emailed_at=timezone.now()
        )
    return len(rows)


def drain_pending_emails() -> int:
    sent, batch = 0, conf.get("EMAIL_BATCH")
    while True:
        done = send_pending_emails(batch)
        sent += done
        if done < batch:
            return sent
