from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from enfance.core.dates import BIRTH, MANDATE, PLANNED
from enfance.core.forms import BoundedDateField, BoundedDateTimeField
from enfance.core.text import BoundedTextField, model_limit
from enfance.territories.models import Departement, Region

from .enums import (
    AgeBand,
    ConsentMethod,
    EndReason,
    ExpertField,
    Gender,
    InstanceStatus,
    MemberRole,
    SelectionMethod,
    Stratification,
)
from .models import (
    CONSENT_DAY,
    AgendaItem,
    Application,
    ChildProfile,
    College,
    Decision,
    Draw,
    Instance,
    Meeting,
    Minutes,
    Priority,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The whole agenda as typed, one item a line; each item is checked by the service.
AGENDA_MAX_LENGTH = 4000
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MEETING_IN_THE_PAST = "La réunion doit avoir lieu dans le futur."


class InstanceFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label="Région",
        queryset=Region.objects.order_by("name"),
        required=False,
        empty_label="Toutes les régions",
        to_field_name="code",
    )
    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.order_by("code"),
        required=False,
        empty_label="Tous les départements",
        to_field_name="code",
    )
    status = forms.ChoiceField(
        label="État",
        choices=[("", "Tous les états"), *InstanceStatus.choices],
        required=False,
    )


