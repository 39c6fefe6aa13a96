"""The ministry's deployment (seed 000): its five phases and its targets, read from
``data/deploiement-ministere/phases.json``, each set against what the platform holds now.

The figures are counted live: instances constituées (constituted or active: a suspended or
dissolved instance no longer meets), SCIC, budgets transferred and in force, petition
signatures, forums held. A phase is reached by the seed's own test where the platform can see
it; the government's adoption (phase 3) happens outside it and is said so."""

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from enfance.assemblies.enums import InstanceStatus
from enfance.assemblies.models import Instance
from enfance.care.enums import TransferStatus
from enfance.care.models import Cooperative, Transfer
from enfance.events.enums import EventKind, EventStatus
from enfance.events.models import Event
from enfance.petitions.models import Petition
from enfance.petitions.services import counts

DATA_FILE = Path(settings.BASE_DIR) / "data" / "deploiement-ministere" / "phases.json"
CONSTITUTED = (InstanceStatus.CONSTITUEE, InstanceStatus.ACTIVE)
# Phase 1 creates 2 or 3 experimental instances; phase 2 reaches 2 or 3 new territories (here a
# territory is a département): the low end of each is the test.
FIRST_INSTANCES = 2
TERRITORIES_AFTER_EXPANSION = 4


@cache
def reference() -> dict:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Figures:
    instances: int
    territories: int
    cooperatives: int
    transferred: int
    signatures: int | None
    forums: int


def figures(now=None) -> Figures:
    now = now or timezone.now()
    constituted = Instance.objects.filter(status__in=CONSTITUTED)
    petition = Petition.objects.current().first()
    return Figures(
        instances=constituted.count(),
        territories=constituted.values("departement").distinct().count(),
        cooperatives=Cooperative.objects.count(),
        transferred=Transfer.objects.filter(
            status__in=(TransferStatus.EFFECTIVE, TransferStatus.SUSPENDED)
        ).aggregate(total=Sum("yearly_budget"))["total"]
        or 0,
        signatures=counts(petition).total if petition is not None else None,
        forums=Event.objects.filter(
            kind=EventKind.FORUM,
            status__in=(EventStatus.PUBLISHED, EventStatus.FINISHED),
            ends_at__lt=now,
        ).count(),
    )


def position(value: int, low, high) -> str:
    """Where a figure stands against a range: « en deçà », « dans la cible », « au-delà »."""
    if value < low:
        return "en deçà"
    if high is not None and value > high:
        return "au-delà"
    return "dans la cible"


def phases(found: Figures) -> list[dict]:
    national = {t["indicator"]: t for t in targets(found) if t["scope"] == "national"}
    reached = {
        1: found.instances >= FIRST_INSTANCES,
        2: found.territories >= TERRITORIES_AFTER_EXPANSION,
        # The government's adoption happens outside the platform.
        3: None,
        4: found.cooperatives >= 1 and found.transferred > 0,
        5: all(national[key]["position"] != "en deçà" for key in ("instances", "cooperatives")),
    }
    return [{**phase, "reached": reached[phase["number"]]} for phase in reference()["phases"]]


def targets(found: Figures) -> list[dict]:
    rows = []
    for target in reference()["targets"]:
        value = getattr(found, target["indicator"]) if target["indicator"] else None
        rows.append(
            {
                **target,
                "value": value,
                "position": None
                if value is None
                else position(value, Decimal(target["min"]), target["max"]),
            }
        )
    return rows
