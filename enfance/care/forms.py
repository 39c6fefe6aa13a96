from django import forms

from enfance.core.forms import BoundedDateField
from enfance.territories.forms import CommuneField

from .enums import AgeBand, Authority, ManagerKind, PlaceType, StructureKind
from .models import (
    AUTHORISED_DAY,
    CHILDREN_MAX,
    JOINED_DAY,
    NAME_MAX,
    NEEDS_MAX,
    REASON_MAX,
    WISHED_DAY,
)


class StructureForm(forms.Form):
    name = forms.CharField(label="Nom de la structure", max_length=NAME_MAX)
    kind = forms.ChoiceField(label="Type de structure", choices=StructureKind.choices)
    finess = forms.CharField(
        label="Numéro FINESS",
        max_length=12,
        help_text="Neuf caractères, sur l'avis d'autorisation. Par exemple : 690780010.",
    )
    commune = CommuneField(
        help_text="Seule la commune est enregistrée, jamais l'adresse. Tapez le nom ou le code "
        "postal, puis choisissez dans la liste."
    )
    authority = forms.ChoiceField(
        label="Autorité qui a autorisé la structure", choices=Authority.choices
    )
    authorised_on = BoundedDateField(
        label="Date de l'autorisation",
        bounds=AUTHORISED_DAY,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    authorised_capacity = forms.IntegerField(
        label="Capacité autorisée (places)", min_value=1, max_value=2000
    )
    manager_kind = forms.ChoiceField(label="Type de gestionnaire", choices=ManagerKind.choices)
    manager_name = forms.CharField(
        label="Nom du gestionnaire",
        max_length=NAME_MAX,
        help_text="L'association, le département ou la SCIC qui gère la structure.",
    )
    age_min = forms.IntegerField(
        label="Âge minimum accueilli", min_value=0, max_value=21, initial=0
    )
    age_max = forms.IntegerField(
        label="Âge maximum accueilli", min_value=0, max_value=21, initial=17
    )
    takes_siblings = forms.BooleanField(label="Accueille des fratries", required=False)
    takes_disability = forms.BooleanField(
        label="Accueille des enfants en situation de handicap", required=False
    )
    takes_mother_child = forms.BooleanField(label="Accueil mère-enfant", required=False)
    takes_urgent = forms.BooleanField(label="Admissions en urgence", required=False)


class CategoryForm(forms.Form):
    place_type = forms.ChoiceField(label="Type de place", choices=PlaceType.choices)
    age_band = forms.ChoiceField(label="Tranche d'âge", choices=AgeBand.choices)
    siblings = forms.BooleanField(label="Fratries accueillies ensemble", required=False)
    disability = forms.BooleanField(label="Handicap pris en charge", required=False)
    capacity = forms.IntegerField(label="Places installées", min_value=1, max_value=500)


class ManagerForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique du gestionnaire",
        help_text="Elle doit avoir le rôle de gestionnaire de structure dans ce département.",
    )


class JoinForm(forms.Form):
    joined_on = BoundedDateField(
        label="Date de la décision de participer",
        bounds=JOINED_DAY,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def places(count: int) -> str:
    return f"{count} place libre" if count < 2 else f"{count} places libres"


class DeclarationForm(forms.Form):
    """One field of free places per category, bounded by its open capacity."""

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        for category in categories:
            self.fields[f"free_{category.pk}"] = forms.IntegerField(
                label=category.label,
                min_value=0,
                max_value=category.open_capacity,
                initial=category.free,
                help_text=f"De 0 à {places(category.open_capacity)}.",
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "data-stepper": ""}),
                error_messages={
                    "required": "Indiquez le nombre de places libres (0 si aucune).",
                    "min_value": "Le nombre de places libres ne peut pas être négatif.",
                    "max_value": f"Au plus {places(category.open_capacity)} : c'est le "
                    "nombre de places installées et ouvertes.",
                },
            )

    def rows(self):
        """Each category with its field, for the page."""
        return [(self[f"free_{c.pk}"], c) for c in self.categories]

    def figures(self) -> dict[int, dict]:
        return {c.pk: {"free": self.cleaned_data[f"free_{c.pk}"]} for c in self.categories}


SEARCH_OWN_DEPARTEMENT_ONLY = "departement"


class SearchForm(forms.Form):
    # The same fields and choices for every searcher (core/templatetags/ui.py keeps the markup).
    markup_from_values = True

    age_band = forms.ChoiceField(
        label="Tranche d'âge", choices=[("", "Toutes"), *AgeBand.choices], required=False
    )
    place_type = forms.ChoiceField(
        label="Type de place", choices=[("", "Tous"), *PlaceType.choices], required=False
    )
    siblings = forms.BooleanField(label="Une fratrie à accueillir ensemble", required=False)
    disability = forms.BooleanField(label="Un handicap à prendre en charge", required=False)
    urgent = forms.BooleanField(label="Accueil en urgence", required=False)
    zone = forms.ChoiceField(
        label="Où chercher",
        choices=[
            ("", "Le département et ses voisins qui participent"),
            (SEARCH_OWN_DEPARTEMENT_ONLY, "Le département seulement"),
        ],
        required=False,
    )


class RequestForm(forms.Form):
    """A request for a place: what the structures need to know, never who the child is."""

    place_type = forms.ChoiceField(label="Type de place", choices=PlaceType.choices)
    age_band = forms.ChoiceField(label="Tranche d'âge", choices=AgeBand.choices)
    children = forms.IntegerField(
        label="Nombre d'enfants à accueillir ensemble",
        min_value=1,
        max_value=CHILDREN_MAX,
        initial=1,
        help_text="Plus d'un : une fratrie, accueillie dans une même structure.",
    )
    disability = forms.BooleanField(label="Un handicap à prendre en charge", required=False)
    urgent = forms.BooleanField(
        label="Urgence (réponse attendue dans les 4 heures)", required=False
    )
    wished_on = BoundedDateField(
        label="Date d'accueil souhaitée",
        bounds=WISHED_DAY,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    needs = forms.CharField(
        label="Besoins, en quelques mots",
        max_length=NEEDS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ne nommez jamais l'enfant ni sa famille, et ne donnez aucun élément de son "
        "dossier : la structure les recevra du service, une fois la place acceptée.",
    )


class AnswerForm(forms.Form):
    reason = forms.CharField(
        label="Motif du refus",
        max_length=REASON_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Demandé seulement si vous refusez.",
    )
