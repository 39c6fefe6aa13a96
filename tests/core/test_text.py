import pytest
from django import forms
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from enfance.core.text import (
    BoundedTextField,
    bounded_text,
    bounded_texts,
    format_count,
    normalize_text,
    too_long_message,
)


def test_a_line_break_counts_one_whatever_the_browser_sent():
    assert normalize_text("  un\r\ndeux\rtrois\n ") == "un\ndeux\ntrois"
    assert normalize_text(None) == ""


def test_the_message_gives_the_limit_and_the_length_in_french():
    assert too_long_message(3000, 3119) == (
        "Ce texte dépasse 3\u202f000 caractères : votre texte en compte 3\u202f119."
    )
    assert too_long_message(300, 337, "Le motif").startswith("« Le motif » dépasse 300")
    assert format_count(1234567) == "1\u202f234\u202f567"


@given(limit=st.integers(1, 200), text=st.text(alphabet="ab \r\n", max_size=400))
def test_a_text_is_accepted_exactly_when_its_normalised_length_fits(limit, text):
    normalised = normalize_text(text)
    try:
        kept = bounded_text(text, limit=limit)
    except ValidationError as error:
        assert len(normalised) > limit
        assert f"en compte {format_count(len(normalised))}" in error.messages[0]
    else:
        assert kept == normalised and len(kept) <= limit


def test_an_empty_text_is_refused_only_when_required_and_keyed_by_its_field():
    assert bounded_text("  ", limit=10) == ""
    with pytest.raises(ValidationError) as error:
        bounded_text(" ", limit=10, field="body", required="Écrivez votre message.")
    assert error.value.message_dict == {"body": ["Écrivez votre message."]}


def test_several_fields_report_every_error_together():
    with pytest.raises(ValidationError) as error:
        bounded_texts(
            {"title": "x" * 11, "body": ""},
            {"title": (10, "Titre", "Donnez un titre."), "body": (50, "Texte", "Écrivez.")},
        )
    assert error.value.message_dict == {
        "title": ["« Titre » dépasse 10 caractères : votre texte en compte 11."],
        "body": ["Écrivez."],
    }


class NoteForm(forms.Form):
    note = BoundedTextField(limit=5, label="Note")


def test_the_form_field_counts_as_the_service_and_never_sets_maxlength():
    assert NoteForm({"note": "ab\r\ncd"}).is_valid()
    form = NoteForm({"note": "abcdef"})
    assert not form.is_valid()
    assert form.errors["note"] == ["Ce texte dépasse 5 caractères : votre texte en compte 6."]
    assert "maxlength" not in str(form["note"])
