"""Groupes de parole: parents who meet by theme and territory, led by a professional. A member
joins by accepting the confidentiality charter; the facilitator schedules sessions (events of
kind « groupe », which only members see and register for), writes announcements, and may remove
a member who broke the charter, with the reason. Members never write to each other. Rules here;
views in group_views.py."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from enfance.core import notifications
from enfance.core.access import permit
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text, bounded_texts, model_limit
from enfance.core.workflow import apply_transition
from enfance.events import services as events
from enfance.events.enums import EventKind, EventStatus
from enfance.events.models import Registration

from . import perms
from .enums import GroupStatus, Subject
from .models import (
    ANNOUNCEMENT_MAX,
    CHARTER_VERSION,
    GROUP_DESCRIPTION_MAX,
    GROUP_REASON_MAX,
    GroupAnnouncement,
    GroupMembership,
    GroupSession,
    SupportGroup,
)
from .workflows import GROUP_WORKFLOW, refusal_to_join

SESSION_DESCRIPTION = (
    "Séance du groupe de parole « {title} ». Ce qui s'y dit reste dans le groupe, selon la charte "
    "acceptée par chaque membre."
)


# What the events module asks of the circle (``events.audiences``) --------------------------


def session_members(user) -> Q:
    """The sessions of the groups the person belongs to today."""
    return Q(
        Exists(
            GroupMembership.objects.current().filter(
                group__sessions__event=OuterRef("pk"), user=user.pk
            )
        )
    )


def session_home(event) -> dict:
    group = event.group_session.group
    return {"url": group.get_absolute_url(), "title": group.title}


# The group -----------------------------------------------------------------------------------


def _tell(user, template: str, *, subject: str, group: SupportGroup, **context) -> None:
    """One e-mail per person, after commit; it names the group, never what is said in it."""
    notifications.send(
        template,
        {
            "person": user,
            "group": group,
            "url": notifications.absolute_url(group.get_absolute_url()),
            **context,
        },
        subject=f"[Groupe de parole] {subject}",
        to=user.email,
    )


def create_group(*, by, title: str, theme: str, departement, description: str) -> SupportGroup:
    """A professional opens a group in the territory of their role, and leads it."""
    permit(
        perms.is_professional(by),
        "Les groupes de parole sont animés par des professionnels (juristes, psychologues, "
        "travailleurs sociaux).",
    )
    if theme not in Subject.values:
        raise ValidationError({"theme": "Choisissez le thème du groupe."})
    if departement is None:
        raise ValidationError({"departement": "Choisissez le département du groupe."})
    permit(
        perms.can_lead_in(by, departement),
        f"Votre rôle de professionnel ne couvre pas le département {departement}.",
    )
    texts = bounded_texts(
        {"title": title, "description": description},
        {
            "title": (model_limit(SupportGroup, "title"), "", "Donnez un nom au groupe."),
            "description": (
                GROUP_DESCRIPTION_MAX,
                "",
                "Présentez le groupe : à qui il s'adresse, comment se passent les séances.",
            ),
        },
    )
    with transaction.atomic():
        group = SupportGroup.objects.create(
            theme=theme, departement=departement, facilitator=by, **texts
        )
        record_event(
            by=by,
            action="support.group.create",
            summary=f"Groupe de parole ouvert : « {group} » ({departement})",
            target=group,
            data={"theme": theme, "departement": departement.code},
            public=True,
        )
    return group


def _locked(group: SupportGroup) -> SupportGroup:
    """The group as it is now, locked: decisions read its state under the lock."""
    return (
        SupportGroup.objects.select_for_update(of=("self",))
        .select_related("departement", "facilitator")
        .get(pk=group.pk)
    )


def join(group: SupportGroup, *, by, charter_accepted: bool) -> GroupMembership:
    if not charter_accepted:
        raise ValidationError(
            {"charter": "Pour rejoindre le groupe, acceptez la charte de confidentialité."}
        )
    with transaction.atomic():
        group = _locked(group)
        if reason := refusal_to_join(by, group):
            permit(False, reason)
        membership, created = GroupMembership.objects.get_or_create(
            group=group, user=by, defaults={"charter_version": CHARTER_VERSION}
        )
        if not created:
            membership.left_at = None
            membership.joined_at = timezone.now()
            membership.charter_version = CHARTER_VERSION
            membership.save(update_fields=["left_at", "joined_at", "charter_version"])
        # The log keeps that someone joined, for the person's own history, never public.
        record_event(
            by=by,
            action="support.group.join",
            summary=f"Adhésion au groupe de parole n° {group.pk}",
            target=membership,
            data={"charter_version": CHARTER_VERSION},
        )
        _tell(by, "support/emails/group_joined.txt", subject="Bienvenue", group=group)
        if group.facilitator is not None:
            _tell(
                group.facilitator,
                "support/emails/group_member_joined.txt",
                subject="Une personne a rejoint votre groupe",
                group=group,
            )
    return membership


def _cancel_coming_registrations(group: SupportGroup, user) -> None:
    """A member who leaves frees their seats in the sessions to come, for those waiting."""
    coming = Registration.objects.active().filter(
        user=user,
        event__group_session__group=group,
        event__status=EventStatus.PUBLISHED,
        event__starts_at__gt=timezone.now(),
    )
    for registration in coming.select_related("event"):
        events.cancel_registration(registration.event, by=user)


def leave(group: SupportGroup, *, by) -> GroupMembership:
    with transaction.atomic():
        membership = (
            GroupMembership.objects.current().select_for_update().filter(group=group, user=by)
        ).first()
        permit(membership is not None, "Vous n'êtes pas membre de ce groupe.")
        _cancel_coming_registrations(group, by)
        membership.left_at = timezone.now()
        membership.save(update_fields=["left_at"])
        record_event(
            by=by,
            action="support.group.leave",
            summary=f"Départ du groupe de parole n° {group.pk}",
            target=membership,
        )
    return membership


def remove_member(group: SupportGroup, *, by, membership_id: int, reason: str) -> GroupMembership:
    """The facilitator removes a member who broke the charter; the member is told why."""
    permit(perms.leads(by, group), "Seul l'animateur du groupe peut retirer un membre.")
    reason = bounded_text(
        reason,
        limit=GROUP_REASON_MAX,
        field="reason",
        label="Le motif",
        required="Dites à la personne pourquoi elle est retirée du groupe.",
    )
    with transaction.atomic():
        membership = (
            GroupMembership.objects.current()
            .select_for_update()
            .select_related("user")
            .filter(group=group, pk=membership_id)
            .first()
        )
        if membership is None:
            raise ValidationError("Cette personne n'est plus membre du groupe.")
        _cancel_coming_registrations(group, membership.user)
        membership.left_at = timezone.now()
        membership.removed_by = by
        membership.removal_reason = reason
        membership.save(update_fields=["left_at", "removed_by", "removal_reason"])
        record_event(
            by=by,
            action="support.group.remove_member",
            summary=f"Membre retiré du groupe de parole n° {group.pk}",
            target=membership,
        )
        _tell(
            membership.user,
            "support/emails/group_removed.txt",
            subject="Vous avez été retiré du groupe",
            group=group,
            reason=reason,
        )
    return membership


def _members(group: SupportGroup):
    return [m.user for m in group.memberships.current().select_related("user")]


def announce(group: SupportGroup, *, by, text: str) -> GroupAnnouncement:
    permit(perms.leads(by, group), "Seul l'animateur du groupe publie des annonces.")
    text = bounded_text(
        text,
        limit=ANNOUNCEMENT_MAX,
        field="text",
        label="L'annonce",
        required="Écrivez l'annonce.",
    )
    with transaction.atomic():
        if _locked(group).status != GroupStatus.OPEN:
            raise ValidationError("Ce groupe est clos.")
        announcement = GroupAnnouncement.objects.create(group=group, author=by, text=text)
        record_event(
            by=by,
            action="support.group.announce",
            summary=f"Annonce au groupe de parole n° {group.pk}",
            target=announcement,
        )
        for member in _members(group):
            _tell(
                member,
                "support/emails/group_announcement.txt",
                subject=f"Une annonce de « {group} »",
                group=group,
            )
    return announcement


def schedule_session(group: SupportGroup, *, by, **fields) -> GroupSession:
    """A session: an event of kind « groupe », published at once, seen by the members only;
    each member is told."""
    permit(perms.leads(by, group), "Seul l'animateur du groupe programme les séances.")
    fields["title"] = fields.get("title") or f"{group.title} : séance"
    fields["description"] = fields.get("description") or SESSION_DESCRIPTION.format(
        title=group.title
    )
    with transaction.atomic():
        if _locked(group).status != GroupStatus.OPEN:
            raise ValidationError("Ce groupe est clos.")
        event = events.schedule_members_event(
            by=by, kind=EventKind.GROUPE, departement=group.departement, **fields
        )
        session = GroupSession.objects.create(group=group, event=event)
        for member in _members(group):
            _tell(
                member,
                "support/emails/group_session.txt",
                subject=f"Nouvelle séance le {events.format_when(event.starts_at)}",
                group=group,
                when=events.format_when(event.starts_at),
                event_url=notifications.absolute_url(event.get_absolute_url()),
            )
    return session


def close_group(group: SupportGroup, *, by, reason: str) -> SupportGroup:
    """No new members nor sessions; the sessions to come are cancelled, their registrants told."""
    reason = bounded_text(
        reason,
        limit=GROUP_REASON_MAX,
        field="reason",
        label="Le motif",
        required="Dites aux membres pourquoi le groupe se termine.",
    )
    with transaction.atomic():
        group = apply_transition(
            group,
            GROUP_WORKFLOW,
            "close",
            by=by,
            also_update={"closed_at": timezone.now(), "closing_reason": reason},
        )
        coming = group.sessions.filter(
            event__status=EventStatus.PUBLISHED, event__starts_at__gt=timezone.now()
        ).select_related("event")
        for session in coming:
            events.cancel_event(session.event, by=by, reason=reason)
    return group
