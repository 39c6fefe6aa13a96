"""Who may do what with the petition. Signing is open to anyone (no account needed)."""

import rules

from enfance.accounts.perms import is_national_administrator
from enfance.assemblies.enums import MemberRole
from enfance.assemblies.models import Membership


@rules.predicate
def can_manage_petition(user, petition=None) -> bool:
    """Close it, mark it submitted, export its signatures: the national administration."""
    return is_national_administrator(user)


@rules.predicate
def can_anonymise_petition(user, petition=None) -> bool:
    # None is the scheduled command (anonymise_petitions), which acts on the documented delay.
    return user is None or is_national_administrator(user)


can_export_signatures = can_manage_petition


def secretary_instance_ids(user) -> set[int]:
    """The instances where the person is secretary now (read once per request)."""
    if not user.is_authenticated:
        return set()
    if "_petition_secretary_of" not in user.__dict__:
        user._petition_secretary_of = set(
            Membership.objects.current()
            .filter(user=user, role=MemberRole.SECRETAIRE)
            .values_list("instance_id", flat=True)
        )
    return user._petition_secretary_of


@rules.predicate
def can_enter_paper_sheet(user, instance) -> bool:
    """Paper sheets collected at an instance's forums: entered by that instance's secretary."""
    return instance is not None and instance.pk in secretary_instance_ids(user)


@rules.predicate
def can_view_paper_sheets(user) -> bool:
    return is_national_administrator(user) or bool(secretary_instance_ids(user))


rules.add_perm("petitions.manage_petition", can_manage_petition)
