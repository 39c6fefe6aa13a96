"""Who may do what with proposals: pure predicates, composed with ``rules``.

Any registered person writes and supports; an instance's secrétaire or animateur writes in the
instance's name, takes a proposal up and runs its votes; every current member of that instance
proposes amendments and votes (the vote engine keeps the electorate); the administrateur
national moderates comments and what minors write.
"""

import rules

from enfance.accounts.naming import is_minor
from enfance.accounts.perms import is_administrator
from enfance.assemblies.models import Membership
from enfance.assemblies.perms import can_manage_instance, is_instance_member

from .enums import OPEN_FOR_SUPPORT_STATES, ProposalState


def managed_instance_ids(user) -> set[int]:
    """The instances where the person is secrétaire or animateur today (read once)."""
    if not user.is_authenticated:
        return set()
    if "_managed_instance_ids" not in user.__dict__:
        user.__dict__["_managed_instance_ids"] = set(
            Membership.objects.current()
            .managers()
            .filter(user=user)
            .values_list("instance_id", flat=True)
        )
    return user.__dict__["_managed_instance_ids"]


@rules.predicate
def is_author(user, proposal) -> bool:
    return user.is_authenticated and proposal is not None and proposal.author_id == user.pk


@rules.predicate
def can_edit_proposal(user, proposal) -> bool:
    """The author edits a draft; for a draft in an instance's name, its managers too."""
    if proposal is None or proposal.state != ProposalState.DRAFT:
        return False
    if is_author(user, proposal):
        return True
    return proposal.written_by_instance and can_manage_instance(user, proposal.instance)


@rules.predicate
def can_publish_directly(user, proposal) -> bool:
    return can_edit_proposal(user, proposal) and not is_minor(user)


@rules.predicate
def can_submit_for_moderation(user, proposal) -> bool:
    return can_edit_proposal(user, proposal) and is_minor(user)


can_moderate = is_administrator


@rules.predicate
def can_moderate_proposal(user, proposal) -> bool:
    return is_administrator(user)


@rules.predicate
def can_support(user, proposal) -> bool:
    return (
        user.is_authenticated
        and proposal is not None
        and proposal.state in OPEN_FOR_SUPPORT_STATES
        and proposal.danger_hidden_at is None
    )


can_comment = can_support


@rules.predicate
def can_take_up(user, proposal) -> bool:
    """A manager of an instance takes up a published proposal that no other instance carries."""
    if proposal is None:
        return False
    ids = managed_instance_ids(user)
    if proposal.instance_id is not None:
        return proposal.instance_id in ids
    return bool(ids)


@rules.predicate
def can_manage_deliberation(user, proposal) -> bool:
    return (
        proposal is not None
        and proposal.instance_id is not None
        and can_manage_instance(user, proposal.instance)
    )


@rules.predicate
def can_propose_amendment(user, proposal) -> bool:
    return (
        proposal is not None
        and proposal.state == ProposalState.UNDER_DELIBERATION
        and is_instance_member(user, proposal.instance)
    )


@rules.predicate
def can_manage_amendment(user, amendment) -> bool:
    return can_manage_deliberation(user, amendment.proposal)


rules.add_perm("proposals.moderate", can_moderate)
rules.add_perm("proposals.take_up", can_take_up)
