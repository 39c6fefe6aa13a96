"""The platform's roles under « Mes rôles » of « Mon espace » (``core.my_space``), each with the
territory where it acts; the roles held in an instance or a structure come from their modules."""

from enfance.core.my_space import Held, RoleSource, register_roles

from . import titles
from .enums import ScopeLevel


def _where(role) -> str:
    if role.scope_level == ScopeLevel.NATIONAL:
        return "Tout le territoire national"
    if role.scope_level == ScopeLevel.REGION:
        return f"Région {role.region.name}"
    return f"Département {role.departement}"


def _roles(user) -> list[Held]:
    # The roles already read for this request (User.active_roles): no query of their own.
    return [
        Held(titles.title(role.kind, role.get_kind_display(), user), _where(role))
        for role in user.active_roles()
    ]


register_roles(RoleSource(name="accounts", order=10, roles=_roles))
