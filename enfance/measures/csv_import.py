"""Reading the CSV file a département's software exports: its encoding, its separator, its
columns, then each row, every refusal said in French with its line number. Nothing here writes:
``services.import_measures`` upserts what this module accepted.

The file: UTF-8 (with or without a byte order mark), cells separated by semicolons, a header
line naming at least ``reference;type;tranche_age;ordonnee_le;debutee_le`` (in any order; other
columns are ignored), dates as JJ/MM/AAAA or AAAA-MM-JJ, ``debutee_le`` empty while the measure
waits.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError

from enfance.core.text import format_count
from enfance.territories.models import normalize_name

from .enums import AgeBand, MeasureKind
from .models import ORDER_DAY, REFERENCE_MAX, START_DAY

COLUMNS = ("reference", "type", "tranche_age", "ordonnee_le", "debutee_le")
SEPARATOR = ";"
# A file beyond this is refused before it is read (100,000 rows take about 5 Mo).
MAX_BYTES = 30 * 1024 * 1024
MAX_ROWS = 200_000
# At most this many refusals are kept, each with its line: the count says the rest.
MAX_REPORTED = 1_000

_OTHER_SEPARATORS = {",": "des virgules", "\t": "des tabulations"}
_FRENCH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _names(choices, extra: dict[str, str]) -> dict[str, str]:
    """What people may write for each value (its code, its label, its short name), normalised."""
    names = {}
    for value, label in choices:
        names[normalize_name(value)] = value
        names[normalize_name(label)] = value
    names.update({normalize_name(k): v for k, v in extra.items()})
    return names


KIND_NAMES = _names(
    MeasureKind.choices,
    {
        "AEMO": MeasureKind.AEMO,
        "AEMO renforcée": MeasureKind.AEMO_RENFORCEE,
        "AEMO-R": MeasureKind.AEMO_RENFORCEE,
        "AEMOR": MeasureKind.AEMO_RENFORCEE,
        "AED": MeasureKind.AED,
        "MJIE": MeasureKind.MJIE,
    },
)
AGE_NAMES = _names(AgeBand.choices, {})
KINDS_EXPECTED = "AEMO, AEMO renforcée, AED, placement ou MJIE"
AGES_EXPECTED = ", ".join(AgeBand.values)


@dataclass(frozen=True)
class Row:
    line: int
    reference: str
    kind: str
    age_band: str
    ordered_on: date
    started_on: date | None


@dataclass(frozen=True)
class Refusal:
    line: int
    message: str


@dataclass
class ParsedFile:
    rows: list[Row] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    refused: int = 0
    read: int = 0

    def refuse(self, line: int, message: str) -> None:
        self.refused += 1
        if len(self.refusals) < MAX_REPORTED:
            self.refusals.append(Refusal(line, message))


def decode(data: bytes) -> str:
    """The text of the file, or a French refusal when it is not UTF-8."""
    if len(data) > MAX_BYTES:
        raise ValidationError(
            f"Le fichier dépasse {MAX_BYTES // (1024 * 1024)} Mo : découpez-le en plusieurs "
            "fichiers.",
            code="too_big",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            "Le fichier n'est pas encodé en UTF-8 (il l'est sans doute en Windows-1252 ou en "
            "ISO-8859-1) : enregistrez-le depuis votre tableur au format « CSV UTF-8 », puis "
            "importez-le de nouveau.",
            code="encoding",
        ) from None
    if not text.strip():
        raise ValidationError("Le fichier est vide.", code="empty")
    return text


def _header(first_line: str) -> list[str]:
    if SEPARATOR not in first_line:
        for separator, name in _OTHER_SEPARATORS.items():
            if separator in first_line:
                raise ValidationError(
                    f"Les colonnes du fichier sont séparées par {name} : le séparateur attendu "
                    "est le point-virgule (;). Enregistrez le fichier au format « CSV "
                    "(séparateur : point-virgule) », puis importez-le de nouveau.",
                    code="separator",
                )
    names = [normalize_name(cell).replace(" ", "_") for cell in first_line.split(SEPARATOR)]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise ValidationError(
            f"Il manque {'la colonne' if len(missing) == 1 else 'les colonnes'} "
            f"{', '.join(missing)} sur la première ligne du fichier. La première ligne doit "
            f"nommer les colonnes : {SEPARATOR.join(COLUMNS)}.",
            code="columns",
        )
    duplicated = sorted({name for name in names if name in COLUMNS and names.count(name) > 1})
    if duplicated:
        raise ValidationError(
            f"La colonne {', '.join(duplicated)} apparaît deux fois sur la première ligne.",
            code="columns",
        )
    return names


def parse_date(value: str) -> date | None:
    """JJ/MM/AAAA or AAAA-MM-JJ; None when empty; ValueError with a French message otherwise."""
    value = value.strip()
    if not value:
        return None
    if found := _FRENCH_DATE.match(value):
        day, month, year = (int(part) for part in found.groups())
    elif found := _ISO_DATE.match(value):
        year, month, day = (int(part) for part in found.groups())
    else:
        raise ValueError(f"« {value[:20]} » n'est pas une date au format JJ/MM/AAAA ou AAAA-MM-JJ")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"la date « {value[:20]} » n'existe pas") from None


def _row(line: int, cells: dict[str, str], today: date) -> Row:
    """One row, or a ValueError saying in French what is wrong with it."""
    reference = cells["reference"].strip()
    if not reference:
        raise ValueError("la référence est vide")
    if len(reference) > REFERENCE_MAX:
        raise ValueError(f"la référence dépasse {REFERENCE_MAX} caractères")
    kind = KIND_NAMES.get(normalize_name(cells["type"]))
    if kind is None:
        raise ValueError(
            f"le type « {cells['type'].strip()[:40]} » n'est pas connu (attendu : {KINDS_EXPECTED})"
        )
    age_band = AGE_NAMES.get(normalize_name(cells["tranche_age"]))
    if age_band is None:
        raise ValueError(
            f"la tranche d'âge « {cells['tranche_age'].strip()[:20]} » n'est pas connue "
            f"(attendu : {AGES_EXPECTED})"
        )
    try:
        ordered_on = parse_date(cells["ordonnee_le"])
    except ValueError as error:
        raise ValueError(f"colonne ordonnee_le : {error}") from None
    if ordered_on is None:
        raise ValueError("la date de la décision (ordonnee_le) est vide")
    try:
        started_on = parse_date(cells["debutee_le"])
    except ValueError as error:
        raise ValueError(f"colonne debutee_le : {error}") from None
    for column, bounds, day in (
        ("ordonnee_le", ORDER_DAY, ordered_on),
        ("debutee_le", START_DAY, started_on),
    ):
        refusal = bounds.refusal(day, today) if day is not None else None
        if refusal:
            raise ValueError(f"colonne {column} : {refusal[1]}")
    if started_on is not None and started_on < ordered_on:
        raise ValueError("la mesure ne peut pas débuter (debutee_le) avant d'être ordonnée")
    return Row(line, reference, kind, age_band, ordered_on, started_on)


def parse(data: bytes, *, today: date) -> ParsedFile:
    """Every row of the file: the valid ones, and each refusal with its line. A file that cannot
    be read at all (encoding, separator, columns) is refused whole with a ValidationError."""
    text = decode(data)
    lines = io.StringIO(text, newline="")
    first_line = lines.readline().rstrip("\r\n")
    names = _header(first_line)
    positions = {column: names.index(column) for column in COLUMNS}
    width = len(names)
    parsed = ParsedFile()
    first_line_of = {}
    reader = csv.reader(lines, delimiter=SEPARATOR)
    line = 1
    for cells in reader:
        line = reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        parsed.read += 1
        if parsed.read > MAX_ROWS:
            raise ValidationError(
                f"Le fichier compte plus de {format_count(MAX_ROWS)} lignes : découpez-le en "
                "plusieurs fichiers.",
                code="too_big",
            )
        if len(cells) < width:
            parsed.refuse(
                line,
                f"la ligne compte {len(cells)} colonne{'s' if len(cells) > 1 else ''} au lieu "
                f"de {width}",
            )
            continue
        try:
            row = _row(line, {c: cells[i] for c, i in positions.items()}, today)
        except ValueError as error:
            parsed.refuse(line, str(error))
            continue
        seen = first_line_of.get(row.reference)
        if seen is not None:
            parsed.refuse(
                line,
                f"la référence apparaît déjà ligne {seen} : seule la première ligne est gardée",
            )
            continue
        first_line_of[row.reference] = line
        parsed.rows.append(row)
    return parsed
