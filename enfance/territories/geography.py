"""Which départements touch, and roughly how far apart they are: read from the vendored file
data/departements-voisins/voisins.csv (its README gives the source and how it was derived)."""

import csv
from functools import cache
from pathlib import Path

from django.conf import settings

NEIGHBOURS_FILE = Path(settings.BASE_DIR) / "data" / "departements-voisins" / "voisins.csv"


@cache
def _neighbours() -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    with NEIGHBOURS_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            table.setdefault(row["code"], {})[row["voisin"]] = int(row["km"])
    return table


def neighbours(code: str) -> dict[str, int]:
    """The départements touching this one, code -> kilometres between their centres, nearest
    first; none for an overseas département."""
    return dict(sorted(_neighbours().get(code, {}).items(), key=lambda item: (item[1], item[0])))
