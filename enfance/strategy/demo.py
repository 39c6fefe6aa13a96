"""A demo contract between the State and the Rhône, said to be one: its assessment, five of the
seven criteria met, two objectives with their yearly values, the 2020 credits; the four facts
aimed at by 2022, one with its history. Every figure is invented for the demonstration and says
so in its source."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from enfance.accounts.demo import DEMO_DEPARTEMENT, DEMO_DOMAIN
from enfance.accounts.models import User
from enfance.core.demo import DemoReport
from enfance.territories.models import Departement

from . import contracts, facts
from .models import Contract, ContractCriterion, FactKind

SOURCE = "Démonstration : chiffre inventé"
EVIDENCE = {
    1: "Démonstration : schéma départemental enfance-famille 2019-2023, adopté en séance.",
    2: "Démonstration : schéma départemental des services aux familles signé avec la CAF.",
    3: "Démonstration : convention ARS–département sur la périnatalité.",
    5: "Démonstration : ODPE installé, une animatrice nommée.",
    7: "Démonstration : plan de contrôle annuel des lieux d'accueil voté.",
}
OBJECTIVES = [
    (
        "Réaliser les bilans de santé en école maternelle",
        "Part des enfants de 3-4 ans ayant eu un bilan",
        "%",
        Decimal("68"),
        Decimal("100"),
        {2020: Decimal("74"), 2021: Decimal("83")},
    ),
    (
        "Doubler les visites à domicile pré et postnatales",
        "Visites à domicile par an",
        "visites",
        Decimal("1800"),
        Decimal("3600"),
        {2020: Decimal("2150"), 2021: Decimal("2900")},
    ),
]

FACT_SOURCE = "Démonstration : constat inventé"
# The mobile team was absent, then set up: the page shows the latest state, the history stays.
FACTS = [
    (FactKind.ODPE, True, date(2020, 3, 2), "Animé par la cheffe de projet de l'observatoire."),
    (FactKind.PARENTAL_CENTRE, True, date(2021, 6, 14), ""),
    (FactKind.MOBILE_TEAM, False, date(2020, 9, 1), ""),
    (FactKind.MOBILE_TEAM, True, date(2022, 3, 15), "Équipe mobile ARS–département."),
    (FactKind.FOUR_PARTY_BODY, True, date(2021, 1, 18), ""),
]


@transaction.atomic
def load(report: DemoReport) -> None:
    admin = User.objects.filter(email=f"administrateur.national@{DEMO_DOMAIN}").first()
    departement = Departement.objects.filter(code=DEMO_DEPARTEMENT).first()
    if admin is None or departement is None:
        return
    if Contract.objects.filter(departement=departement, year=2020).exists():
        return
    contract = contracts.create_contract(by=admin, departement=departement, year=2020, wave=1)
    contracts.write_assessment(
        contract,
        by=admin,
        assessment="Démonstration. Un tiers des enfants de 3-4 ans n'ont pas de bilan de santé à "
        "l'école ; les visites à domicile de la PMI couvrent moins de la moitié des naissances "
        "repérées comme vulnérables.",
    )
    for criterion in ContractCriterion.objects.all():
        evidence = EVIDENCE.get(criterion.number, "")
        contracts.set_criterion(
            contract, by=admin, criterion=criterion, met=bool(evidence), evidence=evidence
        )
    for title, indicator, unit, baseline, target, values in OBJECTIVES:
        objective = contracts.add_objective(
            contract,
            by=admin,
            title=title,
            indicator=indicator,
            unit=unit,
            baseline=baseline,
            target=target,
            state_commitment="Démonstration : cofinancer les postes de PMI nécessaires.",
            departement_commitment="Démonstration : organiser l'action dans tout le département.",
        )
        for year, value in values.items():
            contracts.record_value(objective, by=admin, year=year, value=value, source=SOURCE)
    contracts.add_credit(contract, by=admin, year=2020, amount=1_850_000, source=SOURCE)
    contracts.sign(contract, by=admin, signed_on=date(2020, 7, 9))
    for kind, present, observed_on, detail in FACTS:
        facts.record_fact(
            by=admin,
            departement=departement,
            kind=kind,
            present=present,
            observed_on=observed_on,
            source=FACT_SOURCE,
            detail=detail,
        )
    report.lines.append(
        "Stratégie : un contrat État–département de démonstration (Rhône, 2020, vague 1), "
        "signé, cinq critères sur sept remplis, deux objectifs suivis ; les quatre dispositifs "
        "attendus d'ici 2022 constatés dans le Rhône."
    )
