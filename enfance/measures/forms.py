from django import forms

from enfance.core.forms import BoundedDateField, DateInput
from enfance.core.text import BoundedTextField

from .csv_import import COLUMNS, MAX_BYTES, SEPARATOR
from .enums import AgeBand, MeasureKind
from .models import ORDER_DAY, REFERENCE_MAX, START_DAY


class MeasureForm(forms.Form):
    reference = BoundedTextField(
        limit=REFERENCE_MAX,
        label="Référence de la mesure dans votre logiciel",
        help_text="Elle n'est pas conservée : la plateforme n'en garde qu'une empreinte "
        "chiffrée, pour reconnaître la mesure quand vous la saisissez de nouveau (sa date de "
        "début, par exemple). N'y mettez pas le nom de l'enfant.",
    )
    kind = forms.ChoiceField(label="Type de mesure", choices=MeasureKind.choices)
    age_band = forms.ChoiceField(label="Tranche d'âge de l'enfant", choices=AgeBand.choices)
    ordered_on = BoundedDateField(
        bounds=ORDER_DAY,
        label="Date de la décision",
        help_text="Le jour où le juge ou le département a ordonné la mesure.",
        widget=DateInput(),
    )
    started_on = BoundedDateField(
        bounds=START_DAY,
        label="Date de début (facultatif)",
        help_text="Le jour où la mesure a réellement commencé. Laissez vide tant qu'elle attend.",
        required=False,
        widget=DateInput(),
    )

    def clean(self):
        cleaned = super().clean()
        ordered_on, started_on = cleaned.get("ordered_on"), cleaned.get("started_on")
        if ordered_on and started_on and started_on < ordered_on:
            self.add_error(
                "started_on", "La mesure ne peut pas débuter avant la date de la décision."
            )
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier CSV des mesures",
        help_text=f"Encodé en UTF-8, colonnes séparées par des points-virgules ({SEPARATOR}), "
        f"première ligne : {SEPARATOR.join(COLUMNS)}. Dates au format JJ/MM/AAAA ou AAAA-MM-JJ. "
        f"{MAX_BYTES // (1024 * 1024)} Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                f"Le fichier dépasse {MAX_BYTES // (1024 * 1024)} Mo : découpez-le en plusieurs "
                "fichiers."
            )
        return upload
