"""The petition's life (open → closed → submitted → anonymised) and what a person may do with it
(its abilities): the management page offers the transitions, the pages of paper sheets their
entry and withdrawal while paper counts may still move."""

from enfance.core.workflow import Transition, Workflow, abilities_for

from .enums import PAPER_STATES, PetitionState
from .models import Petition
from .perms import (
    can_anonymise_petition,
    can_export_signatures,
    can_manage_petition,
    can_view_paper_sheets,
    secretary_instance_ids,
)

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


@abilities_for(Petition)
def petition_abilities(user, petition) -> dict[str, bool]:
    abilities = PETITION_WORKFLOW.abilities(petition, user)
    # The secretary of an instance enters (and withdraws) the sheets its forums collected.
    enters_sheets = bool(secretary_instance_ids(user)) and petition.state in PAPER_STATES
    abilities.update(
        manage=can_manage_petition(user, petition),
        export=can_export_signatures(user, petition),
        view_paper_sheets=can_view_paper_sheets(user),
        add_paper_sheet=enters_sheets,
        withdraw_paper_sheet=enters_sheets,
    )
    return abilities
