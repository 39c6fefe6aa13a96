import pytest

from enfance.accounts.demo import load as load_accounts
from enfance.assemblies.demo import load as load_instances
from enfance.core.demo import DemoReport
from enfance.proposals.demo import load
from enfance.proposals.enums import AmendmentState, ProposalState
from enfance.proposals.models import Amendment, Proposal
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_demo_proposals_are_complete_and_idempotent():
    rhone = DepartementFactory()
    for code, name in [("69266", "Villeurbanne"), ("69256", "Vaulx-en-Velin")]:
        CommuneFactory(code=code, name=name, departement=rhone)
    gironde = DepartementFactory(
        code="33", name="Gironde", region=RegionFactory(code="75", name="Nouvelle-Aquitaine")
    )
    CommuneFactory(code="33243", name="Libourne", departement=gironde)
    load_accounts(DemoReport())
    load_instances(DemoReport())
    load(DemoReport())
    count = Proposal.objects.count()
    load(DemoReport())
    assert Proposal.objects.count() == count == 11
    assert Proposal.objects.flagship().count() == 7
    states = set(Proposal.objects.values_list("state", flat=True))
    assert {ProposalState.UNDER_DELIBERATION, ProposalState.TRANSMITTED} <= states
    assert set(Amendment.objects.values_list("state", flat=True)) == {
        AmendmentState.ACCEPTED,
        AmendmentState.PROPOSED,
    }
    transmitted = Proposal.objects.get(state=ProposalState.TRANSMITTED)
    assert transmitted.decision_summary.startswith("Adoptée par")
    assert Proposal.objects.filter(support_count__gt=2, comment_count__gt=0).exists()
