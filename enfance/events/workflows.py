"""The event workflow (enfance.core.workflow), the rules of an event that its services check, and
what a person may do with an event (``abilities``), which is what its pages offer."""

from django.utils import timezone

from enfance.assemblies.models import InstanceProposal
from enfance.core.workflow import Transition, Workflow, abilities_for

from .enums import MEMBERS_ONLY_KINDS, EventKind, EventStatus
from .models import Event
from .perms import can_manage_event, can_review_event, can_withdraw_event, is_host

# Rules of an event (None: the rule holds; otherwise the French reason it does not) ------------


def not_started(event, now=None) -> str | None:
    if event.starts_at > (now or timezone.now()):
        return "Cet événement n'a pas encore commencé : il ne peut être terminé."
    return None


def refusal_to_add_host(event) -> str | None:
    if event.status not in (EventStatus.PROPOSED, EventStatus.PUBLISHED):
        return "L'équipe d'animation se complète avant l'événement."
    return None


def refusal_to_take_attendance(event, now=None) -> str | None:
    if event.status not in (EventStatus.PUBLISHED, EventStatus.FINISHED):
        return "Les présences se relèvent pour un événement publié."
    if timezone.localdate(event.starts_at) > timezone.localdate(now or timezone.now()):
        return "Les présences se relèvent à partir du jour de l'événement."
    return None


def refusal_to_record_outcome(event) -> str | None:
    if event.kind in MEMBERS_ONLY_KINDS:
        return "Ce qui se dit dans un groupe de parole reste dans le groupe : pas de compte rendu."
    if event.status != EventStatus.FINISHED:
        return "Le compte rendu se publie une fois l'événement marqué comme terminé."
    return None


def refusal_to_open_priority_vote(event) -> str | None:
    if event.kind != EventKind.ATELIER:
        return "Le classement des priorités se tient lors d'un atelier citoyen."
    if not event.registrations.registered().filter(attended=True).exists():
        return "Personne n'est encore noté présent : relevez les présences avant le vote."
    return None


def refusal_to_propose_instance(event) -> str | None:
    if event.kind != EventKind.FORUM or event.status not in (
        EventStatus.PUBLISHED,
        EventStatus.FINISHED,
    ):
        return "Une instance se propose à l'issue d'un forum ouvert publié."
    if InstanceProposal.objects.filter(event=event, status="proposee").exists():
        return "Une proposition d'instance de ce forum attend déjà une réponse."
    return None


EVENT_WORKFLOW = Workflow(
    state_field="status",
    transitions=[
        Transition(
            "accept",
            {EventStatus.PROPOSED},
            EventStatus.PUBLISHED,
            "accepter et publier",
            can_review_event,
            public=True,
        ),
        Transition(
            "refuse", {EventStatus.PROPOSED}, EventStatus.REFUSED, "refuser", can_review_event
        ),
        Transition(
            "withdraw",
            {EventStatus.PROPOSED},
            EventStatus.CANCELLED,
            "retirer la proposition",
            can_withdraw_event,
        ),
        Transition(
            "cancel",
            {EventStatus.PUBLISHED},
            EventStatus.CANCELLED,
            "annuler",
            can_manage_event,
            public=True,
        ),
        Transition(
            "finish",
            {EventStatus.PUBLISHED},
            EventStatus.FINISHED,
            "marquer comme terminé",
            can_manage_event,
            public=True,
            guard=not_started,
        ),
    ],
)


@abilities_for(Event)
def event_abilities(user, event) -> dict[str, bool]:
    abilities = EVENT_WORKFLOW.abilities(event, user)
    manage = bool(can_manage_event(user, event))
    # The management page: the hosts and reviewers, and the proposer who may withdraw.
    abilities["open_management"] = bool(can_withdraw_event(user, event))
    abilities["manage"] = manage
    abilities["add_host"] = manage and refusal_to_add_host(event) is None
    abilities["take_attendance"] = manage and refusal_to_take_attendance(event) is None
    abilities["record_outcome"] = manage and refusal_to_record_outcome(event) is None
    abilities["open_priority_vote"] = manage and refusal_to_open_priority_vote(event) is None
    abilities["propose_instance"] = bool(is_host(user, event)) and (
        refusal_to_propose_instance(event) is None
    )
    return abilities
