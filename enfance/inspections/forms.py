from django import forms

from enfance.core.forms import BoundedDateField
from enfance.core.text import BoundedTextField

from .enums import ActionKind, JointWith, Origin
from .models import (
    ACTION_TEXT_MAX,
    ANSWER_TEXT_MAX,
    DUE_DAY,
    FINDING_TEXT_MAX,
    LINK_DETAILS_MAX,
    OBSERVATIONS_MAX,
    REPORT_TEXT_MAX,
    VISIT_DAY,
    Criterion,
)

NO_LINK, LINK = "non", "oui"
NOT_CONCERNED = "nc"
# The scale of every criterion (HAS's scale of 1 to 4), as the contrôleur reads it.
SCORE_CHOICES = [
    ("1", "1 — non satisfait"),
    ("2", "2 — partiellement satisfait"),
    ("3", "3 — satisfait"),
    ("4", "4 — pleinement satisfait"),
    (NOT_CONCERNED, "Non concerné"),
]


class InterestForm(forms.Form):
    """The declaration every member of an inspection team makes about the structure."""

    has_link = forms.ChoiceField(
        label="Déclaration d'intérêts",
        choices=[
            (NO_LINK, "Je n'ai aucun lien avec cette structure ni avec son gestionnaire"),
            (LINK, "J'ai un lien avec cette structure ou son gestionnaire"),
        ],
        widget=forms.RadioSelect,
        help_text="Un lien : y avoir travaillé, un proche qui y travaille ou y est accueilli, un "
        "mandat dans l'association qui la gère… Il vous écarte de l'équipe d'inspection.",
        error_messages={"required": "Déclarez si vous avez un lien avec cette structure."},
    )
    link_details = BoundedTextField(
        label="Nature du lien (si vous en avez un)",
        limit=LINK_DETAILS_MAX,
        label_in_message="La nature du lien",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def declaration(self) -> dict:
        return {
            "has_link": self.cleaned_data["has_link"] == LINK,
            "details": self.cleaned_data["link_details"],
        }


class OpenInspectionForm(InterestForm):
    field_order = ["visit_on", "origin", "announced", "joint_with", "has_link", "link_details"]

    # The plan's line or the alert the inspection answers, when opened from them.
    plan_entry = forms.IntegerField(required=False, widget=forms.HiddenInput)
    alert = forms.IntegerField(required=False, widget=forms.HiddenInput)

    visit_on = BoundedDateField(
        label="Date de la visite",
        bounds=VISIT_DAY,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    origin = forms.ChoiceField(label="Origine", choices=Origin.choices)
    announced = forms.BooleanField(
        label="Visite annoncée à la structure",
        required=False,
        initial=True,
        help_text="Décochée, la visite est inopinée : sa date n'est vue que de l'équipe "
        "d'inspection.",
    )
    joint_with = forms.MultipleChoiceField(
        label="Contrôle conjoint avec",
        choices=JointWith.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class FindingForm(forms.Form):
    score = forms.ChoiceField(
        label="Note", choices=SCORE_CHOICES, required=False, widget=forms.RadioSelect
    )
    evidence = BoundedTextField(
        label="Constats",
        limit=FINDING_TEXT_MAX,
        label_in_message="Les constats",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    voices = BoundedTextField(
        label="Ce que des enfants et des familles ont dit (sans nom)",
        limit=FINDING_TEXT_MAX,
        label_in_message="Ce qui a été dit",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def values(self) -> dict:
        score = self.cleaned_data["score"]
        return {
            "score": None if score in ("", NOT_CONCERNED) else score,
            "not_concerned": score == NOT_CONCERNED,
            "evidence": self.cleaned_data["evidence"],
            "voices": self.cleaned_data["voices"],
        }


def finding_initial(finding) -> dict:
    if finding is None:
        return {}
    score = NOT_CONCERNED if finding.not_concerned else finding.score
    return {
        "score": "" if score is None else str(score),
        "evidence": finding.evidence,
        "voices": finding.voices,
    }


class ReportForm(forms.Form):
    report = BoundedTextField(
        label="Rapport",
        limit=REPORT_TEXT_MAX,
        label_in_message="Le rapport",
        required=False,
        help_text="Le texte qui sera publié : ni nom d'enfant, ni nom de professionnel, ni nom "
        "ou adresse de la structure. La publication est refusée tant qu'un nom des dossiers de "
        "la structure y figure.",
        widget=forms.Textarea(attrs={"rows": 12}),
    )


class ObservationsForm(forms.Form):
    observations = BoundedTextField(
        label="Vos observations sur le rapport provisoire",
        limit=OBSERVATIONS_MAX,
        label_in_message="Vos observations",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Écrivez vos observations."},
    )


class ActionForm(forms.Form):
    criterion = forms.ModelChoiceField(
        label="Critère",
        queryset=Criterion.objects.none(),
        empty_label="Choisissez le critère",
        error_messages={"required": "Choisissez le critère auquel l'action répond."},
    )
    kind = forms.ChoiceField(label="Nature", choices=ActionKind.choices, widget=forms.RadioSelect)
    text = BoundedTextField(
        label="Ce qui est demandé",
        limit=ACTION_TEXT_MAX,
        label_in_message="L'action",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Dites ce qui est demandé."},
    )
    due_on = BoundedDateField(
        label="Échéance (pour une action exigée)",
        bounds=DUE_DAY,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, referentiel, **kwargs):
        super().__init__(*args, **kwargs)
        criteria = Criterion.objects.filter(referentiel=referentiel).select_related("theme")
        self.fields["criterion"].queryset = criteria
        self.fields["criterion"].label_from_instance = lambda c: (
            f"{c.code}{' (impératif)' if c.imperative else ''} — {c.text[:80]}"
        )


class AnswerForm(forms.Form):
    plan = BoundedTextField(
        label="Ce que la structure fait ou fera",
        limit=ANSWER_TEXT_MAX,
        label_in_message="Le plan d'action",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Décrivez ce que la structure fait ou fera."},
    )
    evidence = BoundedTextField(
        label="Preuves (documents, dates, chiffres)",
        limit=ANSWER_TEXT_MAX,
        label_in_message="Les preuves",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class JudgeForm(forms.Form):
    note = BoundedTextField(
        label="Avis de l'équipe (obligatoire pour demander un complément)",
        limit=ANSWER_TEXT_MAX,
        label_in_message="L'avis",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
