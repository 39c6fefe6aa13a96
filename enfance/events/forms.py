from datetime import datetime

from django import forms
from django.utils import timezone

from enfance.accounts.models import User
from enfance.assemblies.forms import BallotDatesForm
from enfance.assemblies.models import College, Instance, InstanceProposal
from enfance.core.dates import PLANNED
from enfance.core.forms import BoundedDateField, DateInput
from enfance.core.text import BoundedTextField, model_limit
from enfance.territories.forms import CommuneField
from enfance.territories.models import Departement, Region

from .enums import AGENDA_KINDS, MAX_CAPACITY, EventKind, EventStatus
from .models import Event
from .services import (
    DESCRIPTION_MAX_LENGTH,
    MINUTES_MAX_LENGTH,
    OUTCOME_LIST_MAX_LENGTH,
    PRIORITIES_MAX_LENGTH,
    REASON_MAX_LENGTH,
)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


class AtelierForm(forms.Form):
    """What a volunteer fills in to propose an atelier citoyen."""

    title = BoundedTextField(
        label="Titre",
        limit=model_limit(Event, "title"),
        help_text="Par exemple : « Atelier citoyen : les priorités de la protection de "
        "l'enfance à Villeurbanne ».",
    )
    commune = CommuneField(
        label="Commune",
        help_text="La commune du lieu, dans votre département. Tapez le nom ou le code postal.",
    )
    place = BoundedTextField(
        label="Adresse du lieu",
        limit=model_limit(Event, "place"),
        help_text="Salle, numéro et rue : ce que les participants liront pour venir.",
    )
    date = BoundedDateField(
        bounds=PLANNED, label="Date", widget=DateInput, help_text="Format attendu : JJ/MM/AAAA."
    )
    start_time = forms.TimeField(label="Heure de début", widget=TimeInput, help_text="Ex. 18:30")
    end_time = forms.TimeField(label="Heure de fin", widget=TimeInput, help_text="Ex. 20:30")
    capacity = forms.IntegerField(
        label="Nombre de places",
        min_value=1,
        max_value=MAX_CAPACITY,
        help_text=f"De 1 à {MAX_CAPACITY}. Au-delà, une liste d'attente s'ouvre.",
    )
    description = BoundedTextField(
        label="Description",
        limit=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Le but de l'atelier, son déroulé, à qui il s'adresse.",
    )

    default_kind = EventKind.ATELIER

    def clean(self):
        cleaned = super().clean()
        date, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if date and start and end:
            cleaned["starts_at"] = timezone.make_aware(datetime.combine(date, start))
            cleaned["ends_at"] = timezone.make_aware(datetime.combine(date, end))
            if cleaned["starts_at"] <= timezone.now():
                self.add_error("date", "Choisissez une date à venir.")
            if end <= start:
                self.add_error("end_time", "L'heure de fin doit venir après l'heure de début.")
        return cleaned

    def event_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data.get("kind", self.default_kind),
            "title": data["title"],
            "description": data["description"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "place": data.get("place", ""),
            "online_url": data.get("online_url", ""),
            "commune": data.get("commune"),
            "capacity": data.get("capacity"),
            "instance": data.get("instance"),
        }


class EventForm(AtelierForm):
    """Forums and lives, organised by the administration or an instance's secretariat."""

    kind = forms.ChoiceField(label="Type d'événement", choices=AGENDA_KINDS)
    online_url = forms.URLField(
        assume_scheme="https",
        label="Lien de connexion (live)",
        required=False,
        help_text="Pour un live : l'adresse où le suivre, par exemple https://www.tiktok.com/@…",
    )

    instance = forms.ModelChoiceField(
        label="Instance locale",
        queryset=Instance.objects.none(),
        required=False,
        empty_label="Aucune",
        help_text="L'instance qui organise l'événement, s'il y en a une.",
    )

    field_order = ["kind", "title", "commune", "place", "online_url", "instance"]

    def __init__(self, *args, instances=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instance"].queryset = (
            instances if instances is not None else Instance.objects.none()
        )
        for name in ("commune", "place", "capacity"):
            self.fields[name].required = False
        self.fields["commune"].help_text = "Obligatoire sauf pour un live en ligne national."
        self.fields["place"].help_text = "Obligatoire sauf pour un live."
        self.fields[
            "capacity"
        ].help_text = f"De 1 à {MAX_CAPACITY}; facultatif pour un live (places illimitées)."


