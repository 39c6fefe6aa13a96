"""Transfers of competences: proposed by the instance that receives them, voted by its members
(a majority ballot of the votes engine, the transfer as its context), agreed with the
département (the signed convention, a PDF), effective from their first day, suspended or ended
with a reason. Each step is a transition of ``TRANSFER_WORKFLOW``; a step cannot be skipped nor
taken back."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from enfance.assemblies.perms import can_manage_instance
from enfance.core import uploads
from enfance.core.access import permit
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text, format_count
from enfance.core.workflow import Transition, Workflow, abilities_for, apply_transition
from enfance.votes import services as votes
from enfance.votes.enums import BallotState, Method
from enfance.votes.models import Ballot

from .enums import Competence, TransferPhase, TransferStatus
from .models import Transfer
from .models.transfers import DETAIL_MAX, REASON_MAX

NOT_RECEIVER = "Seuls le secrétariat de l'instance qui reçoit la compétence et l'administrateur "
NOT_RECEIVER += "national conduisent ce transfert."


def _manages(user, transfer) -> bool:
    return bool(can_manage_instance(user, transfer.instance))


def adopted_ballot(transfer) -> Ballot | None:
    """The instance's vote that adopted the transfer, if any."""
    closed = Ballot.objects.for_context(transfer).filter(state=BallotState.CLOSED)
    for ballot in closed.select_related("result"):
        result = getattr(ballot, "result", None)
        if result is not None and result.data.get("adopted"):
            return ballot
    return None


def _adopted(transfer) -> str | None:
    if adopted_ballot(transfer) is None:
        return "Les membres de l'instance n'ont pas encore adopté ce transfert par un vote."
    return None


def _signed(transfer) -> str | None:
    if not transfer.convention:
        return "Joignez d'abord la convention signée avec le département (PDF)."
    return None


def _begun(transfer, at) -> str | None:
    if transfer.starts_on > timezone.localdate(at):
        return f"Le transfert prend effet le {transfer.starts_on:%d/%m/%Y}, pas avant."
    return None


TRANSFER_WORKFLOW = Workflow(
    state_field="status",
    transitions=[
        Transition(
            "vote",
            {TransferStatus.PROPOSED},
            TransferStatus.VOTED,
            "enregistrer le vote de l'instance",
            _manages,
            public=True,
            guard=_adopted,
        ),
        Transition(
            "agree",
            {TransferStatus.VOTED},
            TransferStatus.AGREED,
            "enregistrer la convention avec le département",
            _manages,
            public=True,
            guard=_signed,
        ),
        Transition(
            "start",
            {TransferStatus.AGREED},
            TransferStatus.EFFECTIVE,
            "rendre le transfert effectif",
            _manages,
            public=True,
            guard=_begun,
        ),
        Transition(
            "suspend",
            {TransferStatus.EFFECTIVE},
            TransferStatus.SUSPENDED,
            "suspendre le transfert",
            _manages,
            public=True,
        ),
        Transition(
            "resume",
            {TransferStatus.SUSPENDED},
            TransferStatus.EFFECTIVE,
            "reprendre le transfert",
            _manages,
            public=True,
        ),
        Transition(
            "end",
            {TransferStatus.EFFECTIVE, TransferStatus.SUSPENDED},
            TransferStatus.ENDED,
            "mettre fin au transfert",
            _manages,
            public=True,
        ),
    ],
)


@abilities_for(Transfer)
def transfer_abilities(user, transfer) -> dict[str, bool]:
    manages = _manages(user, transfer)
    return {
        **TRANSFER_WORKFLOW.abilities(transfer, user),
        "put_to_vote": manages
        and transfer.status == TransferStatus.PROPOSED
        and not Ballot.objects.for_context(transfer).exclude(state=BallotState.CANCELLED).exists(),
        "attach_convention": manages and transfer.status == TransferStatus.VOTED,
    }


