"""Who reads what of a support request: pure predicates.

The parent reads their own requests. A professional (role professionnel, second factor) sees in
the queue the waiting requests of the subjects they answer (``Specialty``) and of the territory
of their role, with no word of what the parent wrote; once they take a request, they alone of the
professionals read it and write in it. Anyone else gets a 404.
"""

from django.db.models import Q

from enfance.accounts import facts
from enfance.accounts.enums import RoleKind, ScopeLevel

from .enums import RequestStatus


def professional_roles(user) -> list:
    if user is None or not user.is_authenticated:
        return []
    return [r for r in user.active_roles() if r.kind == RoleKind.PROFESSIONNEL]


def is_professional(user) -> bool:
    return bool(professional_roles(user))


def subjects_of(user) -> set[str]:
    """The subjects the professional answers (an account fact: kept until they change)."""
    if not is_professional(user):
        return set()
    return facts.fact(
        user,
        "support_subjects",
        lambda: set(user.support_specialties.values_list("subject", flat=True)),
    )


def queue_filter(user) -> Q | None:
    """The requests of the professional's subjects and territory (None: no queue at all)."""
    roles, subjects = professional_roles(user), subjects_of(user)
    if not roles or not subjects:
        return None
    if any(r.scope_level == ScopeLevel.NATIONAL for r in roles):
        where = Q()
    else:
        where = Q(
            departement__region_id__in=[
                r.region_id for r in roles if r.scope_level == ScopeLevel.REGION
            ]
        ) | Q(
            departement_id__in=[
                r.departement_id for r in roles if r.scope_level == ScopeLevel.DEPARTEMENT
            ]
        )
    return where & Q(subject__in=sorted(subjects))


def covers(user, request) -> bool:
    """The request is of the professional's subjects and territory."""
    if request.subject not in subjects_of(user):
        return False
    return any(r.covers(None, request.departement) for r in professional_roles(user))


def is_parent(user, request) -> bool:
    return user.is_authenticated and request.parent_id == user.pk


def handles(user, request) -> bool:
    return (
        user.is_authenticated
        and request.handler_id == user.pk
        and request.status == RequestStatus.TAKEN
        and covers(user, request)
    )


def can_read(user, request) -> bool:
    return is_parent(user, request) or handles(user, request)


def can_take(user, request) -> bool:
    return request.status == RequestStatus.NEW and covers(user, request)


def can_write(user, request) -> bool:
    return request.status != RequestStatus.CLOSED and (
        is_parent(user, request) or handles(user, request)
    )


def can_close(user, request) -> bool:
    return is_parent(user, request) or handles(user, request)


# Groupes de parole ---------------------------------------------------------------------------


def can_lead_in(user, departement) -> bool:
    """A professional leads groups in the territory of their role."""
    return any(r.covers(None, departement) for r in professional_roles(user))


def leads(user, group) -> bool:
    return (
        user.is_authenticated
        and group.facilitator_id == user.pk
        and can_lead_in(user, group.departement)
    )


def is_member(user, group) -> bool:
    """Read once per group object (a page asks several times)."""
    if not user.is_authenticated:
        return False
    if not hasattr(group, "_member_ids"):
        group._member_ids = {}
    if user.pk not in group._member_ids:
        group._member_ids[user.pk] = group.memberships.current().filter(user=user).exists()
    return group._member_ids[user.pk]
