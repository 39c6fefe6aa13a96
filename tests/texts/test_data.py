"""Demo data and the national-scale generator step."""

import pytest
from django.urls import reverse

from enfance.accounts import demo as accounts_demo
from enfance.core.demo import DemoReport
from enfance.core.eventlog import verify_chain
from enfance.texts import demo, national_data
from enfance.texts.enums import ArticleProposalState, TextState
from enfance.texts.models import ArticleComment, ArticleProposal, LawProposal, Text
from tests.factories import CommuneFactory

from .factories import adopted_proposal

pytestmark = pytest.mark.django_db


def test_the_demo_charter_and_law_proposal_are_believable_and_idempotent(client):
    CommuneFactory()
    report = DemoReport()
    accounts_demo.load(report)
    for rank, title in enumerate(
        ["Séjours d'observation prolongés", "Organe de contrôle indépendant"], start=1
    ):
        proposal = adopted_proposal(title)
        proposal.is_flagship, proposal.flagship_rank = True, rank
        proposal.save()
    demo.load(report)
    demo.load(report)
    charter = Text.objects.get(slug="charte")
    assert charter.state == TextState.CONSULTATION and charter.current_version.number == 1
    assert charter.current_version.articles.count() == 8
    assert ArticleComment.objects.count() == 3
    assert ArticleProposal.objects.filter(state=ArticleProposalState.PENDING).count() == 2
    assert ArticleProposal.objects.get(state=ArticleProposalState.NOT_RETAINED).decision_reason
    law = LawProposal.objects.get()
    assert law.versions.count() == 2 and law.source_proposals.count() == 2
    assert law.state == TextState.CONSULTATION
    html = client.get(law.url("compare")).content.decode()
    assert "1 article modifié, 1 ajouté, 0 supprimé, 1 inchangé" in html
    assert "Séjours d&#x27;observation de 48 à 72 heures" not in html
    assert client.get(reverse("texts:text_detail", args=["charte"])).status_code == 200
    assert verify_chain().intact
    assert len(report.lines) == 2


def test_without_adopted_proposals_the_demo_says_so():
    CommuneFactory()
    report = DemoReport()
    accounts_demo.load(report)
    demo.load(report)
    assert Text.objects.filter(slug="charte").exists() and not LawProposal.objects.exists()
    assert "aucune proposition n'a été adoptée" in report.lines[-1]


def test_generated_law_proposals_are_reproducible_and_resumable():

    options = {"log": lambda line: None, "seed": 7}
    national_data.generate_law_proposals(None, options)
    laws = national_data.generated_law_proposals()
    assert laws.count() == national_data.LAW_PROPOSALS
    first = LawProposal.objects.get(slug=national_data.bench_law_proposal_slug())
    assert first.current_version.number == national_data.VERSIONS
    assert first.current_version.articles.count() == national_data.ARTICLES + 1 - 1
    bodies = list(first.current_version.articles.values_list("key", "body"))
    first.delete()
    national_data.generate_law_proposals(None, options)
    assert laws.count() == national_data.LAW_PROPOSALS
    again = LawProposal.objects.get(slug=national_data.bench_law_proposal_slug())
    assert list(again.current_version.articles.values_list("key", "body")) == bodies
