"""What a person may do with a role (its abilities, read by the roles page)."""

from enfance.core.workflow import abilities_for

from .models import Role
from .perms import can_withdraw_role


@abilities_for(Role)
def role_abilities(user, role: Role) -> dict[str, bool]:
    # An administrator withdraws an active role of their territory, never their own.
    return {"withdraw": role.is_active and can_withdraw_role(user, role)}
