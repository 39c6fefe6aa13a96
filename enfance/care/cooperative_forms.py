"""The forms of the SCIC and transfer pages: registering a SCIC, entering an associate, setting
the colleges, convening an assembly; proposing a transfer and taking its steps."""

from django import forms
from django.conf import settings

from enfance.assemblies.forms import BallotDatesForm
from enfance.core.dates import HAPPENED, PLANNED
from enfance.core.forms import BoundedDateField, DateInput
from enfance.core.text import BoundedTextField, model_limit

from .enums import AssociateCategory, Competence, Mission, TransferPhase
from .finess import validate_siren
from .models import AGENDA_MAX, REGISTERED_DAY, Associate, Cooperative, GeneralAssembly
from .models.supervision import ANSWER_MAX, QUESTION_MAX
from .models.transfers import DETAIL_MAX, REASON_MAX


class CooperativeForm(forms.Form):
    name = BoundedTextField(label="Raison sociale", limit=model_limit(Cooperative, "name"))
    siren = forms.CharField(
        label="Numéro SIREN",
        max_length=20,
        help_text="Neuf chiffres, sur l'extrait Kbis.",
        validators=[validate_siren],
    )
    registered_on = BoundedDateField(
        bounds=REGISTERED_DAY, label="Date d'immatriculation", widget=DateInput
    )
    instance = forms.ModelChoiceField(
        label="Instance locale qui la supervise",
        queryset=None,
        empty_label="Choisissez l'instance",
        help_text="Une instance dont vous tenez le secrétariat.",
    )
    missions = forms.MultipleChoiceField(
        label="Missions", choices=Mission.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, instances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instance"].queryset = instances


class AssociateForm(forms.Form):
    category = forms.ChoiceField(
        label="Catégorie", choices=[("", "Choisissez"), *AssociateCategory.choices]
    )
    name = BoundedTextField(
        label="Nom",
        limit=model_limit(Associate, "name"),
        help_text="Une personne ou un organisme. Le registre n'est montré qu'à l'instance "
        "qui supervise la SCIC.",
    )
    shares = forms.IntegerField(label="Parts sociales", min_value=1)
    joined_on = BoundedDateField(bounds=REGISTERED_DAY, label="Entrée le", widget=DateInput)
    college = forms.ModelChoiceField(
        label="Collège", queryset=None, required=False, empty_label="Aucun collège"
    )
    email = forms.EmailField(
        label="Adresse de son compte sur la plateforme (facultatif)",
        required=False,
        help_text="Pour qu'il ou elle vote en assemblée générale.",
    )
    represents = forms.BooleanField(
        label="Représente la SCIC (dirigeant ou mandataire)",
        required=False,
        help_text="Répond aux questions de l'instance et publie le rapport annuel ; il lui faut "
        "un compte.",
    )

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["college"].queryset = cooperative.colleges.all()


class CollegesForm(forms.Form):
    colleges = BoundedTextField(
        label="Collèges des statuts",
        limit=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Un collège par ligne : son nom, puis « = » et sa part des voix en %. Par "
        "exemple « Salariés = 30 ». Trois collèges au moins, de 10 à 50 % chacun, 100 % en tout.",
    )

    def clean_colleges(self):
        rows = []
        for line in self.cleaned_data["colleges"].splitlines():
            if not line.strip():
                continue
            name, sep, weight = line.rpartition("=")
            if not sep or not weight.strip().isdigit():
                raise forms.ValidationError(
                    f"« {line.strip()} » : écrivez le nom, « = », puis la part en %."
                )
            rows.append((name.strip(), int(weight)))
        return rows


class LeaveForm(forms.Form):
    left_on = BoundedDateField(bounds=HAPPENED, label="Sortie le", widget=DateInput)


class AssemblyForm(forms.Form):
    title = BoundedTextField(
        label="Intitulé",
        limit=model_limit(GeneralAssembly, "title"),
        help_text="Par exemple : « Assemblée générale ordinaire 2026 ».",
    )
    held_on = BoundedDateField(bounds=PLANNED, label="Date", widget=DateInput)
    agenda = BoundedTextField(
        label="Ordre du jour",
        limit=AGENDA_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Chaque sociétaire qui a un compte le reçoit avec la convocation.",
    )


class ResolutionForm(BallotDatesForm):
    title = BoundedTextField(label="Résolution", limit=200)
    description = BoundedTextField(
        label="Texte de la résolution",
        limit=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )

    field_order = ["title", "description", "opens_at", "closes_at"]


class StatutesForm(forms.Form):
    statutes = forms.FileField(
        label="Statuts (PDF)",
        help_text=f"Un PDF de {settings.CARE_STATUTES_MAX_BYTES // 1_000_000} Mo au plus ; il "
        "remplace les statuts déposés avant et il est public.",
    )


class TransferForm(forms.Form):
    instance = forms.ModelChoiceField(
        label="Instance locale qui reçoit la compétence", queryset=None, empty_label="Choisissez"
    )
    competence = forms.ChoiceField(
        label="Compétence", choices=[("", "Choisissez"), *Competence.choices]
    )
    competence_detail = BoundedTextField(
        label="Précision (pour une autre compétence)", limit=DETAIL_MAX, required=False
    )
    cooperative = forms.ModelChoiceField(
        label="SCIC qui l'exercera (facultatif)",
        queryset=None,
        required=False,
        empty_label="Aucune : l'instance elle-même",
    )
    phase = forms.TypedChoiceField(
        label="Phase", choices=TransferPhase.choices, coerce=int, empty_value=None
    )
    starts_on = BoundedDateField(bounds=PLANNED, label="À partir du", widget=DateInput)
    ends_on = BoundedDateField(
        bounds=PLANNED, label="Jusqu'au (facultatif)", widget=DateInput, required=False
    )
    yearly_budget = forms.IntegerField(label="Budget transféré par an (€)", min_value=0)

    def __init__(self, *args, instances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instance"].queryset = instances
        self.fields["cooperative"].queryset = Cooperative.objects.filter(instance__in=instances)


class ReasonForm(forms.Form):
    reason = BoundedTextField(
        label="Motif", limit=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConventionForm(forms.Form):
    convention = forms.FileField(label="Convention signée avec le département (PDF)")


class FinessForm(forms.Form):
    finess = forms.CharField(
        label="Numéro FINESS de la structure",
        max_length=9,
        help_text="Une structure validée du registre, dans le département de la SCIC.",
    )


class ReportForm(forms.Form):
    year = forms.IntegerField(label="Exercice", min_value=2020, max_value=2100)
    report = forms.FileField(label="Rapport annuel (PDF)")
    accounts = forms.FileField(
        label="Comptes annuels (PDF)", help_text="Publics, comme le rapport."
    )


class QuestionForm(forms.Form):
    question = BoundedTextField(
        label="Question à la SCIC",
        limit=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Publique, comme la réponse de la SCIC. Ne nommez aucun enfant ni aucune "
        "famille.",
    )


class AnswerForm(forms.Form):
    text = BoundedTextField(
        label="Réponse de la SCIC", limit=ANSWER_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )


class MinutesForm(forms.Form):
    minutes = forms.FileField(
        label="Procès-verbal (PDF)", help_text="Lu par les sociétaires et l'instance seulement."
    )
