"""Institutions, states and the transition table of interpellations."""

from django.db import models

from enfance.core.workflow import Transition, Workflow

from .perms import by_the_platform, can_manage_interpellation


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


WORKFLOW = Workflow(
    state_field="state",
    transitions=[
        Transition("submit_to_vote", {State.DRAFT}, State.VOTING, "soumettre au vote",
                   can_manage_interpellation),
        Transition("adopt", {State.VOTING}, State.ADOPTED, "adopter", can_manage_interpellation,
                   public=True),
        Transition("reject", {State.VOTING}, State.REJECTED, "rejeter",
                   can_manage_interpellation),
        Transition("back_to_draft", {State.VOTING, State.REJECTED}, State.DRAFT,
                   "reprendre le brouillon", can_manage_interpellation),
        Transition("send", {State.ADOPTED}, State.SENT, "envoyer à l'institution",
                   can_manage_interpellation, public=True),
        Transition("answer", {State.SENT, State.OVERDUE}, State.ANSWERED,
                   "enregistrer la réponse de l'institution", by_the_platform, public=True),
        Transition("record_postal_answer", {State.SENT, State.OVERDUE}, State.ANSWERED,
                   "enregistrer la réponse reçue par courrier", can_manage_interpellation,
                   public=True),
        Transition("expire", {State.SENT}, State.OVERDUE, "constater le dépassement du délai",
                   by_the_platform, public=True),
    ],
)  # fmt: skip
