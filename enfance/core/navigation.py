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


MAIN_NAVIGATION = (
    NavItem("Accueil", "core:home", ("/",)),
    # Parents in distress come first: listening to them is where the initiative began (seed 001).
    NavItem("Soutien aux parents", "support:home", ("/soutien/",)),
    NavItem("Instances locales", "assemblies:list", ("/instances/",)),
    NavItem("Agenda", "events:calendar", ("/agenda/",)),
    # Citizen proposals lead to the law proposals and the charter: one entry for the three.
    NavItem(
        "Propositions", "proposals:list", ("/propositions/", "/propositions-de-loi/", "/textes/")
    ),
    NavItem("Interpellations", "interpellations:list", ("/interpellations/",)),
    NavItem("Pratiques inspirantes", "practices:library", ("/pratiques/",)),
    NavItem("Pétition", "petitions:detail", ("/petition/",)),
    # The places shared with the courts and the measured waiting times: one entry for both.
    NavItem("Places et délais", "care:home", ("/accueil/", "/delais/")),
    NavItem("Contrôle", "inspections:home", ("/controle/",)),
    NavItem("Stratégie", "strategy:home", ("/strategie/",)),
    NavItem("Territoires", "territories:index", ("/territoires/",)),
)


def breadcrumb(*links: dict, current: str) -> dict:
    """The home page first, then ``links`` ({"url", "title"}), then the page itself."""
    return {"links": list(links), "current": current, "root_dir": reverse("core:home")}


def crumb(url_name: str, title: str, *args) -> dict:
    return {"url": reverse(url_name, args=args), "title": title}
