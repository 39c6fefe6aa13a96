"""The national dashboard: a few figures per département, counted live from the platform's
modules, one of them drawn on the tile map of France (territories.tilemap) with the table of all
of them beside it and the same rows as CSV. The same figures for one département
(``for_departement``, without counting the 100 others), and its series over the years."""

from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils import timezone

from enfance.assemblies.models import Instance
from enfance.care.enums import StructureStatus
from enfance.care.models import Cooperative, PlaceCategory
from enfance.petitions.models import DepartementCount, PaperSheet, Petition
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


def _constituted():
    return Instance.objects.filter(status__in=CONSTITUTED)


def _free_places():
    return PlaceCategory.objects.filter(structure__status=StructureStatus.VALIDATED).filter(
        PlaceCategory.objects.fresh_q(timezone.now())
    )


def _contracts():
    # Ordered by year: the latest contract of a département is the last one read.
    return Contract.objects.annotate(met=Count("criteria", filter=Q(criteria__met=True))).order_by(
        "departement_id", "year"
    )


def figures() -> list[dict]:
    """One row per département: its code, name and each indicator's value."""
    instances = _counted(
        _constituted().values("departement").annotate(n=Count("pk")).values_list("departement", "n")
    )
    scic = _counted(
        Cooperative.objects.values("departement")
        .annotate(n=Count("pk"))
        .values_list("departement", "n")
    )
    places = _counted(
        _free_places()
        .values("structure__departement")
        .annotate(n=Sum("free"))
        .values_list("structure__departement", "n")
    )
    petition = Petition.objects.current().first()
    signatures = {row.code: row.total for row in counts(petition).rows} if petition else {}
    criteria = {}
    for contract in _contracts():
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


def _signatures(departement: Departement) -> int:
    petition = Petition.objects.current().first()
    if petition is None:
        return 0
    online = (
        DepartementCount.objects.filter(petition=petition, departement=departement)
        .values_list("confirmed", flat=True)
        .first()
    )
    paper = (
        PaperSheet.objects.counted()
        .filter(petition=petition, departement=departement)
        .aggregate(n=Sum("signatures"))["n"]
    )
    return (online or 0) + (paper or 0)


def for_departement(departement: Departement) -> dict:
    """The dashboard's row of one département, and its contracts (latest year first)."""
    contracts = list(_contracts().filter(departement=departement).select_related("departement"))
    return {
        "code": departement.code,
        "name": departement.name,
        "instances": _constituted().filter(departement=departement).count(),
        "scic": Cooperative.objects.filter(departement=departement).count(),
        "places": _free_places()
        .filter(structure__departement=departement)
        .aggregate(n=Sum("free"))["n"]
        or 0,
        "signatures": _signatures(departement),
        "criteres": contracts[-1].met if contracts else 0,
        "contracts": contracts[::-1],
    }


def _cumulative(years: list[int], until: int) -> list[tuple[int, int]]:
    """(year, how many up to that year) from the first year to ``until``."""
    if not years:
        return []
    series, total = [], 0
    for year in range(min(years), until + 1):
        total += years.count(year)
        series.append((year, total))
    return series


def series_for(departement: Departement) -> list[dict]:
    """The platform's figures of one département over the years, as the dates it holds allow:
    the instances constituted or active today by the year they were created, the SCIC by the
    year they were registered; each year counts those of the years before."""
    this_year = timezone.localdate().year
    created = [
        timezone.localtime(moment).year
        for moment in _constituted()
        .filter(departement=departement)
        .values_list("created_at", flat=True)
    ]
    registered = [
        day.year
        for day in Cooperative.objects.filter(departement=departement).values_list(
            "registered_on", flat=True
        )
    ]
    return [
        {
            "key": "instances",
            "label": "Instances locales constituées ou actives aujourd'hui, selon l'année de "
            "leur création (cumul)",
            "unit": "instances",
            "source": "Plateforme : instances locales, date de création",
            "points": _cumulative(created, this_year),
        },
        {
            "key": "scic",
            "label": "SCIC selon l'année de leur immatriculation (cumul)",
            "unit": "SCIC",
            "source": "Plateforme : SCIC enregistrées, date d'immatriculation",
            "points": _cumulative(registered, this_year),
        },
    ]
