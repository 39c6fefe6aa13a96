from allauth.account import forms as allauth_forms
from django import forms

from enfance.territories.forms import CommuneField
from enfance.territories.models import Departement, Region

from .enums import RoleKind
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
