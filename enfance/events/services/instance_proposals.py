"""The hosts of a forum ouvert propose the instance it launches (seed 000, phase 1); the
administrateur national answers (``assemblies.services.accept_instance_proposal``)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from enfance.assemblies.models import InstanceProposal
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_texts, model_limit

from ..models import Event
from ..perms import is_host
from ..workflows import refusal_to_propose_instance


def propose_instance(event: Event, *, by, name: str, description: str = "") -> InstanceProposal:
    if not is_host(by, event):
        raise PermissionDenied("Seuls les animateurs du forum peuvent proposer une instance.")
    texts = bounded_texts(
        {"name": name, "description": description},
        {
            "name": (
                model_limit(InstanceProposal, "name"),
                "",
                "Donnez un nom à l'instance proposée.",
            ),
            "description": (model_limit(InstanceProposal, "description"), "", None),
        },
    )
    with transaction.atomic():
        if reason := refusal_to_propose_instance(event):
            raise ValidationError(reason)
        proposal = InstanceProposal.objects.create(
            event=event,
            departement=event.departement,
            proposed_by=by,
            **texts,
        )
        record_event(
            by=by,
            action="assemblies.instance_proposed",
            summary=f"Instance proposée à l'issue du forum « {event.title} » : {proposal.name}",
            target=proposal,
            data={"event": event.pk, "departement": event.departement.code},
            public=True,
        )
    return proposal
