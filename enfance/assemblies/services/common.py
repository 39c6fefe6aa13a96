"""What every service of the instances shares: the permission check and the length of a mandate."""

from datetime import date, timedelta

from enfance.core.access import permit

from .. import perms

# A mandate lasts two years unless the instance decides otherwise when seating a member.
DEFAULT_MANDATE_YEARS = 2


def require_manager(by, instance, action: str) -> None:
    permit(
        perms.can_manage_instance(by, instance),
        f"Seuls le secrétariat de l'instance et l'administrateur national peuvent {action}.",
    )


def default_mandate_end(start: date) -> date:
    try:
        end = start.replace(year=start.year + DEFAULT_MANDATE_YEARS)
    except ValueError:
        end = date(start.year + DEFAULT_MANDATE_YEARS, 3, 1)
    return end - timedelta(days=1)
