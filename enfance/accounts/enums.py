from django.db import models


class RoleKind(models.TextChoices):
    """The roles of PRODUCT.md that are granted to a person.

    Membership of an instance (membre, secrétaire or animateur) is not granted here: it follows
    from the composition of the instance, managed by the instances module.
    """

    PARENT_ACCOMPAGNE = "parent_accompagne", "Parent accompagné"
    PROFESSIONNEL = "professionnel", "Professionnel (juriste, psychologue, travailleur social)"
    PORTEUR_PRATIQUE = "porteur_pratique", "Porteur de pratique"
    COMITE_SELECTION = "comite_selection", "Membre du comité de sélection"
    REDACTEUR_ONPE = "redacteur_onpe", "Rédacteur ONPE"
    GESTIONNAIRE_STRUCTURE = "gestionnaire_structure", "Gestionnaire de structure"
    MAGISTRAT = "magistrat", "Magistrat (tribunal pour enfants)"
    # The département's child welfare services (aide sociale à l'enfance): they validate the
    # structures of their territory, search free places and record the measures ordered.
    SERVICES_DEPARTEMENT = (
        "services_departement",
        "Services du département (aide sociale à l'enfance)",
    )
    CONTROLEUR = "controleur", "Contrôleur (organe de contrôle indépendant)"
    REFERENT_PROTECTION = "referent_protection", "Référent protection (signalements de danger)"
    ADMINISTRATEUR_NATIONAL = "administrateur_national", "Administrateur national"


class ScopeLevel(models.TextChoices):
    NATIONAL = "national", "National"
    REGION = "region", "Région"
    DEPARTEMENT = "departement", "Département"


# Roles that see sensitive data: multi-factor authentication is mandatory before using them
# (QUALITY.md, Security). The safeguarding referent reads disclosures of danger, so it is one.
SENSITIVE_ROLE_KINDS = frozenset(
    {
        RoleKind.PROFESSIONNEL,
        RoleKind.COMITE_SELECTION,
        RoleKind.CONTROLEUR,
        RoleKind.MAGISTRAT,
        RoleKind.SERVICES_DEPARTEMENT,
        RoleKind.ADMINISTRATEUR_NATIONAL,
        RoleKind.REFERENT_PROTECTION,
    }
)

# Where each role may be scoped. A magistrate sits in a tribunal of one département; the
# national administrator may delegate to a région.
ALLOWED_SCOPES = {
    RoleKind.PARENT_ACCOMPAGNE: {ScopeLevel.NATIONAL, ScopeLevel.DEPARTEMENT},
    RoleKind.PROFESSIONNEL: {ScopeLevel.NATIONAL, ScopeLevel.REGION, ScopeLevel.DEPARTEMENT},
    RoleKind.PORTEUR_PRATIQUE: {ScopeLevel.NATIONAL, ScopeLevel.REGION, ScopeLevel.DEPARTEMENT},
    RoleKind.COMITE_SELECTION: {ScopeLevel.NATIONAL},
    RoleKind.REDACTEUR_ONPE: {ScopeLevel.NATIONAL},
    RoleKind.GESTIONNAIRE_STRUCTURE: {ScopeLevel.DEPARTEMENT},
    RoleKind.MAGISTRAT: {ScopeLevel.DEPARTEMENT},
    RoleKind.SERVICES_DEPARTEMENT: {ScopeLevel.DEPARTEMENT},
    RoleKind.CONTROLEUR: {ScopeLevel.NATIONAL, ScopeLevel.REGION, ScopeLevel.DEPARTEMENT},
    RoleKind.REFERENT_PROTECTION: {ScopeLevel.NATIONAL, ScopeLevel.REGION, ScopeLevel.DEPARTEMENT},
    RoleKind.ADMINISTRATEUR_NATIONAL: {ScopeLevel.NATIONAL, ScopeLevel.REGION},
}


class TitleForm(models.TextChoices):
    """How a person's titles are written (« animatrice » or « animateur »), as they choose in
    their profile; blank: the title's official form (accounts.titles)."""

    FEMININ = "feminin", "Au féminin (par exemple « animatrice », « magistrate »)"
    MASCULIN = "masculin", "Au masculin (par exemple « animateur », « magistrat »)"
