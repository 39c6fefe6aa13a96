"""The forms of the villages de protection: a family unit, a séjour d'observation (no name: the
number of adults and of children by age band), a refusal, the observation summary."""

from django import forms

from enfance.assemblies.forms import DATETIME_WIDGET
from enfance.core.dates import PLANNED
from enfance.core.forms import BoundedDateTimeField
from enfance.core.text import BoundedTextField

from .models.villages import (
    ADULTS_MAX,
    CHILDREN_MAX_BY_BAND,
    REFUSAL_MAX,
    STAY_HOURS_MAX,
    STAY_HOURS_MIN,
    SUMMARY_MAX,
    UNIT_CAPACITY_MAX,
    UNIT_NAME_MAX,
)


class UnitForm(forms.Form):
    name = BoundedTextField(label="Nom de l'unité", limit=UNIT_NAME_MAX)
    capacity = forms.IntegerField(
        label="Personnes accueillies par nuit",
        min_value=1,
        max_value=UNIT_CAPACITY_MAX,
        help_text="Adultes et enfants d'une même famille.",
    )


def _count(label: str, maximum: int, minimum: int = 0, initial: int = 0) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=minimum, max_value=maximum, initial=initial, required=minimum > 0
    )


class StayForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="Unité familiale", queryset=None, empty_label="Choisissez l'unité"
    )
    departement = forms.TypedChoiceField(label="Vous demandez pour le département", coerce=int)
    starts_at = BoundedDateTimeField(
        bounds=PLANNED,
        label="Arrivée de la famille",
        widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    hours = forms.IntegerField(
        label="Durée du séjour, en heures",
        min_value=STAY_HOURS_MIN,
        max_value=STAY_HOURS_MAX,
        initial=STAY_HOURS_MIN,
        help_text=f"De {STAY_HOURS_MIN} à {STAY_HOURS_MAX} heures.",
    )
    adults = _count("Adultes", ADULTS_MAX, minimum=1, initial=1)
    children_0_2 = _count("Enfants de 0 à 2 ans", CHILDREN_MAX_BY_BAND)
    children_3_5 = _count("Enfants de 3 à 5 ans", CHILDREN_MAX_BY_BAND)
    children_6_12 = _count("Enfants de 6 à 12 ans", CHILDREN_MAX_BY_BAND)
    children_13_17 = _count("Enfants de 13 à 17 ans", CHILDREN_MAX_BY_BAND)

    def __init__(self, *args, units, departements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["departement"].choices = [(d.pk, str(d)) for d in departements]
        if len(self.fields["departement"].choices) == 1:
            self.fields["departement"].initial = self.fields["departement"].choices[0][0]

    def clean(self):
        cleaned = super().clean()
        for band in ("children_0_2", "children_3_5", "children_6_12", "children_13_17"):
            cleaned[band] = cleaned.get(band) or 0
        return cleaned


class RefusalForm(forms.Form):
    reason = BoundedTextField(
        label="Motif du refus",
        limit=REFUSAL_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Quelques mots pour le service qui a demandé le séjour.",
    )


class SummaryForm(forms.Form):
    summary = BoundedTextField(
        label="Synthèse d'observation",
        limit=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Lue par le service qui a demandé le séjour, et par lui seul. Ne nommez "
        "personne : écrivez « la mère », « l'aîné ».",
    )
