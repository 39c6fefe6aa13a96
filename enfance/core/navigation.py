"""The main navigation (each module adds its entry here when its pages exist) and the data of
DSFR's breadcrumb, which every page under the home page gives."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # The first segments of the paths that belong to this entry (mark it as the current page).
    path_prefixes: tuple[str, ...]


@dataclass(frozen=True)
class NavGroup:
    """Entries behind one button of the bar (DSFR's sub-menu): the bar stays on one line."""

    label: str
    # The id of its sub-menu (the button's aria-controls), unique on the page.
    menu_id: str
    items: tuple[NavItem, ...]


MAIN_NAVIGATION = (
    NavItem("Accueil", "core:home", ("/",)),
    # Parents in distress come first: listening to them is where the initiative began (seed 001).
    NavItem("Soutien aux parents", "support:home", ("/soutien/",)),
    NavItem("Instances locales", "assemblies:list", ("/instances/",)),
    NavItem("Agenda", "events:calendar", ("/agenda/",)),
    # Everything a person writes, signs or comments on: citizen proposals lead to the law
    # proposals, the charter is open for comments, the petition is signed.
    NavGroup(
        "Participer",
        "menu-participer",
        (
            NavItem("Propositions citoyennes", "proposals:list", ("/propositions/",)),
            NavItem("Propositions de loi", "texts:law_list", ("/propositions-de-loi/",)),
            NavItem("Charte et textes en consultation", "texts:text_list", ("/textes/",)),
            NavItem("Interpellations", "interpellations:list", ("/interpellations/",)),
            NavItem("Pétition", "petitions:detail", ("/petition/",)),
        ),
    ),
    NavItem("Pratiques inspirantes", "practices:library", ("/pratiques/",)),
    # What the public action does and where: places and waiting times, inspections, the
    # national strategy, the figures of each territory.
    NavGroup(
        "Action publique",
        "menu-action-publique",
        (
            # The places shared with the courts and the measured waiting times: one entry.
            NavItem("Places et délais", "care:home", ("/accueil/", "/delais/")),
            NavItem("Contrôle", "inspections:home", ("/controle/",)),
            NavItem("Stratégie", "strategy:home", ("/strategie/",)),
            NavItem("Territoires", "territories:index", ("/territoires/",)),
        ),
    ),
)


def navigation_items() -> tuple[NavItem, ...]:
    """Every entry with an address, the groups' entries in their place."""
    return tuple(
        item
        for entry in MAIN_NAVIGATION
        for item in (entry.items if isinstance(entry, NavGroup) else (entry,))
    )


def breadcrumb(*links: dict, current: str) -> dict:
    """The home page first, then ``links`` ({"url", "title"}), then the page itself."""
    return {"links": list(links), "current": current, "root_dir": reverse("core:home")}


def crumb(url_name: str, title: str, *args) -> dict:
    return {"url": reverse(url_name, args=args), "title": title}
