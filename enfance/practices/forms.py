"""The declaration form of seed 004, the committee's forms and the ONPE fiche form.

Text length: a description is counted in characters after its line breaks are normalised to one
"\\n" each and its outer spaces are removed. The live counter (static/practices/counter.js)
counts the same way, and so does the database check (``Length``), so "N sur 1000 caractères"
on screen is what the server accepts.
"""

import uuid

from django import forms
from django.db.models import Q

from enfance.core.forms import BoundedDateField
from enfance.core.text import BoundedTextField, normalize_text
from enfance.territories.forms import CommuneField
from enfance.territories.models import Departement

from .enums import (
    CONFLICT_NOTE_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    FICHE_TEXT_MAX_LENGTH,
    MARK_COMMENT_MAX_LENGTH,
    MESSAGE_MAX_LENGTH,
    EvidenceLevel,
    EvidenceStage,
    MarkCriterion,
    PracticeState,
    ReferenceList,
    Scale,
)
from .models import AGREEMENT_DAY, IMPLEMENTATION_DAY, REVIEW_DAY, Practice, ReferenceOption

OPTION_FIELDS = {
    "intervention_type": ReferenceList.INTERVENTION_TYPE,
    "theme": ReferenceList.THEME,
    "audience": ReferenceList.AUDIENCE,
    "relay": ReferenceList.RELAY,
}

# The structured sections of a level-2 fiche, in reading order.
ONPE_SECTIONS = (
    "objectives",
    "means",
    "keys_to_success",
    "expected_results",
    "difficulties",
    "evaluation_method",
    "evaluation_results",
    "co_authors",
)


