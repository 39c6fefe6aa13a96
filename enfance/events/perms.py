"""Who may do what with events: pure predicates, composed with ``rules``."""

import rules

from enfance.accounts.enums import RoleKind, ScopeLevel
from enfance.assemblies.models import Membership
from enfance.assemblies.perms import can_manage_instance
from enfance.territories.models import Departement

from .enums import MEMBERS_ONLY_KINDS


def reviewable_departement_ids(user) -> set[int] | None:
    """The départements whose proposals this person reviews; None means all of them.

    A national administrator reviews everywhere, a regional one in the départements of the
    région, the secrétaire or animateur of an instance in the instance's département. Read once
    per request (the user object lives that long).
    """
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_events_reviewable_departements"):
        admin_roles = [r for r in user.active_roles() if r.kind == RoleKind.ADMINISTRATEUR_NATIONAL]
        if any(r.scope_level == ScopeLevel.NATIONAL for r in admin_roles):
            ids = None
        else:
            region_ids = [r.region_id for r in admin_roles if r.scope_level == ScopeLevel.REGION]
            ids = set()
            if region_ids:
                ids |= set(
                    Departement.objects.filter(region__in=region_ids).values_list("pk", flat=True)
                )
            ids |= set(
                Membership.objects.current()
                .managers()
                .filter(user=user)
                .values_list("instance__departement_id", flat=True)
            )
        user._events_reviewable_departements = ids
    return user._events_reviewable_departements


@rules.predicate
def is_host(user, event):
    if not user.is_authenticated or event is None:
        return False
    return any(host.pk == user.pk for host in event.hosts.all())


@rules.predicate
def is_proposer(user, event):
    return user.is_authenticated and event is not None and event.proposed_by_id == user.pk


@rules.predicate
def can_review_event(user, event):
    """A members-only event (a group's session) is no one's to review: its hosts manage it, and
    who registers for it stays between them."""
    if event is not None and event.kind in MEMBERS_ONLY_KINDS:
        return False
    ids = reviewable_departement_ids(user)
    if ids is None:
        return True
    if event is None:
        return False
    if event.departement_id in ids:
        return True
    return event.instance_id is not None and can_manage_instance(user, event.instance)


@rules.predicate
def can_create_any_event(user, event=None):
    """Forums and lives are organised by the people who review proposals."""
    ids = reviewable_departement_ids(user)
    return ids is None or bool(ids)


can_manage_event = is_host | can_review_event
can_withdraw_event = can_manage_event | is_proposer

rules.add_perm("events.review_event", can_review_event)
rules.add_perm("events.manage_event", can_manage_event)
