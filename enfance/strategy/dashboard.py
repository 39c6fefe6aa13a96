"""The national dashboard: a few figures per département, counted live from the platform's
modules, one of them drawn on the tile map of France (territories.tilemap) with the table of all
of them beside it and the same rows as CSV."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

from enfance.assemblies.models import Instance
from enfance.care.enums import StructureStatus
from enfance.care.models import Cooperative, PlaceCategory
from enfance.petitions.models import Petition
from enfance.petitions.services import counts
from enfance.territories.models import Departement

from .deployment import CONSTITUTED
from .models import Contract


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    # How the map's legend and the table name a value.
    unit: str
    source: str


INDICATORS = (
    Indicator(
        "instances",
        "Instances locales constituées ou actives",
        "instances",
        "Plateforme : instances locales",
    ),
    Indicator("scic", "SCIC", "SCIC", "Plateforme : SCIC enregistrées"),
    Indicator(
        "places",
        "Places d'accueil libres déclarées récemment",
        "places",
        "Plateforme : places déclarées par les structures validées, chiffres frais",
    ),
    Indicator(
        "signatures",
        "Signatures de la pétition",
        "signatures",
        "Plateforme : pétition en cours, en ligne et sur papier",
    ),
    Indicator(
        "criteres",
        "Critères préalables remplis (dernier contrat)",
        "critères sur 7",
        "Plateforme : contrats État–départements",
    ),
)
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}


def _counted(rows) -> dict[int, int]:
    return {pk: value or 0 for pk, value in rows}


def figures() -> list[dict]:
    """One row per département: its code, name and each indicator's value."""
    now = timezone.now()
    instances = _counted(
        Instance.objects.filter(status__in=CONSTITUTED)
        .values("departement")
        .annotate(n=Count("pk"))
        .values_list("departement", "n")
    )
    scic = _counted(
        Cooperative.objects.values("departement")
        .annotate(n=Count("pk"))
        .values_list("departement", "n")
    )
    places = _counted(
        PlaceCategory.objects.filter(structure__status=StructureStatus.VALIDATED)
        .filter(PlaceCategory.objects.fresh_q(now))
        .values("structure__departement")
        .annotate(n=Sum("free"))
        .values_list("structure__departement", "n")
    )
    petition = Petition.objects.current().first()
    signatures = {row.code: row.total for row in counts(petition).rows} if petition else {}
    criteria = {}
    for contract in Contract.objects.annotate(
        met=Count("criteria", filter=Q(criteria__met=True))
    ).order_by("departement_id", "year"):
        # The latest year wins.
        criteria[contract.departement_id] = contract.met
    return [
        {
            "code": departement.code,
            "name": departement.name,
            "instances": instances.get(departement.pk, 0),
            "scic": scic.get(departement.pk, 0),
            "places": places.get(departement.pk, 0),
            "signatures": signatures.get(departement.code, 0),
            "criteres": criteria.get(departement.pk, 0),
        }
        for departement in Departement.objects.order_by("code")
    ]
