"""The contracts between the State and the départements: kept by the national administrator (the
State's side of the contract), public. Each write is a named, logged action; signing is a
transition that the seed's conditions guard: the shared assessment, objectives with the
commitments of both sides, and a result indicator for every one of them."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch

from enfance.accounts.perms import is_national_administrator
from enfance.core.access import permit
from enfance.core.eventlog import record_event
from enfance.core.text import bounded_text
from enfance.core.workflow import Transition, Workflow, abilities_for, apply_transition

from .models import (
    Contract,
    ContractCredit,
    ContractCriterion,
    ContractObjective,
    CriterionStatus,
    ObjectiveValue,
)
from .models.contracts import (
    FIRST_YEAR,
    LAST_YEAR,
    SIGNED_DAY,
    SOURCE_MAX,
    TEXT_MAX,
    ContractStatus,
)
from .models.measures import TITLE_MAX

NOT_ADMINISTRATOR = (
    "Seul l'administrateur national tient les contrats entre l'État et les départements."
)


def can_manage(user, contract=None) -> bool:
    return bool(user.is_authenticated and is_national_administrator(user))


def signing_refusal(contract: Contract, at=None) -> str | None:
    if not contract.assessment.strip():
        return "Écrivez d'abord l'état des lieux partagé du contrat."
    if not contract.objectives.exists():
        return "Un contrat se signe avec ses objectifs : ajoutez-en au moins un."
    return None


CONTRACT_WORKFLOW = Workflow(
    state_field="status",
    transitions=[
        Transition(
            "sign",
            {ContractStatus.PREPARATION},
            ContractStatus.SIGNED,
            "signer le contrat",
            can_manage,
            public=True,
            guard=signing_refusal,
        ),
    ],
)


@abilities_for(Contract)
def contract_abilities(user, contract) -> dict[str, bool]:
    manages = can_manage(user)
    return {**CONTRACT_WORKFLOW.abilities(contract, user), "manage": manages}


def _year(year: int | None, field: str = "year") -> int:
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError({field: f"Choisissez une année de {FIRST_YEAR} à {LAST_YEAR}."})
    return year


def source_text(source: str) -> str:
    return bounded_text(
        source,
        limit=SOURCE_MAX,
        field="source",
        label="La source",
        required="Une valeur sans source est refusée : nommez la publication ou le service qui "
        "la donne.",
    )


def create_contract(*, by, departement, year: int, wave: int, assessment: str = "") -> Contract:
    permit(can_manage(by), NOT_ADMINISTRATOR)
    _year(year)
    if not 1 <= (wave or 0) <= 5:
        raise ValidationError({"wave": "La vague de contractualisation va de 1 à 5."})
    assessment = bounded_text(assessment, limit=TEXT_MAX, field="assessment")
    try:
        with transaction.atomic():
            contract = Contract.objects.create(
                departement=departement, year=year, wave=wave, assessment=assessment, created_by=by
            )
            record_event(
                by=by,
                action="strategy.contract.create",
                summary=f"Contrat ouvert : {contract}",
                target=contract,
                public=True,
            )
    except IntegrityError as twice:
        raise ValidationError(
            {"year": "Ce département a déjà un contrat pour cette année."}
        ) from twice
    return contract


def write_assessment(contract: Contract, *, by, assessment: str) -> Contract:
    permit(can_manage(by), NOT_ADMINISTRATOR)
    contract.assessment = bounded_text(
        assessment,
        limit=TEXT_MAX,
        field="assessment",
        label="L'état des lieux",
        required="Écrivez l'état des lieux partagé.",
    )
    with transaction.atomic():
        contract.save(update_fields=["assessment"])
        record_event(
            by=by,
            action="strategy.contract.assessment",
            summary=f"État des lieux écrit : {contract}",
            target=contract,
        )
    return contract


def set_criterion(
    contract: Contract, *, by, criterion: ContractCriterion, met: bool, evidence: str = ""
) -> CriterionStatus:
    permit(can_manage(by), NOT_ADMINISTRATOR)
    evidence = bounded_text(evidence, limit=TEXT_MAX, field="evidence")
    if met and not evidence:
        raise ValidationError(
            {"evidence": "Un critère rempli se prouve : citez le document ou la décision."}
        )
    with transaction.atomic():
        status, _ = CriterionStatus.objects.update_or_create(
            contract=contract,
            criterion=criterion,
            defaults={"met": met, "evidence": evidence, "recorded_by": by},
        )
        record_event(
            by=by,
            action="strategy.contract.criterion",
            summary=f"{criterion} : {'rempli' if met else 'non rempli'} ({contract})",
            target=contract,
            public=True,
        )
    return status


def add_objective(
    contract: Contract,
    *,
    by,
    title: str,
    indicator: str,
    unit: str,
    baseline: Decimal,
    target: Decimal,
    state_commitment: str,
    departement_commitment: str,
    required: bool = True,
) -> ContractObjective:
    permit(can_manage(by), NOT_ADMINISTRATOR)
    texts = {
        "title": bounded_text(title, limit=TITLE_MAX, field="title", required="Nommez l'objectif."),
        "indicator": bounded_text(
            indicator,
            limit=TITLE_MAX,
            field="indicator",
            required="Un objectif sans indicateur de résultat est refusé.",
        ),
        "unit": bounded_text(unit, limit=40, field="unit", required="Donnez l'unité."),
        "state_commitment": bounded_text(
            state_commitment,
            limit=TEXT_MAX,
            field="state_commitment",
            required="Écrivez l'engagement de l'État.",
        ),
        "departement_commitment": bounded_text(
            departement_commitment,
            limit=TEXT_MAX,
            field="departement_commitment",
            required="Écrivez l'engagement du département.",
        ),
    }
    try:
        with transaction.atomic():
            objective = ContractObjective.objects.create(
                contract=contract, required=required, baseline=baseline, target=target, **texts
            )
            record_event(
                by=by,
                action="strategy.contract.objective",
                summary=f"Objectif ajouté : {objective} ({contract})",
                target=contract,
                public=True,
            )
    except IntegrityError as twice:
        raise ValidationError({"title": "Ce contrat a déjà un objectif de ce nom."}) from twice
    return objective


def record_value(
    objective: ContractObjective, *, by, year: int, value: Decimal, source: str
) -> ObjectiveValue:
    permit(can_manage(by), NOT_ADMINISTRATOR)
    _year(year)
    source = source_text(source)
    with transaction.atomic():
        recorded, _ = ObjectiveValue.objects.update_or_create(
            objective=objective, year=year, defaults={"value": value, "source": source}
        )
        record_event(
            by=by,
            action="strategy.contract.value",
            summary=f"{objective.indicator} {year} : {value} ({objective.contract})",
            target=objective.contract,
            public=True,
        )
    return recorded


def add_credit(contract: Contract, *, by, year: int, amount: int, source: str) -> ContractCredit:
    permit(can_manage(by), NOT_ADMINISTRATOR)
    _year(year)
    source = source_text(source)
    if amount is None or amount < 0:
        raise ValidationError({"amount": "Indiquez les crédits en euros."})
    with transaction.atomic():
        credit, _ = ContractCredit.objects.update_or_create(
            contract=contract, year=year, defaults={"amount": amount, "source": source}
        )
        record_event(
            by=by,
            action="strategy.contract.credit",
            summary=f"Crédits {year} : {amount} € ({contract})",
            target=contract,
            public=True,
        )
    return credit


def sign(contract: Contract, *, by, signed_on: date) -> Contract:
    SIGNED_DAY.check(signed_on, field="signed_on")
    return apply_transition(
        contract, CONTRACT_WORKFLOW, "sign", by=by, also_update={"signed_on": signed_on}
    )


def with_progress():
    """The contracts with what ``progress`` reads, in four queries whatever their number."""
    return Contract.objects.select_related("departement").prefetch_related(
        "criteria",
        Prefetch(
            "objectives",
            queryset=ContractObjective.objects.prefetch_related(
                Prefetch("values", queryset=ObjectiveValue.objects.order_by("year"))
            ),
        ),
    )


def progress(contract: Contract) -> dict:
    """Criteria met, and objectives whose latest value reaches their target (read from what the
    caller prefetched: criteria, objectives and their values)."""
    objectives = list(contract.objectives.all())
    reached = 0
    for objective in objectives:
        values = sorted(objective.values.all(), key=lambda v: v.year)
        if values and objective.reached(values[-1].value):
            reached += 1
    return {
        "criteria_met": sum(1 for c in contract.criteria.all() if c.met),
        "objectives": len(objectives),
        "reached": reached,
        "share": round(reached * 100 / len(objectives)) if objectives else None,
    }
