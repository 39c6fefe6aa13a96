"""Institutions, states and answer statuses of interpellations (the transitions: workflows.py)."""

from django.db import models


class InstitutionKind(models.TextChoices):
    ASE = "ase", "Aide sociale à l'enfance (département)"
    JUSTICE = "justice", "Justice"
    EDUCATION = "education", "Éducation nationale"
    SANTE = "sante", "Santé"
    PJJ = "pjj", "Protection judiciaire de la jeunesse (PJJ)"
    PREFECTURE = "prefecture", "Préfecture"
    AUTRE = "autre", "Autre institution"


class State(models.TextChoices):
    DRAFT = "draft", "Brouillon"
    VOTING = "voting", "Soumise au vote"
    ADOPTED = "adopted", "Adoptée, à envoyer"
    REJECTED = "rejected", "Rejetée par l'instance"
    SENT = "sent", "Envoyée"
    OVERDUE = "overdue", "Délai dépassé"
    ANSWERED = "answered", "Répondue"


# What the public sees: the interpellations the instance adopted. Drafts, votes in progress and
# rejected texts stay between the members of the instance.
PUBLIC_STATES = (State.ADOPTED, State.SENT, State.OVERDUE, State.ANSWERED)
# States in which the institution has received the interpellation.
SENT_STATES = (State.SENT, State.OVERDUE, State.ANSWERED)


class AnswerStatus(models.TextChoices):
    """The public status of an interpellation once sent, computed from its dates."""

    PENDING = "en_attente", "En attente de réponse"
    ANSWERED = "repondue", "Répondue"
    ANSWERED_LATE = "repondue_hors_delai", "Répondue hors délai"
    OVERDUE = "hors_delai", "Hors délai, sans réponse"


class AnswerChannel(models.TextChoices):
    LINK = "lien", "Par le lien sécurisé"
    POST = "courrier", "Par courrier, saisie par le secrétariat"
