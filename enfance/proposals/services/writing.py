"""Writing a proposal, publishing it, and its moderation when a minor wrote it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from enfance.accounts.naming import is_minor
from enfance.assemblies.perms import can_manage_instance
from enfance.core import fulltext
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text, bounded_texts
from enfance.core.workflow import apply_transition

from ..enums import AmendedPart, ProposalState
from ..models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Proposal
from ..perms import can_edit_proposal
from ..workflows import PROPOSAL_WORKFLOW
from .following import follow_automatically

MODERATION_REASON_MAX_LENGTH = 300


def search_texts(proposal: Proposal) -> dict[str, str]:
    """What the search reads, by weight: the title first, then the problem, then the rest."""
    return {
        "A": proposal.title,
        "B": proposal.problem,
        "C": f"{proposal.body}\n{proposal.expected_effect}",
    }


def reindex(proposal: Proposal) -> None:
    fulltext.index(proposal, search_texts(proposal))


def limits_of(part: str) -> int:
    """The length a part of a proposal may have (an amendment rewrites one part)."""
    return TITLE_MAX_LENGTH if part == AmendedPart.TITLE else TEXT_MAX_LENGTH


def _check_texts(title: str, problem: str, body: str, expected_effect: str) -> dict:
    labels = dict(AmendedPart.choices)
    return bounded_texts(
        {"title": title, "problem": problem, "body": body, "expected_effect": expected_effect},
        {
            name: (limits_of(name), labels[name], f"Remplissez « {labels[name]} ».")
            for name in ("title", "problem", "body", "expected_effect")
        },
    )


def create_proposal(
    *,
    by,
    title: str,
    problem: str,
    body: str,
    expected_effect: str,
    departement=None,
    region=None,
    themes=(),
    instance=None,
) -> Proposal:
    """A draft, by a person or, with ``instance``, in the name of an instance it manages."""
    if not by.is_authenticated:
        raise PermissionDenied("Connectez-vous pour écrire une proposition.")
    if instance is not None and not can_manage_instance(by, instance):
        raise PermissionDenied(
            "Seuls le secrétariat et l'animation de l'instance écrivent en son nom."
        )
    fields = _check_texts(title, problem, body, expected_effect)
    if departement is not None:
        region = departement.region
    with transaction.atomic():
        proposal = Proposal.objects.create(
            **fields,
            author=by,
            instance=instance,
            written_by_instance=instance is not None,
            departement=departement,
            region=region,
        )
        proposal.themes.set(themes)
        record_event(
            by=by,
            action="proposals.create",
            summary=f"Brouillon de proposition n° {proposal.pk}",
            target=proposal,
        )
    return proposal


def update_proposal(
    proposal: Proposal,
    *,
    by,
    title: str,
    problem: str,
    body: str,
    expected_effect: str,
    departement=None,
    region=None,
    themes=(),
) -> Proposal:
    if not can_edit_proposal(by, proposal):
        raise PermissionDenied("Seul un brouillon se modifie, par son auteur ou son autrice.")
    fields = _check_texts(title, problem, body, expected_effect)
    if departement is not None:
        region = departement.region
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if locked.state != ProposalState.DRAFT:
            raise ValidationError("Cette proposition n'est plus un brouillon.")
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.departement, locked.region = departement, region
        locked.updated_at = timezone.now()
        locked.save(update_fields=[*fields, "departement", "region", "updated_at"])
        locked.themes.set(themes)
    return locked


def publish_proposal(proposal: Proposal, *, by) -> Proposal:
    """Published at once; a minor's proposal goes to moderation first (PRODUCT.md)."""
    with transaction.atomic():
        if is_minor(by):
            proposal = apply_transition(proposal, PROPOSAL_WORKFLOW, "submit", by=by)
        else:
            proposal = apply_transition(
                proposal,
                PROPOSAL_WORKFLOW,
                "publish",
                by=by,
                also_update={"published_at": timezone.now()},
            )
            reindex(proposal)
        if proposal.author_id:
            follow_automatically(proposal, proposal.author)
    return proposal


def moderate_proposal(proposal: Proposal, *, by, approve: bool, reason: str = "") -> Proposal:
    """A minor's proposal: published, or sent back to the draft with a reason."""
    with transaction.atomic():
        if approve:
            proposal = apply_transition(
                proposal,
                PROPOSAL_WORKFLOW,
                "approve",
                by=by,
                also_update={"published_at": timezone.now()},
            )
            reindex(proposal)
        else:
            reason = bounded_text(
                reason, limit=MODERATION_REASON_MAX_LENGTH, field="reason", label="Le motif"
            )
            proposal = apply_transition(
                proposal, PROPOSAL_WORKFLOW, "send_back", by=by, data={"reason": reason}
            )
    return proposal
