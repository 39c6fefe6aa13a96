import hashlib

from django import forms
from django.core.cache import caches
from django.utils.functional import lazy

from enfance.core.forms import BoundedDateField
from enfance.core.text import BoundedTextField, model_limit
from enfance.territories.forms import CommuneField
from enfance.territories.models import Commune

from . import conf
from .models import (
    COLLECTION_DAY,
    MAX_SHEETS_PER_ENTRY,
    MAX_SIGNATURES_PER_SHEET_ENTRY,
    PaperSheet,
    Signature,
)

# How long a resolved commune label is remembered: communes change once a year at most.
COMMUNE_CACHE_SECONDS = 3600


class CachedCommuneField(CommuneField):
    """The commune picker, with what the text resolved to kept in the process's own cache
    (reference data, the same for every process): during a surge the same few thousand labels
    come back again and again, and each lookup is a query."""

    def to_python(self, value):
        if isinstance(value, Commune) or value in self.empty_values:
            return super().to_python(value)
        text = " ".join(str(value).split())
        key = "petitions:commune:" + hashlib.sha256(text.encode()).hexdigest()[:32]
        hit = caches["local"].get(key)
        if hit is not None:
            pk, departement_id, name, postal_codes = hit
            return Commune(
                pk=pk, departement_id=departement_id, name=name, postal_codes=postal_codes
            )
        commune = super().to_python(text)
        caches["local"].set(
            key,
            (commune.pk, commune.departement_id, commune.name, commune.postal_codes),
            COMMUNE_CACHE_SECONDS,
        )
        return commune


def _consent_help() -> str:
    return (
        "Ces données ne sont jamais publiées ; seule l'administration nationale y accède pour "
        f"le dépôt. Elles sont effacées {conf.get('ANONYMISE_AFTER_DAYS')} jours après le dépôt "
        "de la pétition."
    )


class SignatureForm(forms.Form):
    """Built on every signing of a surge: no work in __init__ (help texts are lazy, widget
    attributes declared once)."""

    first_name = BoundedTextField(
        limit=model_limit(Signature, "first_name"),
        label="Prénom",
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    last_name = BoundedTextField(
        limit=model_limit(Signature, "last_name"),
        label="Nom",
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        widget=forms.EmailInput({"autocomplete": "email"}),
        help_text="Vous y recevrez le lien qui confirme votre signature. Format attendu : "
        "nom@domaine.fr",
        error_messages={
            "invalid": "Saisissez une adresse électronique valide, par exemple "
            "camille.martin@exemple.fr."
        },
    )
    commune = CachedCommuneField(
        help_text="La commune où vous habitez : elle compte pour votre département. Tapez le "
        "nom ou le code postal, puis choisissez dans la liste."
    )
    consent = forms.BooleanField(
        label="J'accepte que mes nom, prénom, adresse électronique et commune soient utilisés "
        "pour enregistrer ma signature et la déposer avec la pétition.",
        help_text=lazy(_consent_help, str)(),
        error_messages={
            "required": "Cochez cette case pour signer : sans elle, nous ne pouvons pas "
            "enregistrer votre signature."
        },
    )


class PaperSheetForm(forms.Form):
    instance = forms.ModelChoiceField(label="Instance", queryset=None, empty_label=None)
    collected_at = BoundedTextField(
        limit=model_limit(PaperSheet, "collected_at"),
        label="Lieu de collecte",
        help_text="Par exemple : « Forum ouvert de Villeurbanne ».",
    )
    collected_on = BoundedDateField(
        bounds=COLLECTION_DAY,
        label="Date de collecte",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Format attendu : JJ/MM/AAAA.",
    )
    sheets = forms.IntegerField(
        label="Nombre de feuilles", min_value=1, max_value=MAX_SHEETS_PER_ENTRY
    )
    signatures = forms.IntegerField(
        label="Nombre de signatures",
        min_value=1,
        max_value=MAX_SIGNATURES_PER_SHEET_ENTRY,
        help_text="Les signatures lisibles et complètes seulement, comptées sur les feuilles.",
    )

    def __init__(self, *args, instances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instance"].queryset = instances


class WithdrawSheetForm(forms.Form):
    reason = BoundedTextField(
        limit=model_limit(PaperSheet, "withdrawal_reason"),
        label="Motif du retrait",
        help_text="Par exemple : « Feuilles saisies deux fois ». Le motif est public.",
    )
