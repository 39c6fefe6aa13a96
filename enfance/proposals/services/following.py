"""Supports, follows, and the activity that followers read in their daily digest."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from enfance.core.access import get_visible_or_404

from ..models import Activity, Follow, Proposal, Support
from ..perms import can_support

ACTIVITY_SUMMARY_MAX_LENGTH = 300


def shortened(text: str, limit: int) -> str:
    """A sentence the services build from titles and names (not one a person typed), within a
    column's limit."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def follow_automatically(proposal: Proposal, user) -> None:
    """Follow automatically, unless the person chose to stop following (the row stays)."""
    Follow.objects.get_or_create(proposal=proposal, user=user)


def record_activity(proposal: Proposal, kind: str, summary: str, actor=None) -> None:
    Activity.objects.create(
        proposal=proposal,
        kind=kind,
        summary=shortened(summary, ACTIVITY_SUMMARY_MAX_LENGTH),
        actor=actor,
    )


def support(proposal: Proposal, *, by) -> Support:
    if not can_support(by, proposal):
        raise PermissionDenied("Cette proposition ne peut pas être soutenue.")
    try:
        with transaction.atomic():
            created = Support.objects.create(proposal=proposal, user=by)
            Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
            follow_automatically(proposal, by)
    except IntegrityError:
        raise ValidationError("Vous soutenez déjà cette proposition.") from None
    return created


def withdraw_support(proposal: Proposal, *, by) -> None:
    with transaction.atomic():
        deleted, _ = Support.objects.filter(proposal=proposal, user=by).delete()
        if not deleted:
            raise ValidationError("Vous ne souteniez pas cette proposition.")
        Proposal.objects.filter(pk=proposal.pk, support_count__gt=0).update(
            support_count=F("support_count") - 1
        )


def visible_proposal(proposal: Proposal, user) -> Proposal:
    """The proposal as this person may see it now; 404 otherwise, as the pages answer, so that
    no caller acts on what the person cannot read (a draft, a hidden or flagged proposal)."""
    return get_visible_or_404(Proposal.objects.visible_to(user), pk=proposal.pk)


def set_following(proposal: Proposal, *, by, follow: bool) -> Follow:
    if not by.is_authenticated:
        raise PermissionDenied
    visible_proposal(proposal, by)
    row, _ = Follow.objects.update_or_create(
        proposal=proposal, user=by, defaults={"active": follow}
    )
    return row
