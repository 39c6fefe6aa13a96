"""What parents and professionals do with a support request. Views call these; every rule is here
or in the models' constraints. No e-mail ever carries what a parent wrote: it says that something
is waiting, and where."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from enfance.accounts import facts
from enfance.core import notifications
from enfance.core.access import permit
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text
from enfance.core.workflow import apply_transition
from enfance.safeguarding.models import DangerReport
from enfance.safeguarding.services import REASON_MAX_LENGTH, flag_danger

from . import attachments, perms
from .enums import ChildAge, Subject
from .models import (
    CONTACT_MAX,
    MESSAGE_MAX,
    SITUATION_MAX,
    RequestRead,
    Specialty,
    SupportMessage,
    SupportRequest,
)
from .workflows import REQUEST_WORKFLOW

CLOSED = "La demande est close : écrivez une nouvelle demande si besoin."


def submit(
    *, parent, subject: str, departement, child_age: str, situation: str, contact: str = ""
) -> SupportRequest:
    """A registered person writes a request; it waits in the queue of the professionals of its
    subject and département."""
    permit(parent.is_authenticated, "Connectez-vous pour écrire une demande.")
    errors = {}
    if subject not in Subject.values:
        errors["subject"] = "Choisissez le sujet de votre demande."
    if child_age not in ChildAge.values:
        errors["child_age"] = "Indiquez l'âge de l'enfant concerné."
    if departement is None:
        errors["departement"] = "Choisissez votre département."
    if errors:
        raise ValidationError(errors)
    situation = bounded_text(
        situation,
        limit=SITUATION_MAX,
        field="situation",
        label="Votre message",
        required="Dites-nous, avec vos mots, ce qui se passe.",
    )
    contact = bounded_text(
        contact, limit=CONTACT_MAX, field="contact", label="Le moyen de vous joindre"
    )
    with transaction.atomic():
        request = SupportRequest.objects.create(
            parent=parent,
            subject=subject,
            departement=departement,
            child_age=child_age,
            situation=situation,
            contact=contact,
        )
        # The log says that a request exists, never what it says.
        record_event(
            by=parent,
            action="support.request",
            summary=f"Demande de soutien n° {request.pk} écrite ({request.get_subject_display()})",
            target=request,
            data={"subject": subject, "departement": departement.code},
        )
        notifications.send(
            "support/emails/request_received.txt",
            {"request": request, "url": notifications.absolute_url(request.get_absolute_url())},
            subject="Votre demande est bien reçue",
            to=parent.email,
        )
    return request


def take(request: SupportRequest, *, by) -> SupportRequest:
    """A professional of the request's subject and territory takes it from the queue."""
    with transaction.atomic():
        request = apply_transition(
            request,
            REQUEST_WORKFLOW,
            "take",
            by=by,
            summary=f"Demande de soutien n° {request.pk} prise en charge",
            also_update={"handler": by, "taken_at": timezone.now()},
        )
        notifications.send(
            "support/emails/request_taken.txt",
            {"request": request, "url": notifications.absolute_url(request.get_absolute_url())},
            subject="Un professionnel suit votre demande",
            to=request.parent.email,
        )
    return request


def release(request: SupportRequest, *, by) -> SupportRequest:
    """The professional puts the request back in the queue (absence, another subject)."""
    return apply_transition(
        request,
        REQUEST_WORKFLOW,
        "release",
        by=by,
        summary=f"Demande de soutien n° {request.pk} remise dans la file",
        also_update={"handler": None, "taken_at": None},
    )


def close(request: SupportRequest, *, by) -> SupportRequest:
    return apply_transition(
        request,
        REQUEST_WORKFLOW,
        "close",
        by=by,
        summary=f"Demande de soutien n° {request.pk} close",
        also_update={"closed_at": timezone.now()},
    )


