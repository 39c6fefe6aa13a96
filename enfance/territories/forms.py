from urllib.parse import urlencode

from django import forms
from django.urls import reverse

from .models import Commune
from .search import commune_label, resolve_commune


class CommuneInput(forms.TextInput):
    """A text input with suggestions from the server (htmx), usable without JavaScript."""

    template_name = "territories/widgets/commune_input.html"

    def __init__(self, attrs=None):
        base = {
            "autocomplete": "off",
            "hx-trigger": "input changed delay:250ms",
            "hx-sync": "this:replace",
        }
        super().__init__({**base, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id", name)
        datalist_id = f"{widget_id}-suggestions"
        context["widget"]["attrs"]["list"] = datalist_id
        context["widget"]["attrs"]["hx-target"] = f"#{datalist_id}"
        # htmx sends the input under its own name: tell the endpoint which parameter to read.
        context["widget"]["attrs"]["hx-get"] = (
            f"{reverse('territories:commune_suggestions')}?{urlencode({'champ': name})}"
        )
        context["datalist_id"] = datalist_id
        return context

    def format_value(self, value):
        if isinstance(value, Commune):
            return commune_label(value)
        if isinstance(value, int) or (
            isinstance(value, str) and value.isdigit() and len(value) < 5
        ):
            commune = Commune.objects.filter(pk=value).first()
            return commune_label(commune) if commune else ""
        return super().format_value(value)


class CommuneField(forms.Field):
    widget = CommuneInput
    default_error_messages = {"required": "Indiquez votre commune."}

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Commune")
        kwargs.setdefault(
            "help_text", "Tapez le nom ou le code postal, puis choisissez dans la liste."
        )
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value

    def to_python(self, value):
        if isinstance(value, Commune) or value in self.empty_values:
            return value or None
        return resolve_commune(str(value))
