"""Who may do what with the measures of a département: pure predicates, composed with ``rules``.

The département's services (aide sociale à l'enfance) record and import the measures of their
own département; they and the département's magistrates (tribunal pour enfants) follow the
measures waiting there. The public figures are for everyone and need no predicate.
"""

import rules

from enfance.accounts.enums import RoleKind, ScopeLevel

RECORDING_ROLES = frozenset({RoleKind.SERVICES_DEPARTEMENT})
FOLLOWING_ROLES = frozenset({RoleKind.SERVICES_DEPARTEMENT, RoleKind.MAGISTRAT})


def departements_of(user, kinds) -> set[int]:
    """The départements where this person holds one of ``kinds``."""
    if user is None or not user.is_authenticated:
        return set()
    return {
        role.departement_id
        for role in user.active_roles()
        if role.kind in kinds and role.scope_level == ScopeLevel.DEPARTEMENT
    }


@rules.predicate
def can_record_measures(user, departement) -> bool:
    if departement is None:
        return False
    return departement.pk in departements_of(user, RECORDING_ROLES)


@rules.predicate
def can_follow_measures(user, departement) -> bool:
    if departement is None:
        return False
    return departement.pk in departements_of(user, FOLLOWING_ROLES)


rules.add_perm("measures.record_measures", can_record_measures)
rules.add_perm("measures.follow_measures", can_follow_measures)