def send_message(request: SupportRequest, *, by, body: str, attachment=None) -> SupportMessage:
    """A message of the thread, from the parent or the professional who handles the request; the
    other side is told by e-mail that a message waits (not what it says)."""
    if request.status == "close":
        raise ValidationError({"body": CLOSED})
    permit(
        perms.can_write(by, request),
        "Seuls le parent et le professionnel qui suit la demande y écrivent.",
    )
    body = bounded_text(
        body, limit=MESSAGE_MAX, field="body", label="Le message", required="Écrivez votre message."
    )
    joined = attachments.checked(attachment) if attachment is not None else None
    from_parent = perms.is_parent(by, request)
    now = timezone.now()
    with transaction.atomic():
        locked = SupportRequest.objects.select_for_update().get(pk=request.pk)
        if locked.status == "close":
            raise ValidationError({"body": CLOSED})
        message = SupportMessage.objects.create(
            request=locked, author=by, from_parent=from_parent, body=body, created_at=now
        )
        if joined is not None:
            attachments.store(message, *joined)
        changes = {"last_message_at": now}
        if not from_parent and locked.first_answer_at is None:
            changes["first_answer_at"] = now
        SupportRequest.objects.filter(pk=locked.pk).update(**changes)
        recipient = locked.handler if from_parent else locked.parent
        if recipient is not None:
            notifications.send(
                "support/emails/new_message.txt",
                {
                    "request": locked,
                    "from_parent": from_parent,
                    "url": notifications.absolute_url(locked.get_absolute_url()),
                },
                subject="Un nouveau message vous attend",
                to=recipient.email,
            )
    return message


def read(request: SupportRequest, *, by) -> list[SupportMessage]:
    """The thread, for the parent or the professional who handles it; a professional's read is
    recorded (who, when), and the parent sees it."""
    permit(perms.can_read(by, request), "Cette demande n'est pas la vôtre.")
    if not perms.is_parent(by, request):
        RequestRead.objects.create(request=request, reader=by)
    return list(request.messages.select_related("author").prefetch_related("attachments"))


def delete(request: SupportRequest, *, by) -> None:
    """The parent deletes their request, its messages and the record of its reads; the log keeps
    that a request was deleted, never what it said."""
    permit(perms.is_parent(by, request), "Seul le parent qui l'a écrite supprime une demande.")
    with transaction.atomic():
        record_event(
            by=by,
            action="support.deleted",
            summary=f"Demande de soutien n° {request.pk} supprimée par le parent",
            target=request,
        )
        request.delete()


def purge(now=None) -> int:
    """Deletes the requests whose last message is older than SUPPORT_RETENTION_DAYS (the
    published schedule); returns how many."""
    limit = (now or timezone.now()) - timedelta(days=settings.SUPPORT_RETENTION_DAYS)
    old = SupportRequest.objects.filter(last_message_at__lt=limit)
    with transaction.atomic():
        count = old.count()
        if count:
            old.delete()
            record_event(
                by=None,
                action="support.purged",
                summary=f"{count} demandes de soutien supprimées au terme de leur conservation",
                data={"before": limit},
            )
    return count


def set_subjects(professional, subjects) -> None:
    """The subjects a professional answers, chosen by them within the territory of their role
    (which an administrateur national grants): their queue follows."""
    permit(perms.is_professional(professional), "Seuls les professionnels choisissent des sujets.")
    chosen = set(subjects)
    if not chosen <= set(Subject.values):
        raise ValidationError({"subjects": "Choisissez parmi les sujets proposés."})
    with transaction.atomic():
        Specialty.objects.filter(user=professional).exclude(subject__in=chosen).delete()
        Specialty.objects.bulk_create(
            [Specialty(user=professional, subject=s) for s in sorted(chosen)],
            ignore_conflicts=True,
        )
        record_event(
            by=professional,
            action="support.subjects",
            summary="Sujets traités mis à jour",
            data={"subjects": sorted(chosen)},
        )
    facts.refresh(professional)


def disclose(request: SupportRequest, *, by, reason: str) -> DangerReport:
    """The professional who handles the request passes a disclosure of danger to the référents
    protection (the 119 / CRIP path): nothing a parent writes becomes a report otherwise."""
    permit(
        perms.handles(by, request),
        "Seul le professionnel qui suit la demande transmet un danger qu'elle révèle.",
    )
    reason = bounded_text(
        reason,
        limit=REASON_MAX_LENGTH,
        field="reason",
        label="Ce qui vous fait craindre un danger",
        required="Dites ce qui, dans la demande, fait craindre un danger pour un enfant.",
    )
    return flag_danger(request, by=by, reason=reason)
