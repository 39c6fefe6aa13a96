from django.db import models


class TextKind(models.TextChoices):
    CHARTER = "charte", "Charte"
    LAW_PROPOSAL = "proposition_loi", "Proposition de loi"
    OTHER = "autre", "Autre texte"


class TextState(models.TextChoices):
    DRAFTING = "redaction", "En rédaction"
    # Article comments and wording proposals are open only in this state.
    CONSULTATION = "consultation", "En consultation"
    # The two states below belong to law proposals.
    TRANSMITTED = "transmise", "Transmise"
    FOLLOWED_UP = "suites", "Suites données"


# A text changes (new versions, decisions on proposed wordings) only before it is transmitted.
EDITABLE_STATES = frozenset({TextState.DRAFTING, TextState.CONSULTATION})


class ArticleProposalState(models.TextChoices):
    PENDING = "en_attente", "En attente"
    INTEGRATED = "integree", "Intégrée"
    NOT_RETAINED = "non_retenue", "Non retenue"


class RecipientKind(models.TextChoices):
    GOVERNMENT = "gouvernement", "Gouvernement"
    DEPUTIES = "deputes", "Membres de l'Assemblée nationale"
    SENATORS = "senateurs", "Membres du Sénat"
    OTHER = "autre", "Autre destinataire"


# Limits of what a person writes (QUALITY.md: bad input gets a clear message, never a crash).
COMMENT_MAX_LENGTH = 2_000
PROPOSAL_REASON_MAX_LENGTH = 2_000
ARTICLE_BODY_MAX_LENGTH = 10_000
PREAMBLE_MAX_LENGTH = 30_000
MAX_ARTICLES = 100
TRANSMISSION_RECIPIENTS_MAX_LENGTH = 500
TRANSMISSION_NOTE_MAX_LENGTH = 2_000
FOLLOW_UP_MAX_LENGTH = 4_000
