import pytest
from django import forms
from django.core.exceptions import ValidationError

from enfance.core.forms import add_service_errors
from enfance.core.templatetags import ui
from enfance.core.templatetags.ui import dsfr_form


class NoteForm(forms.Form):
    note = forms.CharField()


class KeptForm(forms.Form):
    markup_from_values = True
    kind = forms.ChoiceField(choices=[("", "Tous"), ("a", "Foyer"), ("b", "Famille")])


def test_a_form_whose_markup_follows_from_its_values_is_rendered_once_per_values(monkeypatch):
    first = dsfr_form(KeptForm({"kind": "a"}))
    assert 'value="a" selected' in first
    monkeypatch.setattr(KeptForm, "markup_from_values", False)
    assert dsfr_form(KeptForm({"kind": "a"})) == first
    monkeypatch.setattr(KeptForm, "markup_from_values", True)
    render = ui._render
    monkeypatch.setattr(ui, "_render", lambda form: pytest.fail("rendered again"))
    assert dsfr_form(KeptForm({"kind": "a"})) == first
    monkeypatch.setattr(ui, "_render", render)
    other = dsfr_form(KeptForm({"kind": "b"}))
    assert 'value="b" selected' in other and 'value="a" selected' not in other
    invalid = dsfr_form(KeptForm({"kind": "z"}))
    assert "Sélectionnez un choix valide" in invalid


def _form():
    form = NoteForm({"note": "x"})
    assert form.is_valid()
    return form


def test_a_refusal_keyed_by_a_field_of_the_form_goes_beside_it():
    form = _form()
    add_service_errors(form, ValidationError({"note": "Trop court.", "other": "Refusé."}))
    assert form.errors["note"] == ["Trop court."]
    assert form.non_field_errors() == ["Refusé."]


def test_a_refusal_without_field_goes_on_top_message_by_message():
    form = _form()
    add_service_errors(form, ValidationError(["Premier.", "Second."]))
    assert form.non_field_errors() == ["Premier.", "Second."]
