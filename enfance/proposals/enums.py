from django.db import models


class ProposalState(models.TextChoices):
    DRAFT = "brouillon", "Brouillon"
    # Written by a minor: waits for a moderator before anyone else reads it (PRODUCT.md).
    PENDING_MODERATION = "a_moderer", "En attente de modération"
    PUBLISHED = "publiee", "Publiée"
    UNDER_DELIBERATION = "en_deliberation", "En délibération"
    ADOPTED = "adoptee", "Adoptée par une instance"
    REJECTED = "rejetee", "Rejetée par une instance"
    TRANSMITTED = "transmise", "Transmise au national"


# What the public list and pages show.
PUBLIC_STATES = (
    ProposalState.PUBLISHED,
    ProposalState.UNDER_DELIBERATION,
    ProposalState.ADOPTED,
    ProposalState.REJECTED,
    ProposalState.TRANSMITTED,
)
# People may support and comment while the proposal is alive.
OPEN_FOR_SUPPORT_STATES = (
    ProposalState.PUBLISHED,
    ProposalState.UNDER_DELIBERATION,
    ProposalState.ADOPTED,
    ProposalState.TRANSMITTED,
)
ADOPTED_STATES = (ProposalState.ADOPTED, ProposalState.TRANSMITTED)


class AmendmentState(models.TextChoices):
    PROPOSED = "propose", "Proposé"
    VOTING = "au_vote", "Au vote"
    ACCEPTED = "accepte", "Accepté"
    REJECTED = "rejete", "Rejeté"


class AmendedPart(models.TextChoices):
    """The part of the proposal an amendment rewrites."""

    TITLE = "title", "Titre"
    PROBLEM = "problem", "Le problème constaté"
    BODY = "body", "La proposition"
    EXPECTED_EFFECT = "expected_effect", "L'effet attendu"


class ActivityKind(models.TextChoices):
    """What followers of a proposal hear about in their daily digest."""

    COMMENT = "commentaire", "Nouveau commentaire"
    TAKEN_UP = "reprise", "Reprise par une instance"
    AMENDMENT = "amendement", "Amendement"
    DECISION = "decision", "Décision de l'instance"
    TRANSMITTED = "transmission", "Transmise au national"
