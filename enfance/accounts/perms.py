"""Who may do what with accounts and roles: pure predicates, composed with ``rules``."""

import rules

from .enums import RoleKind, ScopeLevel


def _admin_roles(user):
    if not user.is_authenticated:
        return []
    return [r for r in user.active_roles() if r.kind == RoleKind.ADMINISTRATEUR_NATIONAL]


@rules.predicate
def is_administrator(user):
    """Holds the administrateur role, at whatever level: national, or delegated to a région or
    a département (who then grants roles there only)."""
    return bool(_admin_roles(user))


@rules.predicate
def is_national_administrator(user):
    """Holds the administrateur role at the national level: what concerns the whole country
    (national option lists, national consultations, law proposals, the petition)."""
    return any(r.scope_level == ScopeLevel.NATIONAL for r in _admin_roles(user))


@rules.predicate
def is_controleur(user):
    return user.is_authenticated and any(r.kind == RoleKind.CONTROLEUR for r in user.active_roles())


@rules.predicate
def can_grant_role(user, role):
    """An administrator grants roles inside their own territory only; only a national one
    grants national roles or makes other administrators."""
    if role is None:
        return is_administrator(user)
    admin_roles = _admin_roles(user)
    if role.kind == RoleKind.ADMINISTRATEUR_NATIONAL:
        return any(r.scope_level == ScopeLevel.NATIONAL for r in admin_roles)
    return any(r.covers(role.region, role.departement) for r in admin_roles)


@rules.predicate
def can_withdraw_role(user, role):
    return role.user_id != user.pk and can_grant_role(user, role)


# The log holds every action of the platform, in every territory: the national administrators
# and the contrôleurs (whatever their scope: oversight reads it all) read it; a delegate of the
# administrators in a région grants roles there and reads no more than that.
can_view_event_log = is_national_administrator | is_controleur

rules.add_perm("accounts.manage_roles", is_administrator)
rules.add_perm("accounts.grant_role", can_grant_role)
rules.add_perm("accounts.withdraw_role", can_withdraw_role)
rules.add_perm("core.view_event_log", can_view_event_log)
