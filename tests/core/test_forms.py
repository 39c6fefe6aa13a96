from django import forms
from django.core.exceptions import ValidationError

from enfance.core.forms import add_service_errors


class NoteForm(forms.Form):
    note = forms.CharField()


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
