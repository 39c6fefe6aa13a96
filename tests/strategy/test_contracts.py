"""Contracts between the State and the départements: kept by the national administrator only,
each refusal in French; signed only with the assessment and objectives that have an indicator;
public and comparable across départements."""

import html
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from enfance.accounts.demo import load as load_accounts
from enfance.core.demo import DemoReport
from enfance.core.eventlog import verify_chain
from enfance.strategy import contracts, demo
from enfance.strategy.models import (
    Contract,
    ContractCriterion,
    ContractObjective,
    CriterionStatus,
    ObjectiveValue,
)
from tests.factories import CommuneFactory, DepartementFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


def _page(response):
    assert response.status_code == 200
    assert b"INVALID_TEMPLATE_VARIABLE" not in response.content
    return html.unescape(response.content.decode())


@pytest.fixture
def contract(admin_national):
    return contracts.create_contract(
        by=admin_national, departement=DepartementFactory(), year=2020, wave=1
    )


def _objective(contract, admin, **fields):
    values = {
        "title": "Bilans de santé en maternelle",
        "indicator": "Part des enfants de 3-4 ans ayant eu un bilan",
        "unit": "%",
        "baseline": Decimal("70"),
        "target": Decimal("100"),
        "state_commitment": "Financer deux postes de médecin de PMI.",
        "departement_commitment": "Organiser les bilans dans toutes les écoles maternelles.",
    }
    return contracts.add_objective(contract, by=admin, **(values | fields))


def test_only_the_national_administrator_keeps_a_contract(contract, admin_national):
    criterion = ContractCriterion.objects.get(number=1)
    for outsider in (UserFactory(),):
        with pytest.raises(PermissionDenied):
            contracts.set_criterion(contract, by=outsider, criterion=criterion, met=False)
        with pytest.raises(PermissionDenied):
            contracts.create_contract(
                by=outsider, departement=contract.departement, year=2021, wave=1
            )
    with pytest.raises(ValidationError, match="déjà un contrat pour cette année"):
        contracts.create_contract(
            by=admin_national, departement=contract.departement, year=2020, wave=1
        )


def test_bad_input_is_refused_in_french(contract, admin_national):
    criterion = ContractCriterion.objects.get(number=5)
    with pytest.raises(ValidationError, match="Un critère rempli se prouve"):
        contracts.set_criterion(contract, by=admin_national, criterion=criterion, met=True)
    with pytest.raises(ValidationError, match="sans indicateur de résultat est refusé"):
        _objective(contract, admin_national, indicator="  ")
    objective = _objective(contract, admin_national)
    with pytest.raises(ValidationError, match="déjà un objectif de ce nom"):
        _objective(contract, admin_national)
    with pytest.raises(ValidationError, match="Une valeur sans source est refusée"):
        contracts.record_value(
            objective, by=admin_national, year=2021, value=Decimal("80"), source=""
        )
    with pytest.raises(ValidationError, match="une année de 2019 à 2030"):
        contracts.record_value(
            objective, by=admin_national, year=2040, value=Decimal("80"), source="DREES"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ObjectiveValue.objects.create(objective=objective, year=2021, value=1, source="")
    with pytest.raises(IntegrityError), transaction.atomic():
        CriterionStatus.objects.create(contract=contract, criterion=criterion, met=True)


def test_a_contract_is_signed_with_its_assessment_and_objectives(contract, admin_national):
    with pytest.raises(ValidationError, match="état des lieux partagé"):
        contracts.sign(contract, by=admin_national, signed_on=date(2020, 6, 1))
    contracts.write_assessment(
        contract, by=admin_national, assessment="Couverture des bilans : 70 %."
    )
    with pytest.raises(ValidationError, match="ajoutez-en au moins un"):
        contracts.sign(contract, by=admin_national, signed_on=date(2020, 6, 1))
    _objective(contract, admin_national)
    with pytest.raises(PermissionDenied):
        contracts.sign(contract, by=UserFactory(), signed_on=date(2020, 6, 1))
    signed = contracts.sign(contract, by=admin_national, signed_on=date(2020, 6, 1))
    assert signed.status == "signe" and signed.signed_on == date(2020, 6, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Contract.objects.filter(pk=contract.pk).update(assessment="")


def test_the_contracts_are_public_and_comparable(
    client, contract, admin_national, django_assert_max_num_queries
):
    objective = _objective(contract, admin_national)
    contracts.record_value(
        objective, by=admin_national, year=2021, value=Decimal("100"), source="PMI du Rhône"
    )
    _objective(contract, admin_national, title="Visites à domicile", target=Decimal("200"))
    contracts.set_criterion(
        contract,
        by=admin_national,
        criterion=ContractCriterion.objects.get(number=1),
        met=True,
        evidence="Schéma départemental enfance-famille adopté le 3 mars 2020.",
    )
    other = contracts.create_contract(
        by=admin_national,
        departement=DepartementFactory(code="01", name="Ain", region=RegionFactory()),
        year=2020,
        wave=2,
    )
    _objective(other, admin_national)
    with django_assert_max_num_queries(12):
        page = _page(client.get(reverse("strategy:contracts")))
    assert "1 / 7" in page and "1 / 2 (50 %)" in page and "0 / 1 (0 %)" in page
    assert "Ouvrir un contrat" not in page
    with django_assert_max_num_queries(14):
        page = _page(client.get(contract.get_absolute_url()))
    assert "Schéma départemental enfance-famille adopté le 3 mars 2020." in page
    assert "PMI du Rhône" in page and "Tenir le contrat" not in page
    url = reverse("strategy:contract_step", args=[contract.departement.code, 2020, "critere"])
    client.force_login(UserFactory())
    assert client.post(url, {"criterion": 2, "met": "on", "evidence": "x"}).status_code == 403
    unknown = reverse("strategy:contract_step", args=[contract.departement.code, 2020, "autre"])
    assert client.post(unknown).status_code == 404
    client.force_login(admin_national)
    page = _page(client.get(contract.get_absolute_url()))
    assert "Tenir le contrat" in page
    criterion = ContractCriterion.objects.get(number=2)
    client.post(url, {"criterion": criterion.pk, "met": "on", "evidence": "Schéma 2019-2023."})
    assert CriterionStatus.objects.get(contract=contract, criterion=criterion).met
    client.post(
        reverse("strategy:contract_step", args=[contract.departement.code, 2020, "valeur"]),
        {"objective": objective.pk, "year": 2022, "value": "100", "source": ""},
    )
    assert not ObjectiveValue.objects.filter(year=2022).exists()
    assert ContractObjective.objects.count() == 3


def test_the_demo_contract_is_signed_once():
    CommuneFactory()
    load_accounts(DemoReport())
    demo.load(DemoReport())
    demo.load(DemoReport())
    contract = Contract.objects.get()
    assert contract.status == "signe" and contract.objectives.count() == 2
    assert contract.criteria.filter(met=True).count() == 5
    assert verify_chain().intact
