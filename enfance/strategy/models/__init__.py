"""The strategy's models: the strategy 2020-2022 itself (``measures``), the contracts between
the State and the départements (``contracts``), the yes/no facts per département (``facts``),
the official indicators and their values (``indicators``)."""

from .contracts import (
    Contract,
    ContractCredit,
    ContractObjective,
    CriterionStatus,
    ObjectiveValue,
)
from .facts import DepartementFact, FactKind
from .indicators import IndicatorValue, OfficialIndicator
from .measures import ContractCriterion, Engagement, Measure, Target

__all__ = [
    "Contract",
    "ContractCredit",
    "ContractCriterion",
    "ContractObjective",
    "CriterionStatus",
    "DepartementFact",
    "Engagement",
    "FactKind",
    "IndicatorValue",
    "Measure",
    "ObjectiveValue",
    "OfficialIndicator",
    "Target",
]
