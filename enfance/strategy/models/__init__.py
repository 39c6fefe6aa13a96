"""The strategy's models: the strategy 2020-2022 itself (``measures``) and the contracts between
the State and the départements (``contracts``)."""

from .contracts import (
    Contract,
    ContractCredit,
    ContractObjective,
    CriterionStatus,
    ObjectiveValue,
)
from .measures import ContractCriterion, Engagement, Measure, Target

__all__ = [
    "Contract",
    "ContractCredit",
    "ContractCriterion",
    "ContractObjective",
    "CriterionStatus",
    "Engagement",
    "Measure",
    "ObjectiveValue",
    "Target",
]
