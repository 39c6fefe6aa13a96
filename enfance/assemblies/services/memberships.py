"""Seating people in the colleges of an instance, and the end of their mandates.

No child's name or date of birth ever reaches the event log: members are referred to by their
membership number.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from enfance.core import notifications
from enfance.core.access import permit
from enfance.core.dates import MANDATE
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text, model_limit

from .. import perms
from ..enums import EndReason, MemberRole
from ..models import (
    CONSENT_DAY,
    Application,
    ChildProfile,
    College,
    CollegeSeat,
    Instance,
    Membership,
)
from ..workflows import refusal_to_seat
from .common import default_mandate_end
from .instances import refresh_constitution

# Below this age, joining needs a parent's recorded consent (French law on digital consent).
PARENTAL_CONSENT_AGE = 15
# Attempts at taking a free seat when concurrent requests took the one chosen.
SEAT_ATTEMPTS = 5
COMPOSITION_MANAGERS_ONLY = (
    "Seuls le secrétariat de l'instance et l'administrateur national gèrent sa composition."
)


def _check_child(user, college: College, start: date, end: date) -> date:
    """The age rule of the children's college; returns the mandate end, cut to the day before
    the child is too old (the rule: the child leaves the college on turning 18)."""
    profile = ChildProfile.objects.filter(user=user).first()
    if profile is None:
        raise ValidationError(
            f"La date de naissance est nécessaire pour siéger au collège {college.of_label}."
        )
    age = profile.age_on(start)
    if age < college.min_age or age > college.max_age:
        raise ValidationError(
            f"Le collège {college.of_label} accueille des membres de {college.min_age} à "
            f"{college.max_age} ans : cette personne aurait {age} ans au début du mandat."
        )
    if age < PARENTAL_CONSENT_AGE and not profile.has_parental_consent:
        raise ValidationError(
            f"Un mineur de moins de {PARENTAL_CONSENT_AGE} ans ne rejoint l'instance qu'avec le "
            "consentement d'un parent : enregistrez-le d'abord."
        )
    too_old_on = profile.birthday(college.max_age + 1)
    return min(end, too_old_on - timedelta(days=1))


def _free_seat(instance: Instance, college: College) -> CollegeSeat | None:
    taken = Membership.objects.seated().filter(instance=instance, seat__college=college)
    return (
        CollegeSeat.objects.filter(college=college)
        .exclude(pk__in=taken.values("seat_id"))
        .order_by("number")
        .first()
    )


def add_member(
    instance: Instance,
    *,
    by,
    user,
    college: College,
    mandate_start: date,
    mandate_end: date | None = None,
    selection_method: str,
    role: str = MemberRole.MEMBRE,
    expert_field: str = "",
    application: Application | None = None,
) -> Membership:
    """Seat a person in a college of the instance.

    Refused with a French message when the college is full (the database refuses it too: a
    college has as many seats as its maximum, and a seat holds one current member), when the
    person already sits in this instance, or when a child does not meet the age rule.
    """
    permit(perms.can_manage_instance(by, instance), COMPOSITION_MANAGERS_ONLY)
    MANDATE.check(mandate_start, field="mandate_start")
    MANDATE.check(mandate_end, field="mandate_end")
    mandate_end = mandate_end or default_mandate_end(mandate_start)
    if mandate_end < mandate_start:
        raise ValidationError("La fin du mandat doit suivre son début.")
    if reason := refusal_to_seat(instance):
        raise ValidationError(reason)
    if college.asks_expert_field and not expert_field:
        raise ValidationError(
            f"Indiquez le domaine d'expertise pour le collège {college.of_label}."
        )
    if college.is_age_limited:
        mandate_end = _check_child(user, college, mandate_start, mandate_end)
    with transaction.atomic():
        # One change of composition at a time per instance (PostgreSQL row lock; SQLite
        # serialises writers anyway). The unique index on seats holds even without it.
        Instance.objects.select_for_update().filter(pk=instance.pk).first()
        current = (
            Membership.objects.seated()
            .filter(instance=instance, user=user)
            .select_related("seat__college")
            .first()
        )
        if current is not None:
            raise ValidationError(
                f"Cette personne siège déjà au collège {current.college.of_label} de cette "
                "instance : une personne siège dans un seul collège à la fois."
            )
        membership = None
        for _attempt in range(SEAT_ATTEMPTS):
            seat = _free_seat(instance, college)
            if seat is None:
                break
            try:
                with transaction.atomic():
                    membership = Membership.objects.create(
                        instance=instance,
                        user=user,
                        seat=seat,
                        mandate_start=mandate_start,
                        mandate_end=mandate_end,
                        selection_method=selection_method,
                        role=role,
                        expert_field=expert_field if college.asks_expert_field else "",
                        application=application,
                    )
                break
            except IntegrityError:
                if Membership.objects.seated().filter(instance=instance, user=user).exists():
                    raise ValidationError(
                        "Cette personne siège déjà dans cette instance."
                    ) from None
        if membership is None:
            raise ValidationError(
                f"Le collège {college.of_label} compte déjà {college.max_members} membres, "
                "son maximum : il n'y a plus de siège libre."
            )
        record_event(
            by=by,
            action="assemblies.member_added",
            summary=f"Membre installé au collège {college.of_label} : mandat n° {membership.pk}",
            target=instance,
            data={
                "membership": membership.pk,
                "college": college.code,
                "seat": seat.number,
                "selection_method": selection_method,
                "role": role,
            },
            public=True,
        )
        refresh_constitution(instance, by=by)
    perms.forget_instance_roles(user)
    return membership


def end_membership(membership: Membership, *, by, ended_on: date, reason: str) -> Membership:
    permit(perms.can_manage_instance(by, membership.instance), COMPOSITION_MANAGERS_ONLY)
    MANDATE.check(ended_on, field="ended_on")
    return _end_membership(membership, by=by, ended_on=ended_on, reason=reason)


def _end_membership(membership, *, by, ended_on, reason) -> Membership:
    with transaction.atomic():
        locked = Membership.objects.select_for_update().get(pk=membership.pk)
        if locked.ended_on is not None:
            raise ValidationError("Ce mandat est déjà terminé.")
        if ended_on < locked.mandate_start:
            raise ValidationError("Un mandat ne peut finir avant d'avoir commencé.")
        locked.ended_on = ended_on
        locked.end_reason = reason
        locked.save(update_fields=["ended_on", "end_reason"])
        record_event(
            by=by,
            action="assemblies.member_left",
            summary=f"Fin du mandat n° {locked.pk} ({EndReason(reason).label.lower()})",
            target=locked.instance,
            data={"membership": locked.pk, "reason": reason, "ended_on": ended_on},
            public=True,
        )
        refresh_constitution(locked.instance, by=by)
    return locked


def leave_every_instance(*, by) -> list[Membership]:
    """The person leaves every instance they sit in, today: they are deleting their account.
    Their seats are free; each departure is in the public log like any resignation."""
    today = timezone.localdate()
    return [
        _end_membership(
            membership,
            by=by,
            ended_on=max(today, membership.mandate_start),
            reason=EndReason.DEMISSION,
        )
        for membership in Membership.objects.seated().filter(user=by).select_related("instance")
    ]


def change_member_role(membership: Membership, *, by, role: str) -> Membership:
    permit(
        perms.can_manage_instance(by, membership.instance),
        "Seuls le secrétariat de l'instance et l'administrateur national attribuent les rôles.",
    )
    with transaction.atomic():
        membership.role = role
        membership.save(update_fields=["role"])
        record_event(
            by=by,
            action="assemblies.member_role_changed",
            summary=f"Rôle du mandat n° {membership.pk} : {MemberRole(role).label}",
            target=membership.instance,
            data={"membership": membership.pk, "role": role},
            public=True,
        )
    return membership


def record_parental_consent(
    instance: Instance, *, by, child, parent_name: str, given_on: date, method: str
) -> ChildProfile:
    """Record who consented for a child under 15, when and how (the secretary records it)."""
    permit(
        perms.can_manage_instance(by, instance),
        "Seul le secrétariat de l'instance enregistre le consentement d'un parent.",
    )
    parent_name = bounded_text(
        parent_name, limit=model_limit(ChildProfile, "consent_parent_name"), field="parent_name"
    )
    profile = ChildProfile.objects.filter(user=child).first()
    if profile is None:
        raise ValidationError("Aucune date de naissance n'est enregistrée pour cet enfant.")
    CONSENT_DAY.check(given_on)
    with transaction.atomic():
        profile.consent_parent_name = parent_name
        profile.consent_given_on = given_on
        profile.consent_method = method
        profile.consent_recorded_by = by
        profile.save(
            update_fields=[
                "consent_parent_name",
                "consent_given_on",
                "consent_method",
                "consent_recorded_by",
            ]
        )
        record_event(
            by=by,
            action="assemblies.parental_consent_recorded",
            summary=f"Consentement parental enregistré (profil d'enfant n° {profile.pk})",
            target=instance,
            data={"child_profile": profile.pk, "method": method},
        )
    return profile


def end_adult_child_mandates(*, today: date | None = None) -> list[Membership]:
    """End the mandate of every child member who has turned 18, and tell the secretary.

    Run every day (task ``end_adult_child_mandates_task``, command of the same name). The mandate
    ends on the 18th birthday: the first day the person is no longer a child.
    """
    today = today or timezone.localdate()
    ended = []
    candidates = (
        Membership.objects.seated()
        .filter(seat__college__max_age__isnull=False)
        .select_related("seat__college", "instance", "user__child_profile")
    )
    for membership in candidates:
        college = membership.seat.college
        profile = getattr(membership.user, "child_profile", None)
        if profile is None:
            continue
        too_old_on = profile.birthday(college.max_age + 1)
        if too_old_on > today:
            continue
        ended_on = max(too_old_on, membership.mandate_start)
        # The saved copy carries the end date the e-mail gives.
        ended_membership = _end_membership(
            membership, by=None, ended_on=ended_on, reason=EndReason.MAJORITE
        )
        ended.append(ended_membership)
        _tell_secretaries(ended_membership)
    return ended


def end_expired_mandates(*, today: date | None = None) -> list[Membership]:
    """Free the seats of mandates whose term has passed (run every day with the children's job).

    Until this runs a past mandate no longer counts in the composition but still holds its seat:
    the college would look open while no one could be seated in it.
    """
    today = today or timezone.localdate()
    expired = Membership.objects.seated().filter(mandate_end__lt=today).select_related("instance")
    return [
        _end_membership(
            membership,
            by=None,
            ended_on=membership.mandate_end + timedelta(days=1),
            reason=EndReason.TERME,
        )
        for membership in expired
    ]


def _tell_secretaries(membership: Membership) -> None:
    instance = membership.instance
    secretaries = (
        Membership.objects.current()
        .filter(instance=instance, role=MemberRole.SECRETAIRE)
        .select_related("user")
    )
    context = {
        "instance": instance,
        "membership": membership,
        "instance_url": notifications.absolute_url(instance.get_absolute_url()),
    }
    for secretary in secretaries:
        notifications.send(
            "assemblies/emails/child_came_of_age.txt",
            context,
            subject=f"Un membre du collège des enfants quitte l'instance {instance.name}",
            to=secretary.user.email,
        )
