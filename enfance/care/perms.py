"""Who may do what in the care network: pure predicates, composed with ``rules``.

A structure's record and its places are kept by its gestionnaires (the role gestionnaire de
structure in its département, and a link to the structure); the département's services (aide
sociale à l'enfance, second factor) validate the structures of their département and name their
gestionnaires; they and the magistrates of the département's tribunal pour enfants search its
free places and those of its neighbours. Nobody else sees a structure's figures: another
département gets a 404.
"""

import rules

from enfance.accounts.enums import RoleKind, ScopeLevel
from enfance.territories.geography import neighbours
from enfance.territories.models import Departement

SEARCHERS = (RoleKind.MAGISTRAT, RoleKind.SERVICES_DEPARTEMENT)


def _roles(user, *kinds):
    if user is None or not user.is_authenticated:
        return []
    return [r for r in user.active_roles() if r.kind in kinds]


def departements_of(user, *kinds) -> set[int]:
    """The départements where the person holds one of these roles (département scope)."""
    return {
        r.departement_id for r in _roles(user, *kinds) if r.scope_level == ScopeLevel.DEPARTEMENT
    }


def is_national_administrator(user) -> bool:
    return any(
        r.scope_level == ScopeLevel.NATIONAL for r in _roles(user, RoleKind.ADMINISTRATEUR_NATIONAL)
    )


def is_departement_services(user, departement_id: int | None) -> bool:
    return departement_id in departements_of(user, RoleKind.SERVICES_DEPARTEMENT)


def can_search_places(user, departement_id: int | None) -> bool:
    return departement_id in departements_of(user, *SEARCHERS)


def searchable_departements(user):
    """The départements where the person searches places, by code."""
    return Departement.objects.filter(pk__in=departements_of(user, *SEARCHERS)).order_by("code")


def departements_near(user) -> set[int]:
    """The départements where the person searches places, and their neighbours (whose places
    their searches show)."""
    own = departements_of(user, *SEARCHERS)
    if not own:
        return set()
    codes = {
        code
        for own_code in Departement.objects.filter(pk__in=own).values_list("code", flat=True)
        for code in neighbours(own_code)
    }
    return own | set(Departement.objects.filter(code__in=codes).values_list("pk", flat=True))


def can_search_near(user, departement_id: int | None) -> bool:
    return departement_id in departements_near(user)


def is_manager_of(user, structure) -> bool:
    """A gestionnaire linked to the structure, with the role in its département."""
    if structure is None or structure.departement_id not in departements_of(
        user, RoleKind.GESTIONNAIRE_STRUCTURE
    ):
        return False
    return structure.manager_links.filter(user=user).exists()


@rules.predicate
def can_manage_structure(user, structure) -> bool:
    return is_manager_of(user, structure)


@rules.predicate
def can_validate_structure(user, structure) -> bool:
    return structure is not None and is_departement_services(user, structure.departement_id)


@rules.predicate
def can_read_structure(user, structure) -> bool:
    if structure is None:
        return False
    return (
        is_manager_of(user, structure)
        or can_search_near(user, structure.departement_id)
        or is_national_administrator(user)
    )


@rules.predicate
def can_answer_offer(user, offer) -> bool:
    return offer is not None and is_manager_of(user, offer.structure)


def can_read_request(user, request) -> bool:
    """The person who sent it, and the other searchers of its département."""
    return request is not None and (
        request.requested_by_id == getattr(user, "pk", None)
        or can_search_places(user, request.departement_id)
    )


def can_create_structure(user) -> bool:
    return bool(
        departements_of(user, RoleKind.GESTIONNAIRE_STRUCTURE, RoleKind.SERVICES_DEPARTEMENT)
    )


rules.add_perm("care.manage_structure", can_manage_structure)
rules.add_perm("care.validate_structure", can_validate_structure)
rules.add_perm("care.read_structure", can_read_structure)
rules.add_perm("care.answer_offer", can_answer_offer)
