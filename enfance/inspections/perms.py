"""Who may do what with inspections: pure predicates.

The contrôleurs (a national role, scoped or not to a région or départements; second factor)
open inspections of the structures of their territory and read them; the work of a visit (its
findings, an unannounced date) is the inspection team's alone, each member having declared no
link with the structure. A structure's gestionnaires read its reports from the rapport provisoire
on, and send their observations; a visit announced to them, they see its date. Everyone reads a
published report, anonymised.
"""

from django.db.models import Q

from enfance.accounts.enums import RoleKind, ScopeLevel
from enfance.care.perms import departements_of, is_manager_of

from .enums import PUBLIC_STATUSES, InspectionStatus

# From these states on, the structure's gestionnaires read the report (the contradictory
# procedure starts with the rapport provisoire).
REPORT_SENT = (InspectionStatus.PROVISIONAL, InspectionStatus.FINAL, *PUBLIC_STATUSES)


def controleur_roles(user):
    if user is None or not user.is_authenticated:
        return []
    return [r for r in user.active_roles() if r.kind == RoleKind.CONTROLEUR]


def is_controleur(user) -> bool:
    return bool(controleur_roles(user))


def controls(user, structure) -> bool:
    """Whether the structure is in the territory of one of the person's contrôleur roles."""
    departement = structure.departement
    return any(r.covers(departement.region, departement) for r in controleur_roles(user))


def controlled(user, prefix: str = "structure__") -> Q | None:
    """The filter of the structures in the person's territory as contrôleur (None: none)."""
    roles = controleur_roles(user)
    if any(r.scope_level == ScopeLevel.NATIONAL for r in roles):
        return Q()
    regions = {r.region_id for r in roles if r.scope_level == ScopeLevel.REGION}
    departements = {r.departement_id for r in roles if r.scope_level == ScopeLevel.DEPARTEMENT}
    if not regions and not departements:
        return None
    return Q(**{f"{prefix}departement__region_id__in": regions}) | Q(
        **{f"{prefix}departement_id__in": departements}
    )


def member_ids(inspection) -> set[int]:
    """The users of the inspection team, read once per object (or from a list's prefetch)."""
    if not hasattr(inspection, "_member_ids"):
        inspection._member_ids = {member.user_id for member in inspection.members.all()}
    return inspection._member_ids


def lead_id(inspection) -> int | None:
    if not hasattr(inspection, "_lead_id"):
        inspection._lead_id = (
            inspection.members.filter(lead=True).values_list("user_id", flat=True).first()
        )
    return inspection._lead_id


def is_member(user, inspection) -> bool:
    return user.is_authenticated and user.pk in member_ids(inspection)


def is_lead(user, inspection) -> bool:
    return user.is_authenticated and user.pk == lead_id(inspection)


def manages(user, inspection) -> bool:
    return is_manager_of(user, inspection.structure)


def can_open_inspection(user, structure) -> bool:
    return controls(user, structure)


def can_read_inspection(user, inspection) -> bool:
    if is_member(user, inspection) or controls(user, inspection.structure):
        return True
    if manages(user, inspection):
        return inspection.status in REPORT_SENT or (
            inspection.announced and inspection.status != InspectionStatus.CANCELLED
        )
    return inspection.status in PUBLIC_STATUSES


def date_kept_by_team(inspection) -> bool:
    """An unannounced visit's date is the team's only, until the visit has begun."""
    return not inspection.announced and inspection.status == InspectionStatus.SCHEDULED


def sees_visit_date(user, inspection) -> bool:
    if date_kept_by_team(inspection):
        return is_member(user, inspection)
    return can_read_inspection(user, inspection)


def sees_findings(user, inspection) -> bool:
    """The work of the visit: the team's while it is drafted; then, from the rapport
    provisoire, the structure's gestionnaires and the contrôleurs of the territory too."""
    if is_member(user, inspection):
        return True
    if inspection.status not in REPORT_SENT:
        return False
    return controls(user, inspection.structure) or manages(user, inspection)


def can_join_team(user, inspection) -> bool:
    return (
        controls(user, inspection.structure)
        and not is_member(user, inspection)
        and inspection.status in (InspectionStatus.SCHEDULED, InspectionStatus.IN_PROGRESS)
    )


def can_write_findings(user, inspection) -> bool:
    return is_member(user, inspection) and inspection.status == InspectionStatus.IN_PROGRESS


def can_write_report(user, inspection) -> bool:
    """The report's text and the actions it asks: the team's, until it is published."""
    return is_member(user, inspection) and inspection.status in (
        InspectionStatus.IN_PROGRESS,
        InspectionStatus.PROVISIONAL,
        InspectionStatus.FINAL,
    )


def can_send_observations(user, inspection) -> bool:
    return manages(user, inspection)


def involved(user) -> Q | None:
    """The filter of the inspections the person deals with: their team's, their territory's as
    contrôleur, their structures' as gestionnaire (None: none)."""
    if not user.is_authenticated or not (
        is_controleur(user) or departements_of(user, RoleKind.GESTIONNAIRE_STRUCTURE)
    ):
        return None
    managed = Q(
        structure__manager_links__user=user,
        structure__departement_id__in=departements_of(user, RoleKind.GESTIONNAIRE_STRUCTURE),
    )
    condition = (
        Q(members__user=user)
        | (managed & Q(status__in=REPORT_SENT))
        | (managed & Q(announced=True) & ~Q(status=InspectionStatus.CANCELLED))
    )
    territory = controlled(user)
    return condition if territory is None else condition | territory


def readable(user) -> Q:
    """The filter of the inspections ``can_read_inspection`` lets the person read."""
    published = Q(status__in=PUBLIC_STATUSES)
    condition = involved(user)
    return published if condition is None else published | condition
