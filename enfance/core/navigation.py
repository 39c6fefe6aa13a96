"""The main navigation. Each module adds its entry here when its pages exist."""

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # The first segment of the paths that belong to this entry (marks it as the current page).
    path_prefix: str


MAIN_NAVIGATION = (
    NavItem("Accueil", "core:home", "/"),
    NavItem("Instances locales", "assemblies:list", "/instances/"),
    NavItem("Agenda", "events:calendar", "/agenda/"),
    NavItem("Territoires", "territories:index", "/territoires/"),
)
