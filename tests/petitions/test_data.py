"""Demo data and the national-scale generator step."""

import pytest

from enfance.accounts import demo as accounts_demo
from enfance.assemblies import demo as assemblies_demo
from enfance.core.demo import DemoReport
from enfance.core.eventlog import verify_chain
from enfance.petitions import demo, national_data, services
from enfance.petitions.content import ensure_petition
from enfance.petitions.models import PaperSheet, Signature
from tests.factories import CommuneFactory, DepartementFactory

pytestmark = pytest.mark.django_db


def _communes():
    CommuneFactory()
    CommuneFactory(
        code="33063",
        name="Bordeaux",
        departement=DepartementFactory(code="33", name="Gironde"),
        postal_codes="33000",
        population=260000,
    )


def test_demo_petition_is_believable_and_idempotent(monkeypatch):
    monkeypatch.setattr(demo, "DEMO_SIGNATURES", 400)
    _communes()
    report = DemoReport()
    accounts_demo.load(report)
    assemblies_demo.load(report)
    demo.load(report)
    demo.load(report)
    petition = ensure_petition()
    assert Signature.objects.filter(petition=petition).count() == 400
    figures = services.counts(petition)
    assert 350 < figures.online < 400
    assert {r.code for r in figures.rows if r.online} == {"69", "33"}
    assert figures.paper == 143 + 61 and PaperSheet.objects.count() == 2
    assert all(e.endswith("@exemple.fr") for e in Signature.objects.values_list("email", flat=True))
    assert petition.accepts_signatures()
    assert verify_chain().intact


def _generate(target):
    national_data.generate_signatures(
        None, {"seed": 7, "signatures": target, "log": lambda line: None}
    )


def test_generated_signatures_are_reproducible_resumable_and_counted(monkeypatch):
    monkeypatch.setattr(national_data, "SIGNATURES_CHUNK", 100)
    _communes()
    _generate(150)
    _generate(250)
    _generate(250)
    petition = ensure_petition()
    rows = Signature.objects.filter(petition=petition)
    assert rows.count() == 250
    first = list(rows.order_by("email").values_list("email", "departement_id", "confirmed_at"))
    confirmed = rows.confirmed().count()
    assert 200 < confirmed < 250
    assert services.counts(petition).online == confirmed
    rows.delete()
    _generate(250)
    again = list(
        Signature.objects.order_by("email").values_list("email", "departement_id", "confirmed_at")
    )
    assert again == first