class InstanceForm(forms.Form):
    name = BoundedTextField(label="Nom de l'instance", limit=model_limit(Instance, "name"))
    departement = forms.ModelChoiceField(
        label="Département", queryset=Departement.objects.order_by("code"), to_field_name="code"
    )
    commune_codes = forms.CharField(
        label="Communes du bassin de vie (facultatif)",
        help_text="Codes INSEE séparés par des espaces, par exemple : 69123 69266. "
        "Laisser vide pour tout le département.",
        required=False,
    )
    description = BoundedTextField(
        label="Présentation (facultatif)",
        widget=forms.Textarea,
        limit=model_limit(Instance, "description"),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        departement = cleaned.get("departement")
        codes = cleaned.get("commune_codes", "").split()
        if departement is None or not codes:
            cleaned["communes"] = []
            return cleaned
        communes = list(departement.communes.filter(code__in=codes))
        unknown = sorted(set(codes) - {c.code for c in communes})
        if unknown:
            self.add_error(
                "commune_codes",
                f"Ces codes ne désignent pas une commune du département : {', '.join(unknown)}.",
            )
        cleaned["communes"] = communes
        return cleaned


class MandateDatesMixin(forms.Form):
    mandate_start = BoundedDateField(bounds=MANDATE, label="Début du mandat", widget=DATE_WIDGET)
    mandate_end = BoundedDateField(
        bounds=MANDATE,
        label="Fin du mandat (dernier jour, facultatif)",
        help_text="Laisser vide pour un mandat de deux ans.",
        widget=DATE_WIDGET,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("mandate_start"), cleaned.get("mandate_end")
        if start and end and end < start:
            self.add_error("mandate_end", "La fin du mandat doit suivre son début.")
        return cleaned


class AddMemberForm(MandateDatesMixin):
    email = forms.EmailField(label="Adresse électronique du compte de la personne")
    college = forms.ModelChoiceField(
        label="Collège", queryset=College.objects.all(), empty_label="Choisir un collège"
    )
    selection_method = forms.ChoiceField(
        label="Mode de désignation", choices=SelectionMethod.choices
    )
    role = forms.ChoiceField(label="Rôle", choices=MemberRole.choices, initial=MemberRole.MEMBRE)
    expert_field = forms.ChoiceField(
        label="Domaine d'expertise (collège des experts)",
        choices=[("", "Sans objet"), *ExpertField.choices],
        required=False,
    )
    field_order = ["email", "college", "selection_method", "role", "expert_field"]

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(
                "Aucun compte n'utilise cette adresse : la personne doit d'abord s'inscrire."
            )
        self.person = user
        return email


class EndMembershipForm(forms.Form):
    ended_on = BoundedDateField(bounds=MANDATE, label="Fin effective", widget=DATE_WIDGET)
    reason = forms.ChoiceField(label="Motif", choices=EndReason.choices)


class ApplicationForm(forms.Form):
    college = forms.ModelChoiceField(
        label="Collège", queryset=College.objects.all(), empty_label="Choisir un collège"
    )
    motivation = BoundedTextField(
        label="Votre motivation",
        help_text="Quelques lignes : ce qui vous amène, ce que vous pouvez apporter "
        "(1 000 caractères au plus).",
        widget=forms.Textarea(attrs={"rows": 5}),
        limit=model_limit(Application, "motivation"),
    )
    expert_field = forms.ChoiceField(
        label="Domaine d'expertise (collège des experts)",
        choices=[("", "Sans objet"), *ExpertField.choices],
        required=False,
    )
    birth_date = BoundedDateField(
        bounds=BIRTH,
        label="Date de naissance (collège des enfants)",
        help_text="Elle sert seulement à vérifier l'âge et n'est jamais affichée.",
        widget=DATE_WIDGET,
        required=False,
    )
    gender = forms.ChoiceField(
        label="Genre (facultatif)",
        help_text="Sert seulement à un tirage au sort qui reflète le territoire.",
        choices=[("", "Je ne souhaite pas répondre"), *Gender.choices],
        required=False,
    )
    age_band = forms.ChoiceField(
        label="Tranche d'âge (facultatif)",
        choices=[("", "Je ne souhaite pas répondre"), *AgeBand.choices],
        required=False,
    )


class DrawForm(forms.Form):
    college = forms.ModelChoiceField(
        label="Collège", queryset=College.objects.all(), empty_label="Choisir un collège"
    )
    seats = forms.IntegerField(label="Nombre de sièges à tirer", min_value=1, max_value=26)
    seed = BoundedTextField(
        label="Graine (facultatif)",
        help_text="Par exemple les numéros d'un tirage public annoncé à l'avance. "
        "Laisser vide : la plateforme en tire une au hasard et la publie.",
        limit=model_limit(Draw, "seed"),
        required=False,
    )
    stratification = forms.ChoiceField(
        label="Stratification", choices=Stratification.choices, required=False
    )


class SeatApplicationForm(MandateDatesMixin):
    pass


class ConsentForm(forms.Form):
    parent_name = BoundedTextField(
        label="Nom du parent qui consent", limit=model_limit(ChildProfile, "consent_parent_name")
    )
    given_on = BoundedDateField(
        bounds=CONSENT_DAY, label="Date du consentement", widget=DATE_WIDGET
    )
    method = forms.ChoiceField(label="Forme du consentement", choices=ConsentMethod.choices)


class MeetingForm(forms.Form):
    title = BoundedTextField(label="Titre", limit=model_limit(Meeting, "title"))
    starts_at = BoundedDateTimeField(
        bounds=PLANNED,
        too_early=MEETING_IN_THE_PAST,
        label="Date et heure",
        widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    place = BoundedTextField(label="Lieu", limit=model_limit(Meeting, "place"), required=False)
    online_link = forms.URLField(
        label="Lien de la réunion en ligne", required=False, assume_scheme="https"
    )
    agenda = BoundedTextField(
        label="Ordre du jour",
        help_text=f"Un point par ligne ({model_limit(AgendaItem, 'title')} caractères au plus "
        "chacun).",
        widget=forms.Textarea(attrs={"rows": 5}),
        limit=AGENDA_MAX_LENGTH,
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("online_link") and not self.errors:
            self.add_error("place", "Indiquez un lieu ou un lien de réunion en ligne.")
        return cleaned

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if value < timezone.now():
            raise forms.ValidationError(MEETING_IN_THE_PAST)
        return value


class DecisionForm(forms.Form):
    text = BoundedTextField(
        label="Décision prise",
        widget=forms.Textarea(attrs={"rows": 3}),
        limit=model_limit(Decision, "text"),
    )


class MinutesForm(forms.Form):
    text = BoundedTextField(
        label="Compte rendu",
        widget=forms.Textarea(attrs={"rows": 12}),
        limit=model_limit(Minutes, "text"),
    )


class PriorityForm(forms.Form):
    title = BoundedTextField(
        label="Besoin ou problème du territoire", limit=model_limit(Priority, "title")
    )
    description = BoundedTextField(
        label="Précisions (facultatif)",
        widget=forms.Textarea(attrs={"rows": 3}),
        limit=model_limit(Priority, "description"),
        required=False,
    )


class BallotDatesForm(forms.Form):
    opens_at = BoundedDateTimeField(
        bounds=PLANNED,
        label="Ouverture du vote",
        widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    closes_at = BoundedDateTimeField(
        bounds=PLANNED,
        label="Clôture du vote",
        widget=DATETIME_WIDGET,
        input_formats=["%Y-%m-%dT%H:%M"],
    )

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "La clôture doit suivre l'ouverture.")
        return cleaned
