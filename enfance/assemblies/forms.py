from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

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
from .models import College

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


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
    name = forms.CharField(label="Nom de l'instance", max_length=150)
    departement = forms.ModelChoiceField(
        label="Département", queryset=Departement.objects.order_by("code"), to_field_name="code"
    )
    commune_codes = forms.CharField(
        label="Communes du bassin de vie (facultatif)",
        help_text="Codes INSEE séparés par des espaces, par exemple : 69123 69266. "
        "Laisser vide pour tout le département.",
        required=False,
    )
    description = forms.CharField(
        label="Présentation (facultatif)", widget=forms.Textarea, max_length=2000, required=False
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
    mandate_start = forms.DateField(label="Début du mandat", widget=DATE_WIDGET)
    mandate_end = forms.DateField(
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
    ended_on = forms.DateField(label="Fin effective", widget=DATE_WIDGET)
    reason = forms.ChoiceField(label="Motif", choices=EndReason.choices)


class ApplicationForm(forms.Form):
    college = forms.ModelChoiceField(
        label="Collège", queryset=College.objects.all(), empty_label="Choisir un collège"
    )
    motivation = forms.CharField(
        label="Votre motivation",
        help_text="Quelques lignes : ce qui vous amène, ce que vous pouvez apporter "
        "(1 000 caractères au plus).",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=1000,
    )
    expert_field = forms.ChoiceField(
        label="Domaine d'expertise (collège des experts)",
        choices=[("", "Sans objet"), *ExpertField.choices],
        required=False,
    )
    birth_date = forms.DateField(
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
    seed = forms.CharField(
        label="Graine (facultatif)",
        help_text="Par exemple les numéros d'un tirage public annoncé à l'avance. "
        "Laisser vide : la plateforme en tire une au hasard et la publie.",
        max_length=100,
        required=False,
    )
    stratification = forms.ChoiceField(
        label="Stratification", choices=Stratification.choices, required=False
    )


class SeatApplicationForm(MandateDatesMixin):
    pass


class ConsentForm(forms.Form):
    parent_name = forms.CharField(label="Nom du parent qui consent", max_length=150)
    given_on = forms.DateField(label="Date du consentement", widget=DATE_WIDGET)
    method = forms.ChoiceField(label="Forme du consentement", choices=ConsentMethod.choices)


class MeetingForm(forms.Form):
    title = forms.CharField(label="Titre", max_length=150)
    starts_at = forms.DateTimeField(
        label="Date et heure", widget=DATETIME_WIDGET, input_formats=["%Y-%m-%dT%H:%M"]
    )
    place = forms.CharField(label="Lieu", max_length=200, required=False)
    online_link = forms.URLField(
        label="Lien de la réunion en ligne", required=False, assume_scheme="https"
    )
    agenda = forms.CharField(
        label="Ordre du jour",
        help_text="Un point par ligne.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("online_link") and not self.errors:
            self.add_error("place", "Indiquez un lieu ou un lien de réunion en ligne.")
        return cleaned

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if value < timezone.now():
            raise forms.ValidationError("La réunion doit avoir lieu dans le futur.")
        return value


class DecisionForm(forms.Form):
    text = forms.CharField(
        label="Décision prise", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class MinutesForm(forms.Form):
    text = forms.CharField(
        label="Compte rendu", widget=forms.Textarea(attrs={"rows": 12}), max_length=20000
    )


class PriorityForm(forms.Form):
    title = forms.CharField(label="Besoin ou problème du territoire", max_length=150)
    description = forms.CharField(
        label="Précisions (facultatif)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


class BallotDatesForm(forms.Form):
    opens_at = forms.DateTimeField(
        label="Ouverture du vote", widget=DATETIME_WIDGET, input_formats=["%Y-%m-%dT%H:%M"]
    )
    closes_at = forms.DateTimeField(
        label="Clôture du vote", widget=DATETIME_WIDGET, input_formats=["%Y-%m-%dT%H:%M"]
    )

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "La clôture doit suivre l'ouverture.")
        return cleaned


class CollegeElectionForm(BallotDatesForm):
    college = forms.ModelChoiceField(
        label="Collège", queryset=College.objects.all(), empty_label="Choisir un collège"
    )
    event = forms.ModelChoiceField(
        label="Atelier où se tient l'élection",
        queryset=None,
        empty_label="Choisir un atelier",
        help_text="Les personnes notées présentes à l'atelier votent.",
    )

    field_order = ["college", "event", "opens_at", "closes_at"]

    def __init__(self, *args, instance, **kwargs):
        from enfance.events.enums import EventKind, EventStatus
        from enfance.events.models import Event

        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(
            kind=EventKind.ATELIER,
            departement_id=instance.departement_id,
            status__in=[EventStatus.PUBLISHED, EventStatus.FINISHED],
        ).order_by("-starts_at")


class InstanceProposalForm(forms.Form):
    name = forms.CharField(label="Nom de l'instance proposée", max_length=150)
    description = forms.CharField(
        label="Pourquoi cette instance",
        help_text="Le territoire qu'elle couvre, les personnes prêtes à s'engager, ce qui est "
        "ressorti du forum.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=2000,
        required=False,
    )
