"""Choices and limits of the practices module (the committee's transitions are in workflows.py)."""

from django.db import models


class PracticeState(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Transmise au comité"
    UNDER_REVIEW = "under_review", "En cours d'examen"
    INFORMATION_REQUESTED = "information_requested", "Compléments demandés"
    PUBLISHED = "published", "Publiée"
    REFUSED = "refused", "Refusée"


# States in which the declarant may still change what they wrote.
EDITABLE_STATES = (PracticeState.DRAFT, PracticeState.INFORMATION_REQUESTED)
# States the selection committee's queue shows.
QUEUE_STATES = (
    PracticeState.SUBMITTED,
    PracticeState.UNDER_REVIEW,
    PracticeState.INFORMATION_REQUESTED,
)


class PracticeLevel(models.IntegerChoices):
    DECLARED = 1, "Pratique déclarée"
    ONPE = 2, "Fiche dispositif ONPE"


class Scale(models.TextChoices):
    NATIONALE = "nationale", "Nationale"
    REGIONALE = "regionale", "Régionale"
    DEPARTEMENTALE = "departementale", "Départementale"
    LOCALE = "locale", "Locale"


class ReferenceList(models.TextChoices):
    INTERVENTION_TYPE = "intervention_type", "Type d'intervention"
    THEME = "theme", "Thématique"
    AUDIENCE = "audience", "Public visé"
    RELAY = "relay", "Relais de l'implémentation"


class StructureKind(models.TextChoices):
    ASSOCIATION = "association", "Association"
    DEPARTEMENT = "departement", "Département (conseil départemental)"
    ONPE = "onpe", "Observatoire national de la protection de l'enfance (ONPE)"
    OTHER = "autre", "Autre structure"


class EvidenceStage(models.TextChoices):
    """Where a fiche stands on the evidence ladder (PRODUCT.md §6)."""

    DECLARED = "declared", "Déclarée"
    REVIEWED = "reviewed", "Examinée par le comité"
    ONPE = "onpe", "Fiche ONPE"
    EVALUATED = "evaluated", "Évaluée"


class EvidenceLevel(models.IntegerChoices):
    """The published evidence scale (page ``practices:evidence_scale``).

    Oriented like the CEBC scale (1 is the strongest evidence, 5 a concern) and grouped in
    EPIC's words: levels 1-2 are "best", 3 "promising", 4 "emergent".
    """

    WELL_SUPPORTED = 1, "1 — Efficacité solidement établie"
    SUPPORTED = 2, "2 — Efficacité établie"
    PROMISING = 3, "3 — Prometteuse"
    EMERGENT = 4, "4 — Émergente : efficacité pas encore démontrée"
    CONCERNING = 5, "5 — Préoccupante : effets négatifs possibles"


class CostBand(models.TextChoices):
    UNKNOWN = "", "Non renseigné"
    NONE = "nul", "Sans coût supplémentaire"
    LOW = "faible", "Faible (moins de 10 000 € par an)"
    MEDIUM = "moyen", "Moyen (de 10 000 à 100 000 € par an)"
    HIGH = "eleve", "Élevé (plus de 100 000 € par an)"


class Transferability(models.TextChoices):
    UNKNOWN = "", "Non renseignée"
    LOW = "faible", "Faible : très liée à son contexte"
    MEDIUM = "moyenne", "Moyenne : transposable avec des adaptations"
    HIGH = "forte", "Forte : déjà reproduite ou facile à reproduire"


class MarkCriterion(models.TextChoices):
    """What the committee highlights a fiche for (seed 004, Valorisation)."""

    PERTINENCE = "pertinence", "Pertinence"
    ORIGINALITE = "originalite", "Originalité"
    EFFICACITE = "efficacite", "Efficacité"


# Limits of seed 004's form, shared by the model, the form and the live counter.
TITLE_MAX_LENGTH = 100
ENTITY_NAME_MAX_LENGTH = 100
DESCRIPTION_MAX_LENGTH = 1000
PRECISION_MAX_LENGTH = 100
# The structured level-2 texts are longer but still bounded.
FICHE_TEXT_MAX_LENGTH = 5000
# A message of the committee's thread, and a refusal's reason the declarant reads.
MESSAGE_MAX_LENGTH = 3000
# A committee member's note on a conflict of interest, and their comment on a highlight.
CONFLICT_NOTE_MAX_LENGTH = 300
MARK_COMMENT_MAX_LENGTH = 300
# A fiche's evidence is reviewed every two years.
REVIEW_INTERVAL_YEARS = 2


# Seed 004's "Informations préalables", as the declarant accepts them. A new wording gets a new
# version: each fiche keeps the version its declarant accepted.
CONDITIONS_VERSION = "2023-09"
CONDITIONS = {
    "2023-09": (
        "Chaque auto-déclarant porte la responsabilité des informations qu'il délivre. "
        "Il certifie leur exactitude.",
        "Avant d'être mise en ligne et visible par tous, la pratique que vous déclarez est "
        "soumise à un comité de sélection.",
        "Le recueil nécessite également l'accord préalable d'un représentant du département "
        "d'implantation de la pratique.",
    ),
}
