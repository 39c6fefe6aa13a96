"""Who may do what with instances: pure predicates, composed with ``rules``.

The administrateur national (or one delegated to the région of the instance) creates and governs
instances; an instance's secrétaire and animateur manage its composition, meetings, minutes and
priorities; its members vote. A person's roles in an instance are read once per request.
"""

import rules

from enfance.accounts.enums import RoleKind

from .enums import InstanceStatus, MemberRole

MANAGER_ROLES = frozenset({MemberRole.SECRETAIRE, MemberRole.ANIMATEUR})


def _member_roles(user, instance) -> set[str]:
    """The roles of the person's current membership in this instance (empty: not a member)."""
    if not user.is_authenticated or instance is None or instance.pk is None:
        return set()
    cache = user.__dict__.setdefault("_instance_roles", {})
    if instance.pk not in cache:
        # Through the instance's own relation: the models depend on these predicates (the votes
        # engine asks an instance who runs its ballots), not the other way round.
        cache[instance.pk] = set(
            instance.memberships.current().filter(user=user).values_list("role", flat=True)
        )
    return cache[instance.pk]


@rules.predicate
def is_instance_administrator(user, instance) -> bool:
    """An administrateur national whose territory covers the instance's département (or,
    without an instance, any administrateur national)."""
    if not user.is_authenticated:
        return False
    roles = [r for r in user.active_roles() if r.kind == RoleKind.ADMINISTRATEUR_NATIONAL]
    if instance is None:
        return bool(roles)
    # covers() reads the département's region_id only: no query for the région.
    return any(r.covers(None, instance.departement) for r in roles)


@rules.predicate
def is_instance_member(user, instance) -> bool:
    return bool(_member_roles(user, instance))


@rules.predicate
def is_instance_manager(user, instance) -> bool:
    return bool(_member_roles(user, instance) & MANAGER_ROLES)


can_create_instance = is_instance_administrator
can_govern_instance = is_instance_administrator
can_manage_instance = is_instance_administrator | is_instance_manager


@rules.predicate
def can_apply_to_instance(user, instance) -> bool:
    return user.is_authenticated and instance.status not in {
        InstanceStatus.SUSPENDUE,
        InstanceStatus.DISSOUTE,
    }


def forget_instance_roles(user) -> None:
    """After a change of membership, the person's roles are read again."""
    user.__dict__.pop("_instance_roles", None)


rules.add_perm("assemblies.create_instance", can_create_instance)
rules.add_perm("assemblies.manage_instance", can_manage_instance)
rules.add_perm("assemblies.govern_instance", can_govern_instance)
