from django import forms

from .services import REASON_MAX_LENGTH


class DangerFlagForm(forms.Form):
    reason = forms.CharField(
        label="Ce qui vous inquiète (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"{REASON_MAX_LENGTH} caractères au plus. Le texte est retiré de l'affichage "
        "public dès l'envoi et examiné par un référent protection de l'enfance.",
    )


class TransmitForm(forms.Form):
    to = forms.CharField(
        label="Transmis à",
        max_length=300,
        help_text="Par exemple : « 119 – Allô enfance en danger, appel du 12/03 à 10 h 20 » ou "
        "« CRIP du Rhône, fiche d'information préoccupante envoyée le 12/03 ».",
    )
    note = forms.CharField(
        label="Note (non publique)",
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RestoreForm(forms.Form):
    note = forms.CharField(
        label="Pourquoi il ne s'agit pas d'un danger",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
