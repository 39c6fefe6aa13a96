from django.db import models

from enfance.core.workflow import Transition, Workflow

from .perms import can_anonymise_petition, can_manage_petition


class PetitionState(models.TextChoices):
    OPEN = "ouverte", "Ouverte"
    CLOSED = "close", "Close"
    SUBMITTED = "deposee", "Déposée"
    # Personal data erased after submission (PRODUCT.md): the counts remain.
    ANONYMISED = "anonymisee", "Anonymisée"


PETITION_WORKFLOW = Workflow(
    state_field="state",
    transitions=[
        Transition(
            "close",
            {PetitionState.OPEN},
            PetitionState.CLOSED,
            "clore la pétition",
            can_manage_petition,
            public=True,
        ),
        Transition(
            "submit",
            {PetitionState.CLOSED},
            PetitionState.SUBMITTED,
            "marquer la pétition comme déposée",
            can_manage_petition,
            public=True,
        ),
        Transition(
            "anonymise",
            {PetitionState.SUBMITTED},
            PetitionState.ANONYMISED,
            "anonymiser les signatures",
            can_anonymise_petition,
            public=True,
        ),
    ],
)
