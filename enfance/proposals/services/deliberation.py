"""Deliberation by an instance: it takes a proposal up, its members amend it and vote
(``enfance.votes``), and an adopted proposal is transmitted to the national level."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from enfance.accounts.enums import RoleKind
from enfance.accounts.models import Role
from enfance.assemblies.perms import can_manage_instance
from enfance.core import notifications
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text
from enfance.core.workflow import apply_transition
from enfance.votes import services as votes
from enfance.votes.enums import BallotState, Method

from ..enums import ActivityKind, AmendedPart, ProposalState
from ..models import TEXT_MAX_LENGTH, Amendment, Proposal
from ..perms import can_manage_deliberation, can_propose_amendment
from ..workflows import AMENDMENT_WORKFLOW, PROPOSAL_WORKFLOW, decision_vote_refusal
from .following import record_activity, shortened
from .writing import limits_of, reindex

# How long members have to vote, unless the manager says otherwise.
DEFAULT_VOTE_DAYS = 7
BALLOT_TITLE_MAX_LENGTH = 200
BALLOT_DESCRIPTION_MAX_LENGTH = 2000


def take_up(proposal: Proposal, *, by, instance) -> Proposal:
    """An instance puts a published proposal under deliberation."""
    if not can_manage_instance(by, instance):
        raise PermissionDenied("Seuls le secrétariat et l'animation de l'instance le peuvent.")
    if proposal.instance_id not in (None, instance.pk):
        raise ValidationError("Une autre instance délibère déjà sur cette proposition.")
    with transaction.atomic():
        proposal = apply_transition(
            proposal,
            PROPOSAL_WORKFLOW,
            "take_up",
            by=by,
            data={"instance": instance.pk},
            also_update={"instance": instance, "taken_up_at": timezone.now()},
        )
        record_activity(proposal, ActivityKind.TAKEN_UP, f"Mise en délibération par {instance}", by)
    return proposal


def _vote_window(closes_at):
    opens_at = timezone.now()
    closes_at = closes_at or opens_at + timedelta(days=DEFAULT_VOTE_DAYS)
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": "La clôture du vote doit être dans le futur."})
    return opens_at, closes_at


def propose_amendment(
    proposal: Proposal, *, by, part: str, new_text: str, rationale: str = ""
) -> Amendment:
    if part not in AmendedPart.values:
        raise ValidationError({"part": "Choisissez la partie de la proposition à modifier."})
    new_text = bounded_text(
        new_text,
        limit=limits_of(part),
        field="new_text",
        label="La nouvelle rédaction",
        required="Écrivez la nouvelle rédaction proposée.",
    )
    rationale = bounded_text(
        rationale, limit=TEXT_MAX_LENGTH, field="rationale", label="L'exposé des motifs"
    )
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.state != ProposalState.UNDER_DELIBERATION:
            raise ValidationError(
                "On ne peut amender qu'une proposition en délibération : celle-ci est "
                f"« {locked.get_state_display()} »."
            )
        if not can_propose_amendment(by, locked):
            raise PermissionDenied("Seuls les membres de l'instance déposent des amendements.")
        if locked.decision_ballot_id is not None:
            raise ValidationError("Le vote final est ouvert : le temps des amendements est passé.")
        if new_text == getattr(locked, part):
            raise ValidationError({"new_text": "La nouvelle rédaction est identique au texte."})
        number = (locked.amendments.aggregate(top=Max("number"))["top"] or 0) + 1
        amendment = Amendment.objects.create(
            proposal=locked,
            number=number,
            part=part,
            original_text=getattr(locked, part),
            new_text=new_text,
            rationale=rationale,
            author=by,
        )
        record_event(
            by=by,
            action="proposals.amendment",
            summary=f"Amendement n° {number} déposé sur la proposition n° {locked.pk}",
            target=amendment,
            public=True,
        )
        record_activity(locked, ActivityKind.AMENDMENT, f"Amendement n° {number} déposé", by)
    return amendment


def open_amendment_vote(amendment: Amendment, *, by, closes_at=None):
    proposal = amendment.proposal
    opens_at, closes_at = _vote_window(closes_at)
    with transaction.atomic():
        amendment = apply_transition(amendment, AMENDMENT_WORKFLOW, "open_vote", by=by)
        ballot = votes.create_ballot(
            amendment,
            by=by,
            title=shortened(
                f"Amendement n° {amendment.number} — {proposal.title}", BALLOT_TITLE_MAX_LENGTH
            ),
            method=Method.MAJORITY,
            secret=False,
            opens_at=opens_at,
            closes_at=closes_at,
            description=shortened(
                f"{amendment.get_part_display()} : {amendment.new_text}",
                BALLOT_DESCRIPTION_MAX_LENGTH,
            ),
        )
        votes.open_ballot(ballot, by=by, electors=proposal.ballot_electorate())
        # Saved, not updated: the proposal page shows the amendment's vote (signals.py).
        amendment.ballot = ballot
        amendment.save(update_fields=["ballot"])
    return ballot


def _close(ballot, *, by):
    if ballot.state == BallotState.OPEN:
        return votes.close_ballot(ballot, by=by)
    return votes.tally(ballot)


def conclude_amendment_vote(amendment: Amendment, *, by) -> Amendment:
    """Close the amendment's ballot; accepted, the new wording replaces the part."""
    amendment = Amendment.objects.select_related("ballot", "proposal").get(pk=amendment.pk)
    if refusal := AMENDMENT_WORKFLOW.refusal(amendment, by, "accept"):
        raise refusal.exception()
    with transaction.atomic():
        result = _close(amendment.ballot, by=by)
        accepted = bool(result.data.get("adopted"))
        data = {"ballot": amendment.ballot_id, "pour": result.data.get("pour"),
                "contre": result.data.get("contre")}  # fmt: skip
        amendment = apply_transition(
            amendment,
            AMENDMENT_WORKFLOW,
            "accept" if accepted else "reject",
            by=by,
            data=data,
            also_update={"decided_at": timezone.now()},
        )
        if accepted:
            proposal = Proposal.objects.select_for_update().get(pk=amendment.proposal_id)
            setattr(proposal, amendment.part, amendment.new_text)
            proposal.updated_at = timezone.now()
            proposal.save(update_fields=[amendment.part, "updated_at"])
            reindex(proposal)
        verdict = "accepté" if accepted else "rejeté"
        record_activity(
            amendment.proposal,
            ActivityKind.AMENDMENT,
            f"Amendement n° {amendment.number} {verdict}",
            by,
        )
    return amendment


