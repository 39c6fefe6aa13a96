from datetime import timedelta

from django import forms
from django.utils import timezone

from enfance.assemblies.models import Instance
from enfance.core.dates import PLANNED
from enfance.core.forms import BoundedDateField, BoundedDateTimeField, DateInput
from enfance.core.text import BoundedTextField, format_count
from enfance.territories.models import Departement

from . import services
from .enums import AnswerStatus, InstitutionKind
from .models import DUE_DAY, NAME_MAX, RECEPTION_DAY, TEXT_MAX


def _text(label: str, help_text: str, rows: int = 8) -> BoundedTextField:
    return BoundedTextField(
        limit=TEXT_MAX,
        label=label,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=f"{help_text} Jusqu'à {format_count(TEXT_MAX)} caractères.",
    )


class InterpellationForm(forms.Form):
    instance = forms.ModelChoiceField(
        label="Instance qui interpelle",
        queryset=Instance.objects.none(),
        empty_label=None,
        help_text="L'instance dont vous tenez le secrétariat.",
    )
    institution_kind = forms.ChoiceField(
        label="Type d'institution", choices=InstitutionKind.choices
    )
    institution_name = BoundedTextField(
        limit=NAME_MAX,
        label="Nom de l'institution",
        help_text="Par exemple : « Conseil départemental du Rhône, direction de l'enfance ».",
    )
    contact_email = forms.EmailField(
        label="Adresse électronique de l'institution",
        help_text="L'interpellation et son lien de réponse y seront envoyés une fois adoptée.",
    )
    title = BoundedTextField(
        limit=NAME_MAX,
        label="Objet",
        help_text="En une phrase, ce que l'instance demande à l'institution.",
    )
    facts = _text("Les faits", "Ce qui s'est passé, daté et vérifiable, sans nommer d'enfant.")
    failures = _text(
        "Les manquements constatés", "Ce que l'institution n'a pas fait ou a mal fait."
    )
    recommendations = _text("Les recommandations", "Ce que l'instance demande, concrètement.")

    def __init__(self, *args, instances=None, **kwargs):
        super().__init__(*args, **kwargs)
        if instances is None:
            del self.fields["instance"]
        else:
            self.fields["instance"].queryset = instances

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("instance", None)
        return data


class VoteForm(forms.Form):
    closes_at = BoundedDateTimeField(
        bounds=PLANNED,
        too_early=services.VOTE_CLOSES_IN_THE_PAST,
        label="Clôture du vote",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M"],
        help_text="Les membres votent en ligne jusqu'à cette date ; vous pouvez clore plus tôt "
        "une fois que tout le monde a voté.",
    )

    @staticmethod
    def default():
        moment = timezone.localtime() + timedelta(days=7)
        return {"closes_at": moment.replace(second=0, microsecond=0)}


class SendForm(forms.Form):
    due_on = BoundedDateField(
        bounds=DUE_DAY,
        label="Date limite de réponse",
        widget=DateInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The delay is a setting: the hint says the one in force.
        months = services.answer_months()
        hint = f"Par défaut, {months} mois après l'envoi : la date proposée ici."
        self.fields["due_on"].help_text = hint


class LinkAnswerForm(forms.Form):
    signatory = BoundedTextField(
        limit=NAME_MAX,
        label="Nom et fonction du signataire",
        help_text="Par exemple : « Marie Durand, directrice de l'enfance et de la famille ».",
    )
    text = _text("Votre réponse", "Elle sera publiée telle quelle sur la page de l'interpellation.",
                 rows=12)  # fmt: skip


class PostalAnswerForm(forms.Form):
    received_on = BoundedDateField(
        bounds=RECEPTION_DAY,
        label="Date de réception du courrier",
        widget=DateInput,
        help_text="Format : JJ/MM/AAAA.",
    )
    signatory = BoundedTextField(
        limit=NAME_MAX, label="Signataire (nom et fonction)", required=False
    )
    text = _text("Texte de la réponse", "Recopiez la réponse telle qu'elle a été reçue.", rows=12)


class ListFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type d'institution",
        choices=[("", "Tous les types"), *InstitutionKind.choices],
        required=False,
    )
    statut = forms.ChoiceField(
        label="Réponse",
        choices=[("", "Tous les statuts"), *AnswerStatus.choices],
        required=False,
    )
    departement = forms.ModelChoiceField(
        label="Département de l'instance",
        queryset=Departement.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label="Tous les départements",
    )
    instance = forms.ModelChoiceField(
        queryset=Instance.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("kind", "statut", "departement"):
            self.fields[name].widget.attrs["class"] = "fr-select"
