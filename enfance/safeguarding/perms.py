"""Who handles reports of danger: the ``referent_protection`` role (a sensitive role: MFA is
mandatory, see accounts.middleware), whatever the scope of the role for now: a flagged text has
no territory of its own yet (a charter comment has none), so every référent sees every report
rather than a report falling between territories. Scoping by territory is left for later."""

import rules

from enfance.accounts.enums import RoleKind


def referent_roles(user):
    if not user.is_authenticated:
        return []
    return [r for r in user.active_roles() if r.kind == RoleKind.REFERENT_PROTECTION]


@rules.predicate
def is_referent(user, _obj=None) -> bool:
    return bool(referent_roles(user))


@rules.predicate
def can_handle_report(user, report) -> bool:
    return is_referent(user)


@rules.predicate
def can_flag_danger(user, _obj=None) -> bool:
    """Anyone signed in can raise the alarm: it costs little to look twice."""
    return user.is_authenticated


rules.add_perm("safeguarding.handle_report", can_handle_report)
