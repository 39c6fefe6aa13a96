"""The forms of the contracts' page and of the facts per département, for the national
administrator."""

from django import forms

from enfance.core.forms import BoundedDateField, DateInput
from enfance.core.text import BoundedTextField

from .models import FactKind
from .models.contracts import FIRST_YEAR, LAST_YEAR, SIGNED_DAY, SOURCE_MAX, TEXT_MAX
from .models.facts import DETAIL_MAX, OBSERVED_DAY
from .models.measures import TITLE_MAX


def _year() -> forms.IntegerField:
    return forms.IntegerField(label="Année", min_value=FIRST_YEAR, max_value=LAST_YEAR)


class ContractForm(forms.Form):
    departement = forms.ModelChoiceField(
        label="Département", queryset=None, empty_label="Choisissez le département"
    )
    year = _year()
    wave = forms.IntegerField(label="Vague de contractualisation", min_value=1, max_value=5)

    def __init__(self, *args, departements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = departements


class AssessmentForm(forms.Form):
    assessment = BoundedTextField(
        label="État des lieux partagé",
        limit=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class CriterionForm(forms.Form):
    criterion = forms.ModelChoiceField(label="Critère", queryset=None, empty_label="Choisissez")
    met = forms.BooleanField(label="Rempli", required=False)
    evidence = BoundedTextField(
        label="Preuve",
        limit=TEXT_MAX,
        required=False,
        help_text="Le document ou la décision qui le montre : obligatoire pour un critère rempli.",
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = criteria


class ObjectiveForm(forms.Form):
    title = BoundedTextField(label="Objectif", limit=TITLE_MAX)
    required = forms.BooleanField(label="Obligatoire", required=False, initial=True)
    state_commitment = BoundedTextField(label="Engagement de l'État", limit=TEXT_MAX)
    departement_commitment = BoundedTextField(label="Engagement du département", limit=TEXT_MAX)
    indicator = BoundedTextField(label="Indicateur de résultat", limit=TITLE_MAX)
    unit = BoundedTextField(label="Unité", limit=40)
    baseline = forms.DecimalField(label="Valeur de départ", max_digits=14, decimal_places=2)
    target = forms.DecimalField(label="Valeur cible", max_digits=14, decimal_places=2)


class ValueForm(forms.Form):
    objective = forms.ModelChoiceField(label="Objectif", queryset=None, empty_label="Choisissez")
    year = _year()
    value = forms.DecimalField(label="Valeur", max_digits=14, decimal_places=2)
    source = BoundedTextField(label="Source", limit=SOURCE_MAX)

    def __init__(self, *args, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = objectives


class CreditForm(forms.Form):
    year = _year()
    amount = forms.IntegerField(label="Crédits (€)", min_value=0)
    source = BoundedTextField(
        label="Source",
        limit=SOURCE_MAX,
        help_text="Pour 2020, la stratégie elle-même ; pour les années suivantes, une source "
        "extérieure nommée.",
    )


class SignForm(forms.Form):
    signed_on = BoundedDateField(bounds=SIGNED_DAY, label="Signé le", widget=DateInput)


class FactForm(forms.Form):
    departement = forms.ModelChoiceField(
        label="Département", queryset=None, empty_label="Choisissez le département"
    )
    kind = forms.ChoiceField(label="Dispositif", choices=FactKind.choices)
    present = forms.TypedChoiceField(
        label="État constaté",
        choices=[("oui", "En place"), ("non", "Absent")],
        coerce=lambda value: value == "oui",
        widget=forms.RadioSelect,
    )
    observed_on = BoundedDateField(bounds=OBSERVED_DAY, label="Constaté le", widget=DateInput)
    source = BoundedTextField(
        label="Source",
        limit=SOURCE_MAX,
        help_text="La publication ou le service qui le dit : un fait sans source est refusé.",
    )
    source_url = forms.URLField(label="Adresse de la source", required=False, assume_scheme="https")
    detail = BoundedTextField(
        label="Précision",
        limit=DETAIL_MAX,
        required=False,
        help_text="Pour un ODPE en place : la fonction de la personne qui l'anime, jamais son nom.",
    )

    def __init__(self, *args, departements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departement"].queryset = departements
