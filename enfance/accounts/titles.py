"""A person's titles in the form they chose (User.title_form): the roles of the platform and of
the instances are named by their official form, which is masculine in French; a person who
chooses the feminine reads « Animatrice de l'instance », « Magistrate », on their pages and on
the pages that name them."""

from .enums import RoleKind, TitleForm

# The feminine of each title whose official form is not epicene, by the code of the role (a
# RoleKind, or an instance's role: « animateur »). The others read the same in both forms.
FEMININE = {
    RoleKind.PARENT_ACCOMPAGNE: "Parent accompagnée",
    RoleKind.PROFESSIONNEL: "Professionnelle (juriste, psychologue, travailleuse sociale)",
    RoleKind.PORTEUR_PRATIQUE: "Porteuse de pratique",
    RoleKind.REDACTEUR_ONPE: "Rédactrice ONPE",
    RoleKind.MAGISTRAT: "Magistrate (tribunal pour enfants)",
    RoleKind.CONTROLEUR: "Contrôleuse (organe de contrôle indépendant)",
    RoleKind.REFERENT_PROTECTION: "Référente protection (signalements de danger)",
    RoleKind.ADMINISTRATEUR_NATIONAL: "Administratrice nationale",
    "animateur": "Animatrice",
}


def title(code: str, official: str, person) -> str:
    """The title ``official`` (the label of ``code``) as ``person`` chose to be named; the
    official form when nobody holds it any more (an account deleted)."""
    if person is not None and person.title_form == TitleForm.FEMININ:
        return FEMININE.get(code, official)
    return official
