from django import forms

from enfance.core.text import BoundedTextField

from .services import HANDLING_NOTE_MAX_LENGTH, REASON_MAX_LENGTH, TRANSMITTED_TO_MAX_LENGTH


class DangerFlagForm(forms.Form):
    reason = BoundedTextField(
        limit=REASON_MAX_LENGTH,
        label="Ce qui vous inquiète (facultatif)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"{REASON_MAX_LENGTH} caractères au plus. Le texte est retiré de l'affichage "
        "public dès l'envoi et examiné par un référent protection de l'enfance.",
    )


class TransmitForm(forms.Form):
    to = BoundedTextField(
        limit=TRANSMITTED_TO_MAX_LENGTH,
        label="Transmis à",
        help_text="Par exemple : « 119 – Allô enfance en danger, appel du 12/03 à 10 h 20 » ou "
        "« CRIP du Rhône, fiche d'information préoccupante envoyée le 12/03 ».",
    )
    note = BoundedTextField(
        limit=HANDLING_NOTE_MAX_LENGTH,
        label="Note (non publique)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    tell_family = forms.TypedChoiceField(
        label="La famille qui a écrit",
        choices=[
            ("oui", "L'informer que l'information est transmise"),
            ("non", "Ne pas l'informer : cela mettrait l'enfant en danger"),
        ],
        coerce=lambda value: value == "oui",
        initial="oui",
        widget=forms.RadioSelect,
        help_text="La règle est d'informer les parents, sauf si c'est contraire à l'intérêt de "
        "l'enfant (article L226-2-1 du Code de l'action sociale et des familles).",
    )
    not_told_reason = BoundedTextField(
        limit=REASON_MAX_LENGTH,
        label="Pourquoi ne pas informer la famille",
        label_in_message="La raison",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, with_family: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_family:
            del self.fields["tell_family"]
            del self.fields["not_told_reason"]


class RestoreForm(forms.Form):
    note = BoundedTextField(
        limit=HANDLING_NOTE_MAX_LENGTH,
        label="Pourquoi il ne s'agit pas d'un danger",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
