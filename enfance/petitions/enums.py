"""The petition's states (its transitions: workflows.py)."""

from django.db import models


class PetitionState(models.TextChoices):
    OPEN = "ouverte", "Ouverte"
    CLOSED = "close", "Close"
    SUBMITTED = "deposee", "Déposée"
    # Personal data erased after submission (PRODUCT.md): the counts remain.
    ANONYMISED = "anonymisee", "Anonymisée"


# Paper counts move only while these hold: once submitted, the figures are the submitted ones.
PAPER_STATES = frozenset({PetitionState.OPEN, PetitionState.CLOSED})
