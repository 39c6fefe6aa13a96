"""French plurals, one helper for every template (ui's ``pluriel``): 0 and 1 take the singular,
unlike Django's ``pluralize``."""

import html
from pathlib import Path

import pytest
from django.template import Context, Template


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 soutien"), (1, "1 soutien"), (2, "2 soutiens"), (-3, "-3 soutiens"), ("", " soutien")],
)
def test_zero_and_one_are_singular(count, expected):
    template = Template("{% load ui %}{{ n }} soutien{{ n|pluriel }}")
    assert template.render(Context({"n": count})) == expected


@pytest.mark.parametrize(("count", "expected"), [(1, "1 l'a atteint"), (12, "12 l'ont atteint")])
def test_a_singular_and_a_plural_form(count, expected):
    template = Template("{% load ui %}{{ n }} {{ n|pluriel:\"l'a,l'ont\" }} atteint")
    assert html.unescape(template.render(Context({"n": count}))) == expected


def test_no_template_uses_djangos_plural():
    templates = Path(__file__).resolve().parents[2] / "enfance" / "templates"
    used = [str(f) for f in templates.rglob("*.*") if "|pluralize" in f.read_text("utf-8")]
    assert used == []
