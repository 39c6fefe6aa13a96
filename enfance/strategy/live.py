"""Where the platform holds live figures for a measure of the strategy: the page that shows them,
chosen by reading each measure (a word match would link the student housing « places » of 4.2
to the places of care)."""

from django.urls import reverse

# measure number: (page, what it shows)
LINKS = {
    # A national framework for the control of the places of care: the control body's grid,
    # plans and published reports.
    "2.3": ("inspections:home", "Les contrôles des lieux d'accueil et leurs rapports publiés"),
    # Authorisations and the relations between départements and the structures they authorise:
    # the registry of structures and their places, shared with the courts.
    "2.4": (
        "care:home",
        "Le registre des structures d'accueil et leurs places libres, partagées avec les "
        "tribunaux pour enfants",
    ),
    # Children and former children taking part in the bodies that decide: the instances
    # locales, with their college of children and young people.
    "3.2": ("assemblies:list", "Les instances locales, où siègent enfants et jeunes accompagnés"),
}


def live_links(measure) -> list[dict]:
    if measure.number not in LINKS:
        return []
    url_name, label = LINKS[measure.number]
    return [{"url": reverse(url_name), "label": label}]
