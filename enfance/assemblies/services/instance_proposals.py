"""The administrateur national's answer to an instance proposed at the end of a forum (the
proposal itself is made from the events module, which holds the forum)."""

from django.db import transaction

from enfance.core import notifications
from enfance.core.text import bounded_text
from enfance.core.workflow import apply_transition

from ..models import Instance, InstanceProposal
from ..workflows import INSTANCE_PROPOSAL_WORKFLOW
from .instances import create_instance

REFUSAL_REASON_MAX_LENGTH = 2000


def accept_instance_proposal(proposal: InstanceProposal, *, by) -> Instance:
    """The administrateur national creates the proposed instance."""
    with transaction.atomic():
        instance = create_instance(
            proposal.departement,
            by=by,
            name=proposal.name,
            description=proposal.description,
        )
        apply_transition(
            proposal,
            INSTANCE_PROPOSAL_WORKFLOW,
            "accepter",
            by=by,
            also_update={"instance": instance},
            data={"instance": instance.pk},
        )
        _tell_proposer(
            proposal,
            "assemblies/emails/instance_proposal_accepted.txt",
            {
                "instance": instance,
                "instance_url": notifications.absolute_url(instance.get_absolute_url()),
            },
            subject=f"L'instance « {instance.name} » est créée",
        )
    return instance


def refuse_instance_proposal(proposal: InstanceProposal, *, by, reason: str) -> InstanceProposal:
    reason = bounded_text(
        reason,
        limit=REFUSAL_REASON_MAX_LENGTH,
        field="reason",
        required=(
            "Expliquez à la personne qui anime l'instance pourquoi la proposition est refusée."
        ),
    )
    with transaction.atomic():
        proposal = apply_transition(
            proposal,
            INSTANCE_PROPOSAL_WORKFLOW,
            "refuser",
            by=by,
            also_update={"refusal_reason": reason},
        )
        _tell_proposer(
            proposal,
            "assemblies/emails/instance_proposal_refused.txt",
            {"proposal": proposal, "reason": reason},
            subject=f"Votre proposition d'instance « {proposal.name} »",
        )
    return proposal


def _tell_proposer(proposal: InstanceProposal, template: str, context: dict, *, subject) -> None:
    if proposal.proposed_by is None:
        return
    notifications.send(
        template,
        context,
        subject=f"[Protection de l'enfance] {subject}",
        to=proposal.proposed_by.email,
    )
