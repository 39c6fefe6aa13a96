"""The rules of docs/architecture.md that a reviewer would otherwise have to remember: the size of
files, where imports are written, and that every template is used. (The layers themselves are
import-linter contracts, run by ``make quality``.)"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CODE_DIRS = ("enfance", "config", "tests", "bench")
MAX_LINES = 600
# Written on the line above an import inside a function, with the reason it is not at the top.
DEFERRED_IMPORT_MARK = "# Imported here:"


def python_files():
    for directory in CODE_DIRS:
        for path in sorted((ROOT / directory).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _area(path: Path) -> str:
    """An app of enfance/ with its tests/ folder, or the rest (config, bench, shared tests)."""
    parts = path.relative_to(ROOT).parts
    if parts[0] in ("enfance", "tests") and len(parts) > 2:
        return parts[1]
    return "autres"


AREAS = sorted({_area(path) for path in python_files()})


@pytest.mark.parametrize("area", AREAS)
def test_no_python_file_is_longer_than_600_lines(area):
    long = {
        str(path.relative_to(ROOT)): n
        for path in python_files()
        if _area(path) == area
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}, "Découpez ces fichiers par sous-domaine (paquets si besoin)."


def _nested_imports(tree: ast.AST):
    for node in ast.walk(tree):
        # An AppConfig's ready() is where Django wants signal handlers imported: by then, and
        # not before, every model is loaded.
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name != "ready":
            for child in ast.walk(node):
                if isinstance(child, ast.Import | ast.ImportFrom):
                    yield child


@pytest.mark.parametrize("area", AREAS)
def test_imports_are_at_the_top_of_modules_unless_a_reason_is_written(area):
    hidden = []
    for path in python_files():
        if _area(path) != area:
            continue
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for node in _nested_imports(ast.parse(source)):
            above = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
            if not above.startswith(DEFERRED_IMPORT_MARK):
                hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert hidden == [], (
        f"Import dans une fonction sans « {DEFERRED_IMPORT_MARK} <raison> » sur la ligne "
        "d'avant : remontez-le en tête du module."
    )


# Templates found by name at run time, never written as a literal in the code: the error pages
# (Django's handlers) and the templates of other packages this project replaces.
TEMPLATES_USED_BY_NAME = {"403.html", "404.html", "429.html", "500.html"}
OVERRIDES = ("account/", "allauth/", "mfa/", "socialaccount/", "dsfr/", "django/")


def _template_names():
    base = ROOT / "enfance" / "templates"
    for path in sorted(base.rglob("*")):
        if path.is_file() and path.suffix in {".html", ".txt", ".xml", ".ics"}:
            yield path.relative_to(base).as_posix()


def _code_corpus() -> str:
    texts = []
    for directory in ("enfance", "config"):
        for path in (ROOT / directory).rglob("*"):
            if path.suffix in {".py", ".html", ".txt"} and "migrations" not in path.parts:
                texts.append(path.read_text(encoding="utf-8"))
    return "\n".join(texts)


@pytest.fixture(scope="module")
def corpus():
    return _code_corpus()


def test_every_template_is_used(corpus):
    unused = [
        name
        for name in _template_names()
        if name not in TEMPLATES_USED_BY_NAME
        and not name.startswith(OVERRIDES)
        and not re.search(rf"[\"']{re.escape(name)}(#[\w-]+)?[\"']", corpus)
    ]
    assert unused == [], "Gabarits jamais utilisés (ou nommés autrement qu'en entier) : "
