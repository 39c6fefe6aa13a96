"""Every CSV file the platform gives for download, written here and nowhere else.

**Formula injection** (OWASP, « CSV Injection »): a spreadsheet runs a cell that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula, and what people type (a
name, a practice's title) ends up in these cells. Such a cell is prefixed with a single quote,
which spreadsheets read as « this is text » and do not show; every cell is also quoted, the
quotes inside it doubled, so that a delimiter in a value never starts a new cell. Numbers are
left as they are: a number cannot carry a formula, and ``-3`` stays a number.

**For French spreadsheets**: semicolons between cells and a byte order mark before the first
line, so that the file opens as is, accents included, in the spreadsheet software people have.

**Streamed**: the rows are written as they come (a generator over ``iterator()``), so that an
export of a million signatures never sits whole in memory.
"""

import csv
import numbers
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

DELIMITER = ";"
BYTE_ORDER_MARK = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CONTENT_TYPE = "text/csv; charset=utf-8"


def safe_cell(value) -> str:
    """The text of a cell that no spreadsheet runs as a formula (None is an empty cell)."""
    if value is None:
        return ""
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Line:
    """A file-like object whose ``write`` gives back the line, for a streamed CSV."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """The lines of the file, the byte order mark before the first: ``rows`` is the header
    then the rows, each a sequence of cells."""
    writer = csv.writer(_Line(), delimiter=DELIMITER, quoting=csv.QUOTE_ALL)
    yield BYTE_ORDER_MARK
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])


def csv_response(rows: Iterable[Iterable], *, filename: str) -> StreamingHttpResponse:
    """A download of ``rows`` (header first) as ``filename``, streamed."""
    response = StreamingHttpResponse(csv_lines(rows), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
