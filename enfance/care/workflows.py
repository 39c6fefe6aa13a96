from enfance.core.workflow import Transition, Workflow, abilities_for

from .enums import OfferStatus, RequestStatus, StructureStatus
from .models import PlaceOffer, Structure
from .perms import can_answer_offer, can_manage_structure, can_validate_structure

# The département's services validate a structure declared by its gestionnaire: only then do
# its places show in the searches of the magistrates and of the services.
STRUCTURE_WORKFLOW = Workflow(
    state_field="status",
    transitions=[
        Transition(
            "validate",
            {StructureStatus.PROPOSED},
            StructureStatus.VALIDATED,
            "valider la structure",
            can_validate_structure,
        ),
    ],
)


@abilities_for(Structure)
def structure_abilities(user, structure) -> dict[str, bool]:
    manages = can_manage_structure(user, structure)
    return {
        **STRUCTURE_WORKFLOW.abilities(structure, user),
        "edit": manages or can_validate_structure(user, structure),
        "declare": manages,
        "add_category": manages,
        "name_manager": can_validate_structure(user, structure),
    }


def still_open(offer, *, at) -> str | None:
    """A structure answers while the request waits, before its deadline."""
    if offer.request.status != RequestStatus.OPEN:
        return "Une place a déjà été trouvée pour cette demande, ou elle est close."
    if at > offer.request.answer_by:
        return "Le délai de réponse de cette demande est passé."
    return None


# A structure's answer to a request; a third state, « sans objet », is set by the acceptance of
# another structure (services.answer_offer), never by a person.
OFFER_WORKFLOW = Workflow(
    state_field="status",
    transitions=[
        Transition(
            "accept",
            {OfferStatus.PENDING},
            OfferStatus.ACCEPTED,
            "accepter la demande",
            can_answer_offer,
            guard=still_open,
        ),
        Transition(
            "refuse",
            {OfferStatus.PENDING},
            OfferStatus.REFUSED,
            "refuser la demande",
            can_answer_offer,
            guard=still_open,
        ),
    ],
)


@abilities_for(PlaceOffer)
def offer_abilities(user, offer) -> dict[str, bool]:
    return OFFER_WORKFLOW.abilities(offer, user)
