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
    # Every required action accepted: the follow-up is over.
    CLOSED = "suivi_clos", "Suivi clos"
    CANCELLED = "annulee", "Annulée"


# A published report stays public once its follow-up is closed.
PUBLIC_STATUSES = (InspectionStatus.PUBLISHED, InspectionStatus.CLOSED)


class Origin(models.TextChoices):
    PLANNED = "plan", "Au plan de contrôle"
    ALERT = "alerte", "Après une alerte"
    # A weak grade schedules a second visit within the year (Ofsted's practice).
    FOLLOW_UP = "seconde_visite", "Seconde visite après une note faible"


class JointWith(models.TextChoices):
    """Who an inspection is run with (seed 003: joint controls are rare, and good)."""

    DEPARTEMENT = "departement", "le département"
    PJJ = "pjj", "la protection judiciaire de la jeunesse (PJJ)"
    ARS = "ars", "l'agence régionale de santé (ARS)"


class ActionKind(models.TextChoices):
    REQUIRED = "exigee", "Action exigée"
    RECOMMENDATION = "recommandation", "Recommandation"


class ActionStatus(models.TextChoices):
    """The follow-up of a required action: the gestionnaire answers with a plan and evidence,
    the contrôleur accepts it or asks for more."""

    OPEN = "a_traiter", "À traiter"
    ANSWERED = "reponse_envoyee", "Réponse envoyée"
    TO_REDO = "a_reprendre", "À reprendre"
    ACCEPTED = "acceptee", "Acceptée"


class AlertSource(models.TextChoices):
    """What opens an unplanned inspection."""

    SAFEGUARDING = "signalement", "Signalement de danger concernant la structure"
    INTERPELLATION = "interpellation", "Interpellation citoyenne"
    COMPLAINT = "plainte", "Plainte reçue par l'organe de contrôle"


class EntrySource(models.TextChoices):
    PROPOSED = "proposee", "Proposée par le score de risque"
    BY_HAND = "ajoutee", "Ajoutée à la main"
