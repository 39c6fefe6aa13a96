"""An instance takes a proposal up, votes amendments and the proposal, and transmits it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enfance.proposals import services
from enfance.proposals.enums import AmendmentState, ProposalState
from enfance.proposals.models import Proposal
from enfance.proposals.workflows import PROPOSAL_WORKFLOW
from enfance.votes import services as votes
from tests.assemblies.factories import InstanceFactory, seat_directly, secretary_of
from tests.factories import UserFactory

from .factories import ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def instance():
    return InstanceFactory()


@pytest.fixture
def secretary(instance):
    return secretary_of(instance)


@pytest.fixture
def members(instance):
    return [seat_directly(instance, "parents").user for _ in range(3)]


def _vote(ballot, voters, choice):
    for voter in voters:
        votes.cast_vote(ballot, by=voter, choice=choice)


def test_the_whole_deliberation(instance, secretary, members, mailoutbox, admin_national,
                                django_capture_on_commit_callbacks):  # fmt: skip
    proposal = ProposalFactory()
    proposal = services.take_up(proposal, by=secretary, instance=instance)
    assert proposal.state == ProposalState.UNDER_DELIBERATION and proposal.instance == instance

    amendment = services.propose_amendment(
        proposal, by=members[0], part="body", new_text="Ouvrir une maison des familles par canton."
    )
    assert amendment.number == 1 and amendment.original_text == proposal.body
    rejected = services.propose_amendment(proposal, by=members[1], part="title", new_text="Autre")
    with pytest.raises(ValidationError, match="amendements attendent"):
        services.open_decision_vote(proposal, by=secretary)

    ballot = services.open_amendment_vote(amendment, by=secretary)
    # A person outside the instance is not in the electorate.
    with pytest.raises(PermissionDenied):
        votes.cast_vote(ballot, by=UserFactory(), choice="pour")
    _vote(ballot, members[:2], "pour")
    accepted = services.conclude_amendment_vote(amendment, by=secretary)
    assert accepted.state == AmendmentState.ACCEPTED
    proposal.refresh_from_db()
    assert proposal.body == "Ouvrir une maison des familles par canton."

    ballot = services.open_amendment_vote(rejected, by=secretary)
    _vote(ballot, members, "contre")
    assert services.conclude_amendment_vote(rejected, by=secretary).state == AmendmentState.REJECTED
    proposal.refresh_from_db()
    assert proposal.title != "Autre"

    ballot = services.open_decision_vote(proposal, by=secretary)
    with pytest.raises(ValidationError, match="vote final est ouvert"):
        services.propose_amendment(proposal, by=members[0], part="body", new_text="Encore")
    _vote(ballot, members, "pour")
    proposal.refresh_from_db()
    proposal = services.conclude_decision(proposal, by=secretary)
    assert proposal.state == ProposalState.ADOPTED
    assert proposal.decision_summary.startswith(f"Adoptée par {instance} : 3 pour, 0 contre")
    assert Proposal.objects.adopted().filter(pk=proposal.pk).exists()

    with pytest.raises(ValidationError, match="Adoptée"):
        services.propose_amendment(proposal, by=members[0], part="body", new_text="Trop tard")

    with django_capture_on_commit_callbacks(execute=True):
        proposal = services.transmit(proposal, by=secretary)
    assert proposal.state == ProposalState.TRANSMITTED and proposal.transmitted_at
    assert [m.to for m in mailoutbox] == [[admin_national.email]]
    assert proposal.decision_summary in mailoutbox[0].body


def test_a_rejected_vote_rejects(instance, secretary, members):
    proposal = services.take_up(ProposalFactory(), by=secretary, instance=instance)
    ballot = services.open_decision_vote(proposal, by=secretary)
    _vote(ballot, members, "contre")
    proposal.refresh_from_db()
    assert services.conclude_decision(proposal, by=secretary).state == ProposalState.REJECTED


def test_only_members_amend_and_only_managers_run_votes(instance, secretary, members):
    proposal = services.take_up(ProposalFactory(), by=secretary, instance=instance)
    outsider = UserFactory()
    with pytest.raises(PermissionDenied):
        services.propose_amendment(proposal, by=outsider, part="body", new_text="Autre texte")
    with pytest.raises(PermissionDenied):
        services.open_decision_vote(proposal, by=members[0])
    amendment = services.propose_amendment(proposal, by=members[0], part="body", new_text="Neuf")
    with pytest.raises(PermissionDenied):
        services.open_amendment_vote(amendment, by=members[0])


def test_an_amendment_rationale_too_long_is_refused_not_cut(instance, secretary, members):
    proposal = services.take_up(ProposalFactory(), by=secretary, instance=instance)
    with pytest.raises(ValidationError) as error:
        services.propose_amendment(
            proposal, by=members[0], part="body", new_text="Neuf", rationale="x" * 10_001
        )
    assert "votre texte en compte 10\u202f001" in error.value.message_dict["rationale"][0]
    assert not proposal.amendments.exists()


def test_another_instance_cannot_take_up_a_proposal_under_deliberation(instance, secretary):
    proposal = services.take_up(ProposalFactory(), by=secretary, instance=instance)
    other = InstanceFactory()
    with pytest.raises(ValidationError):
        services.take_up(proposal, by=secretary_of(other), instance=other)
    with pytest.raises(PermissionDenied):
        services.take_up(ProposalFactory(), by=UserFactory(), instance=instance)


def test_an_instance_writes_in_its_name(instance, secretary, members):
    texts = {"title": "T", "problem": "P", "body": "B", "expected_effect": "E"}
    with pytest.raises(PermissionDenied):
        services.create_proposal(by=members[0], instance=instance, **texts)
    proposal = services.create_proposal(by=secretary, instance=instance, **texts)
    assert proposal.written_by_instance and proposal.instance == instance
    proposal = services.publish_proposal(proposal, by=secretary)
    assert services.take_up(proposal, by=secretary, instance=instance).instance == instance


S = ProposalState
# (state, transition) -> allowed for the right person; everything else is refused.
ALLOWED = {
    (S.DRAFT, "publish"),
    (S.DRAFT, "submit"),
    (S.PENDING_MODERATION, "approve"),
    (S.PENDING_MODERATION, "send_back"),
    (S.PUBLISHED, "take_up"),
    (S.UNDER_DELIBERATION, "adopt"),
    (S.UNDER_DELIBERATION, "reject"),
    (S.ADOPTED, "transmit"),
}


@pytest.mark.parametrize("state", list(S))
@pytest.mark.parametrize("name", [t.name for t in PROPOSAL_WORKFLOW.transitions])
def test_every_state_and_transition(state, name):
    transition = PROPOSAL_WORKFLOW.get(name)
    assert (state in transition.sources) == ((state, name) in ALLOWED)
