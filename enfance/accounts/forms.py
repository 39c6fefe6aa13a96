from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from django import forms

from enfance.territories.forms import CommuneField
from enfance.territories.models import Departement, Region

from .enums import RoleKind, TitleForm
from .models import User


class SignupForm(allauth_forms.SignupForm):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    commune = CommuneField()

    field_order = ["first_name", "last_name", "email", "commune", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = "Format attendu : nom@domaine.fr"
        self.fields["email"].label = "Adresse électronique"

    def validate_unique_email(self, value):
        """Says when an address is taken, as the foundation issue asks, although allauth hides
        it elsewhere (ACCOUNT_PREVENT_ENUMERATION): it would send the owner an e-mail instead."""
        email = super().validate_unique_email(value)
        if self.account_already_exists:
            raise get_adapter().validation_error("email_taken")
        return email

    def save(self, request):
        user = super().save(request)
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.commune = self.cleaned_data["commune"]
        user.save(update_fields=["first_name", "last_name", "commune"])
        return user


class ProfileForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=150)
    last_name = forms.CharField(label="Nom", max_length=150)
    commune = CommuneField()
    full_name_in_instances = forms.BooleanField(
        label="Afficher mon nom complet sur les pages publiques des instances dont je suis membre",
        help_text=(
            "Sans cette case, vous y apparaissez par votre prénom et l'initiale de votre nom "
            "(par exemple « Marie D. »). Le secrétariat de l'instance voit toujours votre nom "
            "complet. Un membre du collège des enfants n'apparaît que par son prénom."
        ),
        required=False,
    )
    title_form = forms.ChoiceField(
        label="Comment écrire vos titres (par exemple « animatrice » ou « animateur »)",
        help_text=(
            "Sur vos pages et sur celles qui vous nomment comme secrétaire ou pour l'animation."
        ),
        choices=[("", "Sans préférence : la forme officielle du titre"), *TitleForm.choices],
        widget=forms.RadioSelect,
        required=False,
    )


class DeleteAccountForm(forms.Form):
    confirmation = forms.CharField(
        label="Pour confirmer, tapez SUPPRIMER",
        help_text="Cette action est définitive : votre compte et vos données seront effacés.",
    )

    def clean_confirmation(self):
        value = self.cleaned_data["confirmation"].strip()
        if value.upper() != "SUPPRIMER":
            raise forms.ValidationError("Tapez exactement le mot SUPPRIMER pour confirmer.")
        return value


class GrantRoleForm(forms.Form):
    email = forms.EmailField(label="Adresse électronique de la personne")
    kind = forms.ChoiceField(label="Rôle", choices=[("", "Choisir un rôle"), *RoleKind.choices])
    region = forms.ModelChoiceField(
        label="Région",
        queryset=Region.objects.all(),
        required=False,
        empty_label="Aucune (national ou département)",
    )
    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.all(),
        required=False,
        empty_label="Aucun (national ou région)",
        help_text="Laissez région et département vides pour un rôle national.",
    )

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(
                "Aucun compte n'utilise cette adresse. La personne doit d'abord créer son compte."
            )
        self.target_user = user
        return email

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("region") and cleaned.get("departement"):
            self.add_error("departement", "Choisissez une région ou un département, pas les deux.")
        return cleaned
