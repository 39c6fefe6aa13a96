from django.db import models


class Judgement(models.TextChoices):
    """The judgement on a theme or on a whole inspection, best first."""

    TRES_BIEN = "tres_bien", "Très bien"
    BIEN = "bien", "Bien"
    A_AMELIORER = "a_ameliorer", "À améliorer"
    INSUFFISANT = "insuffisant", "Insuffisant"


class Level(models.TextChoices):
    """The level of an inspected home, best first."""

    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class InspectionStatus(models.TextChoices):
    """Where an inspection is, in the order of the French contradictory procedure."""

    SCHEDULED = "programmee", "Programmée"
    IN_PROGRESS = "en_cours", "Visite en cours"
    PROVISIONAL = "rapport_provisoire", "Rapport provisoire envoyé"
    FINAL = "rapport_definitif", "Rapport définitif"
    PUBLISHED = "publiee", "Rapport publié"
    CANCELLED = "annulee", "Annulée"


class Origin(models.TextChoices):
    PLANNED = "plan", "Au plan de contrôle"
    ALERT = "alerte", "Après une alerte"


class JointWith(models.TextChoices):
    """Who an inspection is run with (seed 003: joint controls are rare, and good)."""

    DEPARTEMENT = "departement", "le département"
    PJJ = "pjj", "la protection judiciaire de la jeunesse (PJJ)"
    ARS = "ars", "l'agence régionale de santé (ARS)"
