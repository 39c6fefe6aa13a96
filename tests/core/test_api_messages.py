"""The French sentences of the API's refusals, for each common pydantic error type and for any
other (never pydantic's English)."""

import pytest

from enfance.core.api_messages import FALLBACK, french_error


@pytest.mark.parametrize(
    ("error", "sentence"),
    [
        (
            {"type": "less_than_equal", "ctx": {"le": 100}},
            "La valeur doit être inférieure ou égale à 100.",
        ),
        (
            {"type": "greater_than_equal", "ctx": {"ge": 0}},
            "La valeur doit être supérieure ou égale à 0.",
        ),
        ({"type": "int_parsing"}, "Un nombre entier est attendu."),
        ({"type": "missing"}, "Ce paramètre est obligatoire."),
        ({"type": "too_long", "ctx": {"max_length": 20}}, "20 valeurs au plus."),
        ({"type": "too_short", "ctx": {"min_length": 1}}, "1 valeur au moins."),
        ({"type": "string_too_long", "ctx": {"max_length": 3}}, "3 caractères au plus."),
        (
            {"type": "enum", "ctx": {"expected": "'locale' or 'nationale'"}},
            "Valeur attendue parmi : 'locale' ou 'nationale'.",
        ),
        (
            {"type": "value_error", "msg": "Value error, Valeur non reconnue : « x »"},
            "Valeur non reconnue : « x »",
        ),
        ({"type": "date_from_datetime_parsing", "ctx": {"error": "input is too short"}}, None),
        ({"type": "less_than_equal"}, FALLBACK),
        ({"type": "url_scheme", "msg": "URL scheme should be 'http'"}, FALLBACK),
    ],
)
def test_each_error_has_its_french_sentence(error, sentence):
    said = french_error(error)
    if sentence:
        assert said == sentence
    assert "should" not in said and "Input" not in said and said.endswith((".", "»"))