def propose_transfer(
    *,
    by,
    instance,
    competence: str,
    phase: int,
    starts_on: date,
    yearly_budget: int,
    competence_detail: str = "",
    cooperative=None,
    ends_on: date | None = None,
) -> Transfer:
    permit(can_manage_instance(by, instance), NOT_RECEIVER)
    errors = {}
    if competence not in Competence.values:
        errors["competence"] = "Choisissez la compétence transférée."
    detail = bounded_text(competence_detail, limit=DETAIL_MAX, field="competence_detail")
    if competence == Competence.OTHER and not detail:
        errors["competence_detail"] = "Précisez la compétence transférée."
    if phase not in TransferPhase.values:
        errors["phase"] = "Choisissez la phase du transfert."
    if yearly_budget is None or yearly_budget < 0:
        errors["yearly_budget"] = "Indiquez le budget transféré chaque année, en euros."
    if ends_on is not None and ends_on <= starts_on:
        errors["ends_on"] = "La fin du transfert suit son début."
    if cooperative is not None and cooperative.instance_id != instance.pk:
        errors["cooperative"] = "Cette SCIC n'est pas supervisée par cette instance."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        transfer = Transfer.objects.create(
            competence=competence,
            competence_detail=detail,
            departement_id=instance.departement_id,
            instance=instance,
            cooperative=cooperative,
            phase=phase,
            starts_on=starts_on,
            ends_on=ends_on,
            yearly_budget=yearly_budget,
            proposed_by=by,
        )
        record_event(
            by=by,
            action="care.transfer.propose",
            summary=f"Transfert proposé : {transfer}",
            target=transfer,
            data={"yearly_budget": yearly_budget, "phase": phase},
            public=True,
        )
    return transfer


def put_to_vote(transfer: Transfer, *, by, opens_at, closes_at) -> Ballot:
    """The instance's members vote the transfer (majority of the votes cast)."""
    permit(transfer.abilities(by)["put_to_vote"], "Ce transfert ne peut pas être mis au vote.")
    return votes.create_ballot(
        transfer,
        by=by,
        title=f"Transfert : {transfer.competence_label} "
        f"({format_count(transfer.yearly_budget)} € par an)",
        method=Method.MAJORITY,
        secret=True,
        opens_at=opens_at,
        closes_at=closes_at,
    )


def record_vote(transfer: Transfer, *, by) -> Transfer:
    ballot = adopted_ballot(transfer)
    return apply_transition(
        transfer,
        TRANSFER_WORKFLOW,
        "vote",
        by=by,
        data={"ballot": ballot.pk if ballot else None},
    )


def attach_convention(transfer: Transfer, *, by, upload) -> Transfer:
    permit(transfer.abilities(by)["attach_convention"], NOT_RECEIVER)
    _name, _type, data = uploads.checked(
        upload,
        kinds=[uploads.PDF],
        max_bytes=settings.CARE_STATUTES_MAX_BYTES,
        field="convention",
    )
    with transaction.atomic():
        transfer.convention.save(f"convention-transfert-{transfer.pk}.pdf", ContentFile(data))
        return apply_transition(transfer, TRANSFER_WORKFLOW, "agree", by=by)


def start(transfer: Transfer, *, by) -> Transfer:
    return apply_transition(transfer, TRANSFER_WORKFLOW, "start", by=by)


def _with_reason(transfer: Transfer, name: str, *, by, reason: str) -> Transfer:
    reason = bounded_text(
        reason, limit=REASON_MAX, field="reason", label="Le motif", required="Donnez le motif."
    )
    return apply_transition(
        transfer, TRANSFER_WORKFLOW, name, by=by, also_update={"reason": reason}
    )


def suspend(transfer: Transfer, *, by, reason: str) -> Transfer:
    return _with_reason(transfer, "suspend", by=by, reason=reason)


def resume(transfer: Transfer, *, by) -> Transfer:
    return apply_transition(transfer, TRANSFER_WORKFLOW, "resume", by=by)


def end(transfer: Transfer, *, by, reason: str) -> Transfer:
    return _with_reason(transfer, "end", by=by, reason=reason)
