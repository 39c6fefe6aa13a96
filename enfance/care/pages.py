"""The breadcrumb of the care network's pages: « Places et accueil » first."""

from enfance.core.navigation import breadcrumb, crumb


def care_breadcrumb(*links: dict, current: str) -> dict:
    return breadcrumb(crumb("care:home", "Places et accueil"), *links, current=current)
