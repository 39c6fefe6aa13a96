"""The official indicators: loaded from ``data/indicateurs/`` (its README says where each figure
comes from), and read for a page: a département's own values, else the national ones, marked
« France entière ».

``load`` is idempotent, like ``reference.load``: run again, it updates the rows in place and
adds nothing twice. A data migration runs it with the models as the migration sees them. A row
without a source or a year, or naming an unknown indicator or département, is refused with the
file and the line, in French: no figure goes in without its source."""

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.apps import apps as installed_apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.numberformat import format as number_format

from enfance.core.cache import bump_on_commit

from .models import IndicatorValue, OfficialIndicator
from .models.indicators import FIRST_YEAR

DATA_DIR = Path(settings.BASE_DIR) / "data" / "indicateurs"
INDICATORS_FILE = "indicateurs.csv"
DELIMITER = ";"
FRANCE = "France entière"
# The cache version of the official figures (core.cache): part of the key of every cached page
# that shows them; a load makes them stale.
VERSION = "strategy:indicators"
# Between thousands, as French writes numbers: « 381 000 ».
THOUSANDS = "\u00a0"


class IndicatorFileError(ValueError):
    """A row of a data file that cannot go in, with where it is."""

    def __init__(self, path: Path, line: int, message: str):
        super().__init__(f"{path.name}, ligne {line} : {message}")


def _rows(path: Path):
    """(line number, row) for each row after the header; the header is line 1."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle, delimiter=DELIMITER), start=2):
            if None in row:
                raise IndicatorFileError(
                    path,
                    line,
                    "trop de colonnes (un point-virgule dans un texte se met entre guillemets).",
                )
            yield line, {key: (value or "").strip() for key, value in row.items()}


def _value(path: Path, line: int, text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", ".").replace(" ", "").replace(THOUSANDS, ""))
    except InvalidOperation:
        raise IndicatorFileError(path, line, f"la valeur « {text} » n'est pas un nombre.") from None


def _year(path: Path, line: int, text: str) -> int:
    if not text:
        raise IndicatorFileError(path, line, "l'année manque.")
    latest = timezone.localdate().year
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= latest:
        raise IndicatorFileError(
            path, line, f"l'année « {text} » doit être comprise entre {FIRST_YEAR} et {latest}."
        )
    return int(text)


def _load_indicators(apps, directory: Path) -> dict:
    indicator_model = apps.get_model("strategy", "OfficialIndicator")
    measure_model = apps.get_model("strategy", "Measure")
    measures = {m.number: m for m in measure_model.objects.all()}
    path = directory / INDICATORS_FILE
    found = {}
    for position, (line, row) in enumerate(_rows(path), start=1):
        if not row["cle"] or not row["intitule"] or not row["definition"]:
            raise IndicatorFileError(path, line, "la clé, l'intitulé ou la définition manque.")
        unknown = [n for n in row["mesures"].split() if n not in measures]
        if unknown:
            raise IndicatorFileError(path, line, f"mesure inconnue : {', '.join(unknown)}.")
        indicator, _ = indicator_model.objects.update_or_create(
            key=row["cle"],
            defaults={
                "label": row["intitule"],
                "definition": row["definition"],
                "unit": row["unite"],
                "position": position,
            },
        )
        indicator.measures.set([measures[n] for n in row["mesures"].split()])
        found[indicator.key] = indicator
    return found


@transaction.atomic
def load(apps=installed_apps, directory: Path = DATA_DIR) -> dict[str, int]:
    indicators = _load_indicators(apps, directory)
    value_model = apps.get_model("strategy", "IndicatorValue")
    departements = dict(
        apps.get_model("territories", "Departement").objects.values_list("code", "pk")
    )
    values = 0
    for path in sorted(directory.glob("*.csv")):
        if path.name == INDICATORS_FILE:
            continue
        for line, row in _rows(path):
            indicator = indicators.get(row["indicateur"])
            if indicator is None:
                raise IndicatorFileError(
                    path, line, f"l'indicateur « {row['indicateur']} » est inconnu."
                )
            code = row["departement"]
            if code and code not in departements:
                raise IndicatorFileError(path, line, f"le département « {code} » est inconnu.")
            if not row["source"]:
                raise IndicatorFileError(
                    path, line, "la source manque : aucun chiffre n'entre sans sa source."
                )
            value_model.objects.update_or_create(
                indicator=indicator,
                departement_id=departements.get(code),
                year=_year(path, line, row["annee"]),
                defaults={
                    "value": _value(path, line, row["valeur"]),
                    "source": row["source"],
                    "source_url": row["source_url"],
                },
            )
            values += 1
    bump_on_commit(VERSION)
    return {"indicators": len(indicators), "values": values}


def shown(value: Decimal) -> str:
    """« 381 000 », « 22,9 », « 8,3 »: the figure as French writes it, no trailing zero."""
    digits = format(value, "f")
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    return number_format(
        Decimal(digits),
        ",",
        decimal_pos=None,
        grouping=3,
        thousand_sep=THOUSANDS,
        force_grouping=True,
    )


# The units that French writes in the singular below 2 (« 0 place », « 1 instance »).
SINGULAR = {
    "mesures": "mesure",
    "instances": "instance",
    "places": "place",
    "signatures": "signature",
    "critères sur 7": "critère sur 7",
}


def with_unit(value, unit: str) -> str:
    """« 381 000 mesures », « 1 instance », « 22,9 ‰ »."""
    if abs(value) < 2:
        unit = SINGULAR.get(unit, unit)
    return f"{shown(Decimal(value))} {unit}"


@dataclass(frozen=True)
class Figure:
    """A value as a page shows it: where it applies (the département or « France entière »)."""

    indicator: object
    year: int
    value: Decimal
    source: str
    source_url: str
    where: str
    national: bool

    @property
    def text(self) -> str:
        return with_unit(self.value, self.indicator.unit)


def _figure(value, where: str) -> Figure:
    return Figure(
        indicator=value.indicator,
        year=value.year,
        value=value.value,
        source=value.source,
        source_url=value.source_url,
        where=where,
        national=value.departement_id is None,
    )


def for_departement(departement, indicators=None) -> list[dict]:
    """Per indicator (all of them, or ``indicators``): the département's own values (none when
    ``departement`` is None), oldest first, and the national ones (what a page shows when the
    département has none). Two queries."""
    chosen = list(indicators if indicators is not None else OfficialIndicator.objects.all())
    values = IndicatorValue.objects.filter(indicator__in=chosen, departement__isnull=True)
    if departement is not None:
        values = values | IndicatorValue.objects.filter(
            indicator__in=chosen, departement=departement
        )
    by_indicator = {indicator.pk: {"own": [], "national": []} for indicator in chosen}
    for value in values.select_related("indicator").order_by("year"):
        side = "national" if value.departement_id is None else "own"
        where = departement.name if side == "own" else FRANCE
        by_indicator[value.indicator_id][side].append(_figure(value, where))
    rows = []
    for indicator in chosen:
        own, national = by_indicator[indicator.pk]["own"], by_indicator[indicator.pk]["national"]
        shown_values = own or national
        rows.append(
            {
                "indicator": indicator,
                "own": own,
                "national": national,
                "latest": shown_values[-1] if shown_values else None,
            }
        )
    return rows