class CountedTextarea(forms.Textarea):
    """A textarea with the live counter "N sur 1000 caractères" (works without JS: the count
    of the text as loaded is rendered by the server)."""

    template_name = "practices/widgets/counted_textarea.html"

    def __init__(self, limit: int, attrs=None):
        self.limit = limit
        super().__init__({"rows": 8, "data-counter-limit": str(limit), **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id", name)
        counter_id = f"{widget_id}-counter"
        described = context["widget"]["attrs"].get("aria-describedby", "")
        context["widget"]["attrs"]["aria-describedby"] = f"{described} {counter_id}".strip()
        context["widget"]["attrs"]["data-counter"] = counter_id
        context["counter_id"] = counter_id
        context["count"] = len(normalize_text(value or ""))
        context["limit"] = self.limit
        return context


class OptionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class PrecisionRadioSelect(forms.RadioSelect):
    """The radios of an option list. Each names the precision box of its list, and an option
    that asks for a precision ("Autre") says so: static/practices/precision.js shows the box
    only when such an option is picked. Without JavaScript every box stays visible."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"]["data-precision"] = f"{name}_other"
        instance = getattr(value, "instance", None)
        if instance is not None and instance.asks_precision:
            option["attrs"]["data-asks-precision"] = "true"
        return option


class ConditionsForm(forms.Form):
    accept = forms.BooleanField(
        label="J'ai lu et j'accepte les conditions ci-dessus",
        error_messages={
            "required": "Cochez la case pour confirmer que vous acceptez les conditions."
        },
    )
    # Names this acceptance: a second POST of the same page (a double click) finds the draft
    # of the first instead of making another (services.start_declaration).
    acceptance = forms.CharField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)

    def clean_acceptance(self) -> uuid.UUID | None:
        try:
            return uuid.UUID(self.cleaned_data["acceptance"])
        except ValueError:
            # A page altered by hand still gets its draft, only without the protection.
            return None


class PracticeForm(forms.ModelForm):
    """Seed 004's "Présentation de la pratique" and "Localisation".

    Saving a draft checks what is typed (lengths, date, commune) but not what is missing;
    transmitting to the committee also requires every field marked with an asterisk.
    """

    use_required_attribute = False

    implemented_on = BoundedDateField(
        bounds=IMPLEMENTATION_DAY,
        label="Date de mise en œuvre de la pratique inspirante",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric"}),
        help_text="Format JJ/MM/AAAA, par exemple 21/12/2014.",
        error_messages={"invalid": "Saisissez une date au format JJ/MM/AAAA."},
    )
    entity_name = forms.CharField(
        label="Nom de l'entité", max_length=100, help_text="100 caractères maximum."
    )
    title = forms.CharField(
        label="Intitulé de la pratique", max_length=100, help_text="100 caractères maximum."
    )
    description = BoundedTextField(
        label="Description de la pratique",
        limit=DESCRIPTION_MAX_LENGTH,
        widget=CountedTextarea(DESCRIPTION_MAX_LENGTH),
        help_text="1000 caractères maximum (un retour à la ligne compte pour un caractère).",
    )
    scale = forms.ChoiceField(
        label="Échelle de l'action", choices=Scale.choices, widget=forms.RadioSelect
    )
    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.all(),
        empty_label="Choisir un département",
        help_text="Le département d'implantation de la pratique.",
    )
    commune = CommuneField(
        label="Commune",
        required=False,
        help_text="Obligatoire pour une action locale. Tapez le nom ou le code postal.",
    )

    class Meta:
        model = Practice
        fields = [
            "implemented_on",
            "entity_name",
            "title",
            "description",
            "scale",
            "intervention_type",
            "intervention_type_other",
            "theme",
            "theme_other",
            "audience",
            "audience_other",
            "relay",
            "relay_other",
            "departement",
            "commune",
            "structure_kind",
            "structure_name",
        ]
        labels = {
            "structure_kind": "Votre structure",
            "structure_name": "Nom de votre structure",
        }

    def __init__(self, *args, saving_draft: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.saving_draft = saving_draft
        for name, list_name in OPTION_FIELDS.items():
            current = getattr(self.instance, f"{name}_id", None)
            # A retired option stays selectable on the fiches that already use it.
            queryset = ReferenceOption.objects.filter(list=list_name).filter(_active_or(current))
            self.fields[name] = OptionChoiceField(
                label=self.fields[name].label,
                queryset=queryset.order_by("position", "pk"),
                widget=PrecisionRadioSelect,
                empty_label=None,
                required=True,
            )
            other = self.fields[f"{name}_other"]
            other.label = "Précisez si vous avez choisi « Autre »"
            other.help_text = "100 caractères maximum."
        if "structure_kind" not in self.fields:
            return
        self.fields["structure_kind"].required = True
        self.fields["structure_kind"].choices = [
            ("", "Choisir"),
            *[
                (v, label)
                for v, label in self.fields["structure_kind"].choices
                if v and v != "onpe"
            ],
        ]
        self.fields["structure_name"].required = True

    def full_clean(self):
        # A draft keeps the asterisks on screen but accepts the fields that are still empty.
        if not self.saving_draft:
            return super().full_clean()
        required = [f for f in self.fields.values() if f.required]
        for field in required:
            field.required = False
        try:
            super().full_clean()
        finally:
            for field in required:
                field.required = True

    def clean(self):
        data = super().clean()
        scale = data.get("scale")
        departement = data.get("departement")
        commune = data.get("commune")
        if commune and departement and commune.departement_id != departement.pk:
            self.add_error(
                "commune",
                f"La commune {commune.name} n'est pas dans le département {departement}.",
            )
        if scale == Scale.LOCALE and not commune and not self.saving_draft:
            self.add_error("commune", "Indiquez la commune : l'action est locale.")
        if scale and scale != Scale.LOCALE and commune:
            # Only a local action names a commune; the département is kept.
            data["commune"] = None
        for name in OPTION_FIELDS:
            option = data.get(name)
            if option and not option.asks_precision:
                # The box is hidden once another option is picked: what it still holds is not
                # shown anywhere, so it is not kept either.
                data[f"{name}_other"] = ""
            elif option and not self.saving_draft and not data.get(f"{name}_other", "").strip():
                self.add_error(f"{name}_other", "Précisez votre choix « Autre ».")
        return data

    def values(self) -> dict:
        """The model fields as typed, for the service that saves them."""
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


def _active_or(option_id) -> Q:
    return Q(is_active=True) | Q(pk=option_id) if option_id else Q(is_active=True)


class OnpeFicheForm(PracticeForm):
    """The structured level-2 fiche: seed 004's fields, the ONPE sections and the comparable
    fields of the evidence ladder."""

    class Meta(PracticeForm.Meta):
        fields = [
            *[f for f in PracticeForm.Meta.fields if f not in ("structure_kind", "structure_name")],
            "objectives",
            "means",
            "keys_to_success",
            "expected_results",
            "difficulties",
            "evaluation_method",
            "evaluation_results",
            "co_authors",
            "outcome_safety",
            "outcome_stability",
            "outcome_wellbeing",
            "cost",
            "transferability",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ONPE_SECTIONS[:-1]:
            field = self.fields[name]
            self.fields[name] = BoundedTextField(
                label=field.label.capitalize(),
                limit=FICHE_TEXT_MAX_LENGTH,
                required=name in ("objectives", "means", "expected_results"),
                widget=CountedTextarea(FICHE_TEXT_MAX_LENGTH),
            )
        self.fields["relay"].required = True


class MessageForm(forms.Form):
    body = BoundedTextField(
        label="Votre message",
        limit=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Votre message est vide.",
        },
    )


class RequestInformationForm(forms.Form):
    """What the committee asks the declarant to complete (the "request_information" step).
    Built with ``auto_id="id_request_%s"``: the page shows it next to the other forms."""

    body = BoundedTextField(
        label="Ce que le déclarant doit compléter",
        limit=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Écrivez au déclarant ce qu'il doit compléter.",
        },
    )


class RefusalForm(forms.Form):
    """The reason of a refusal, which the declarant reads. Built with ``auto_id="id_refuse_%s"``."""

    reason = BoundedTextField(
        label="Motif du refus, que le déclarant lira",
        limit=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Expliquez au déclarant le motif du refus.",
        },
    )


class AgreementForm(forms.Form):
    given_by = forms.CharField(
        label="Représentant du département",
        max_length=200,
        help_text="Nom et fonction, par exemple : Claire Petit, directrice enfance-famille.",
        error_messages={
            "required": "Indiquez le nom et la fonction du représentant du département."
        },
    )
    given_on = BoundedDateField(
        bounds=AGREEMENT_DAY,
        label="Date de l'accord",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text="Format JJ/MM/AAAA.",
        error_messages={
            "required": "Indiquez la date de l'accord.",
            "invalid": "Saisissez une date au format JJ/MM/AAAA.",
        },
    )


class ConflictForm(forms.Form):
    note = BoundedTextField(
        label="Précision (facultatif)",
        limit=CONFLICT_NOTE_MAX_LENGTH,
        required=False,
        help_text="300 caractères maximum. Par exemple : « je travaille dans l'association qui "
        "porte la pratique ».",
    )


class EvidenceForm(forms.Form):
    stage = forms.ChoiceField(label="Étape", choices=EvidenceStage.choices)
    level = forms.TypedChoiceField(
        label="Niveau de preuve",
        choices=[("", "Non évalué"), *EvidenceLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    reviewed_on = BoundedDateField(
        bounds=REVIEW_DAY,
        label="Examinée le",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        help_text="Format JJ/MM/AAAA. La fiche sera à réexaminer deux ans plus tard.",
    )


class MarkForm(forms.Form):
    criterion = forms.ChoiceField(label="Critère", choices=MarkCriterion.choices)
    comment = BoundedTextField(
        label="Commentaire (facultatif)",
        limit=MARK_COMMENT_MAX_LENGTH,
        required=False,
        help_text="300 caractères maximum.",
    )


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(
        label="État",
        required=False,
        choices=[
            ("", "À traiter (tous)"),
            *[(s.value, s.label) for s in PracticeState if s not in (PracticeState.DRAFT,)],
        ],
    )
    theme = forms.ModelChoiceField(
        label="Thématique",
        required=False,
        queryset=ReferenceOption.objects.filter(list=ReferenceList.THEME),
        empty_label="Toutes",
    )
    departement = forms.ModelChoiceField(
        label="Département",
        required=False,
        queryset=Departement.objects.all(),
        empty_label="Tous",
    )
    q = forms.CharField(label="Intitulé ou entité", required=False, max_length=100)


class OptionForm(forms.ModelForm):
    class Meta:
        model = ReferenceOption
        fields = ["label", "position", "is_active", "asks_precision"]
        help_texts = {
            "label": "100 caractères maximum. Le nouveau libellé s'affiche sur toutes les fiches.",
        }
