"""Contexts like the services give, for tests/core/test_emails.py."""

from datetime import timedelta

from django.utils import timezone

from enfance.assemblies.models import AgendaItem, InstanceProposal, Meeting
from tests.assemblies.factories import InstanceFactory, seat_directly
from tests.events.factories import EventFactory
from tests.factories import UserFactory


def _convocation():
    instance = InstanceFactory(name="Instance locale de Villeurbanne")
    meeting = Meeting.objects.create(
        instance=instance,
        title="Réunion plénière",
        starts_at=timezone.now() + timedelta(days=7),
        place="Maison des associations",
    )
    AgendaItem.objects.create(meeting=meeting, position=1, title="Diagnostic local")
    return {
        "meeting": meeting,
        "instance": instance,
        "agenda": list(meeting.agenda_items.all()),
        "member": seat_directly(instance, "parents"),
    }


def _child_came_of_age():
    instance = InstanceFactory(name="Instance locale du Libournais")
    membership = seat_directly(instance, "enfants")
    membership.ended_on = timezone.localdate()
    return {
        "instance": instance,
        "membership": membership,
        "instance_url": "https://protection-enfance.example/instances/libournais/",
    }


def _proposal_refused():
    forum = EventFactory(kind="forum")
    proposal = InstanceProposal.objects.create(
        event=forum,
        name="Instance de la Croix-Rousse",
        departement=forum.departement,
        proposed_by=UserFactory(),
    )
    return {"proposal": proposal, "reason": "Une instance couvre déjà ce bassin de vie."}


SAMPLES = {
    "assemblies/emails/convocation.txt": _convocation,
    "assemblies/emails/child_came_of_age.txt": _child_came_of_age,
    "assemblies/emails/instance_proposal_accepted.txt": lambda: {
        "instance": InstanceFactory(name="Instance de la Croix-Rousse"),
        "instance_url": "https://protection-enfance.example/instances/croix-rousse/",
    },
    "assemblies/emails/instance_proposal_refused.txt": _proposal_refused,
}