class ReasonForm(forms.Form):
    reason = BoundedTextField(
        label="Motif",
        limit=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Il sera envoyé par courriel aux personnes concernées.",
    )


class AddHostForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique de la personne",
        help_text="La personne doit avoir un compte sur la plateforme.",
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        self.host = User.objects.filter(email__iexact=email).first()
        if self.host is None:
            raise forms.ValidationError(
                "Aucun compte n'utilise cette adresse. La personne doit d'abord créer son compte."
            )
        return email


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class OutcomeForm(forms.Form):
    minutes = BoundedTextField(
        label="Compte rendu",
        limit=MINUTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Ce qui s'est dit et décidé. Il sera public.",
    )
    priorities = BoundedTextField(
        label="Priorités adoptées",
        required=False,
        limit=OUTCOME_LIST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Une priorité par ligne, dans l'ordre adopté.",
    )
    elected = BoundedTextField(
        label="Personnes élues",
        required=False,
        limit=OUTCOME_LIST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Une personne par ligne avec son collège, par exemple « Sophie M. — "
        "collège des parents ». Pour un enfant : son prénom seulement.",
    )

    def clean_priorities(self):
        return _lines(self.cleaned_data["priorities"])

    def clean_elected(self):
        return _lines(self.cleaned_data["elected"])


class CalendarFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label="Région",
        queryset=Region.objects.all(),
        to_field_name="code",
        required=False,
        empty_label="Toutes les régions",
    )
    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.all(),
        to_field_name="code",
        required=False,
        empty_label="Tous les départements",
    )
    kind = forms.ChoiceField(
        label="Type", choices=[("", "Tous les types"), *AGENDA_KINDS], required=False
    )
    periode = forms.ChoiceField(
        label="Période",
        choices=[("", "À venir"), ("passes", "Passés")],
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "fr-select"


class PriorityVoteForm(BallotDatesForm):
    priorities = BoundedTextField(
        label="Besoins et problèmes du territoire",
        help_text="Un par ligne, tels que l'atelier les a formulés (au moins deux).",
        widget=forms.Textarea(attrs={"rows": 6}),
        limit=PRIORITIES_MAX_LENGTH,
    )

    field_order = ["priorities", "opens_at", "closes_at"]


class CollegeElectionForm(BallotDatesForm):
    """An election of an instance's college members, held at one of its département's
    ateliers."""

    college = forms.ModelChoiceField(
        label="Collège", queryset=College.objects.all(), empty_label="Choisir un collège"
    )
    event = forms.ModelChoiceField(
        label="Atelier où se tient l'élection",
        queryset=Event.objects.none(),
        empty_label="Choisir un atelier",
        help_text="Les personnes notées présentes à l'atelier votent.",
    )

    field_order = ["college", "event", "opens_at", "closes_at"]

    def __init__(self, *args, instance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = Event.objects.filter(
            kind=EventKind.ATELIER,
            departement_id=instance.departement_id,
            status__in=[EventStatus.PUBLISHED, EventStatus.FINISHED],
        ).order_by("-starts_at")


class InstanceProposalForm(forms.Form):
    name = BoundedTextField(
        label="Nom de l'instance proposée", limit=model_limit(InstanceProposal, "name")
    )
    description = BoundedTextField(
        label="Pourquoi cette instance",
        help_text="Le territoire qu'elle couvre, les personnes prêtes à s'engager, ce qui est "
        "ressorti du forum.",
        widget=forms.Textarea(attrs={"rows": 5}),
        limit=model_limit(InstanceProposal, "description"),
        required=False,
    )
