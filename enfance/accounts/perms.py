"""Who may do what with accounts and roles: pure predicates, composed with ``rules``."""

import rules

from .enums import RoleKind, ScopeLevel


def _admin_roles(user):
    if not user.is_authenticated:
        return []
    return [r for r in user.active_roles() if r.kind == RoleKind.ADMINISTRATEUR_NATIONAL]


@rules.predicate
def is_administrateur_national(user):
    return bool(_admin_roles(user))


@rules.predicate
def is_national_administrateur(user):
    return any(r.scope_level == ScopeLevel.NATIONAL for r in _admin_roles(user))


@rules.predicate
def is_controleur(user):
    return user.is_authenticated and any(r.kind == RoleKind.CONTROLEUR for r in user.active_roles())


@rules.predicate
def can_grant_role(user, role):
    """An administrator grants roles inside their own territory only; only a national one
    grants national roles or makes other administrators."""
    if role is None:
        return is_administrateur_national(user)
    admin_roles = _admin_roles(user)
    if role.kind == RoleKind.ADMINISTRATEUR_NATIONAL:
        return any(r.scope_level == ScopeLevel.NATIONAL for r in admin_roles)
    return any(r.covers(role.region, role.departement) for r in admin_roles)


@rules.predicate
def can_withdraw_role(user, role):
    return role.user_id != user.pk and can_grant_role(user, role)


can_view_event_log = is_administrateur_national | is_controleur

rules.add_perm("accounts.manage_roles", is_administrateur_national)
rules.add_perm("accounts.grant_role", can_grant_role)
rules.add_perm("accounts.withdraw_role", can_withdraw_role)
rules.add_perm("core.view_event_log", can_view_event_log)