def open_decision_vote(proposal: Proposal, *, by, closes_at=None):
    """The members vote on the proposal as amended."""
    if not can_manage_deliberation(by, proposal):
        raise PermissionDenied("Seuls le secrétariat et l'animation de l'instance le peuvent.")
    opens_at, closes_at = _vote_window(closes_at)
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.state != ProposalState.UNDER_DELIBERATION:
            raise ValidationError("Seule une proposition en délibération est mise au vote.")
        if reason := decision_vote_refusal(locked):
            raise ValidationError(reason)
        ballot = votes.create_ballot(
            locked,
            by=by,
            title=shortened(
                f"Adoption de la proposition « {locked.title} »", BALLOT_TITLE_MAX_LENGTH
            ),
            method=Method.MAJORITY,
            secret=False,
            opens_at=opens_at,
            closes_at=closes_at,
        )
        votes.open_ballot(ballot, by=by, electors=locked.ballot_electorate())
        locked.decision_ballot = ballot
        locked.save(update_fields=["decision_ballot"])
    return ballot


def conclude_decision(proposal: Proposal, *, by) -> Proposal:
    """Close the final vote: adopted or rejected, with the count as the decision's summary."""
    proposal = Proposal.objects.select_related("decision_ballot", "instance").get(pk=proposal.pk)
    if refusal := PROPOSAL_WORKFLOW.refusal(proposal, by, "adopt"):
        raise refusal.exception()
    with transaction.atomic():
        result = _close(proposal.decision_ballot, by=by)
        adopted = bool(result.data.get("adopted"))
        pour, contre = result.data.get("pour", 0), result.data.get("contre", 0)
        abstention = result.data.get("abstention", 0)
        verdict = "Adoptée" if adopted else "Rejetée"
        summary = shortened(
            f"{verdict} par {proposal.instance} : {pour} pour, {contre} contre, "
            f"{abstention} abstention{'s' if abstention > 1 else ''}",
            Proposal._meta.get_field("decision_summary").max_length,
        )
        proposal = apply_transition(
            proposal,
            PROPOSAL_WORKFLOW,
            "adopt" if adopted else "reject",
            by=by,
            summary=summary,
            data={"ballot": proposal.decision_ballot_id, "pour": pour, "contre": contre},
            also_update={"decided_at": timezone.now(), "decision_summary": summary},
        )
        record_activity(proposal, ActivityKind.DECISION, summary, by)
    return proposal


def transmit(proposal: Proposal, *, by) -> Proposal:
    """The adopted proposal goes to the national level, its decision attached."""
    with transaction.atomic():
        proposal = apply_transition(
            proposal,
            PROPOSAL_WORKFLOW,
            "transmit",
            by=by,
            data={"ballot": proposal.decision_ballot_id, "decision": proposal.decision_summary},
            also_update={"transmitted_at": timezone.now()},
        )
        record_activity(proposal, ActivityKind.TRANSMITTED, "Transmise au niveau national", by)
        _notify_national(proposal)
    return proposal


def _notify_national(proposal: Proposal) -> None:
    emails = sorted(
        set(
            Role.objects.active()
            .filter(kind=RoleKind.ADMINISTRATEUR_NATIONAL)
            .values_list("user__email", flat=True)
        )
    )
    if not emails:
        return
    # The national administration is the platform's staff: one message to all of them.
    notifications.send(
        "proposals/emails/transmitted.txt",
        {
            "instance": str(proposal.instance),
            "title": proposal.title,
            "decision": proposal.decision_summary,
            "url": notifications.absolute_url(reverse("proposals:detail", args=[proposal.pk])),
        },
        subject=f"Proposition transmise par {proposal.instance}",
        to=emails,
    )
