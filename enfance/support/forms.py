from django import forms
from django.conf import settings

from enfance.core.forms import BoundedDateField
from enfance.core.text import BoundedTextField, model_limit
from enfance.events.forms import AtelierForm
from enfance.events.models import Event
from enfance.proposals.models import Proposal
from enfance.safeguarding.services import REASON_MAX_LENGTH
from enfance.territories.models import Departement

from .enums import ChildAge, InterlocutorRole, Subject
from .models import (
    ANNOUNCEMENT_MAX,
    CONSULTED_DAY,
    CONTACT_MAX,
    GROUP_DESCRIPTION_MAX,
    GROUP_REASON_MAX,
    MESSAGE_MAX,
    NAME_MAX,
    PSEUDONYM_MAX,
    QUESTION_MAX,
    REACH_MAX,
    SITUATION_MAX,
    SUMMARY_MAX,
    TESTIMONY_MAX,
    WHY_MAX,
    SupportGroup,
)


class RequestForm(forms.Form):
    subject = forms.ChoiceField(
        label="Votre demande concerne",
        choices=Subject.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le sujet de votre demande."},
    )
    departement = forms.ModelChoiceField(
        label="Votre département",
        queryset=Departement.objects.order_by("code"),
        empty_label="Choisissez votre département",
        help_text="Celui où la situation se passe : il dit quels professionnels peuvent répondre.",
        error_messages={"required": "Choisissez votre département."},
    )
    child_age = forms.ChoiceField(
        label="Âge de l'enfant concerné",
        choices=[("", "Choisissez"), *ChildAge.choices],
        error_messages={"required": "Indiquez l'âge de l'enfant concerné."},
    )
    situation = BoundedTextField(
        label="La situation, avec vos mots",
        limit=SITUATION_MAX,
        label_in_message="Votre message",
        help_text="Ce qui se passe, ce que vous avez déjà essayé, ce que vous voudriez savoir. "
        "Inutile d'écrire le nom de votre enfant.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Dites-nous, avec vos mots, ce qui se passe."},
    )
    contact = BoundedTextField(
        label="Comment et quand vous joindre (facultatif)",
        limit=CONTACT_MAX,
        label_in_message="Le moyen de vous joindre",
        required=False,
        help_text="Par exemple : « par téléphone au 06…, en semaine après 18 h ». Sinon, la "
        "réponse vous attend ici.",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MessageForm(forms.Form):
    # The same fields and choices for everyone (core/templatetags/ui.py keeps the markup).
    markup_from_values = True

    body = BoundedTextField(
        label="Votre message",
        limit=MESSAGE_MAX,
        label_in_message="Le message",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Écrivez votre message."},
    )
    attachment = forms.FileField(
        label="Joindre un document (facultatif)",
        required=False,
        help_text=f"Un PDF ou une image (PNG, JPEG), "
        f"{settings.SUPPORT_ATTACHMENT_MAX_BYTES // 1_000_000} Mo au plus. Il est chiffré, "
        "comme vos messages.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class DisclosureForm(forms.Form):
    # The same fields and choices for everyone (core/templatetags/ui.py keeps the markup).
    markup_from_values = True

    reason = BoundedTextField(
        label="Ce qui vous fait craindre un danger pour un enfant",
        limit=REASON_MAX_LENGTH,
        label_in_message="Ce qui vous fait craindre un danger",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Un référent protection lit la demande et suit la procédure légale (119, "
        "cellule de recueil des informations préoccupantes). Le parent en est informé, sauf si "
        "le référent juge que cela mettrait l'enfant en danger.",
        error_messages={
            "required": "Dites ce qui, dans la demande, fait craindre un danger pour un enfant."
        },
    )


class QueueFilterForm(forms.Form):
    # The same fields and choices for everyone (core/templatetags/ui.py keeps the markup).
    markup_from_values = True

    sujet = forms.ChoiceField(
        label="Sujet", choices=[("", "Tous"), *Subject.choices], required=False
    )
    age = forms.ChoiceField(
        label="Âge de l'enfant", choices=[("", "Tous"), *ChildAge.choices], required=False
    )


class SubjectsForm(forms.Form):
    # The same fields and choices for everyone (core/templatetags/ui.py keeps the markup).
    markup_from_values = True

    subjects = forms.MultipleChoiceField(
        label="Les sujets auxquels vous répondez",
        choices=Subject.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Votre file montre les demandes de ces sujets, dans le territoire de votre rôle.",
    )


class QuestionForm(forms.Form):
    markup_from_values = True

    pseudonym = BoundedTextField(
        label="Votre pseudonyme",
        limit=PSEUDONYM_MAX,
        label_in_message="Le pseudonyme",
        help_text="C'est lui qui s'affiche avec votre question, jamais votre nom.",
        error_messages={
            "required": "Choisissez un pseudonyme : c'est lui qui s'affiche, pas votre nom."
        },
    )
    text = BoundedTextField(
        label="Votre question",
        limit=QUESTION_MAX,
        label_in_message="La question",
        help_text="Un animateur la relit avant qu'elle s'affiche. N'y mettez aucun nom, ni le "
        "vôtre ni celui d'un enfant.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Écrivez votre question."},
    )


class RecordForm(forms.Form):
    replay_url = forms.URLField(
        assume_scheme="https",
        label="Lien du replay (facultatif)",
        required=False,
        error_messages={"invalid": "Saisissez une adresse qui commence par https://."},
    )
    summary = BoundedTextField(
        label="Synthèse écrite des réponses",
        limit=SUMMARY_MAX,
        label_in_message="La synthèse",
        help_text="Ce que les intervenants ont répondu, sans aucun nom.",
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "Écrivez la synthèse des réponses, sans aucun nom."},
    )


class InterlocutorForm(forms.Form):
    markup_from_values = True

    role = forms.ChoiceField(
        label="Qui est-ce pour l'enfant ?",
        choices=[("", "Choisissez"), *InterlocutorRole.choices],
        error_messages={"required": "Dites qui est cette personne pour l'enfant."},
    )
    name = BoundedTextField(
        label="Son nom",
        limit=NAME_MAX,
        label_in_message="Le nom",
        error_messages={"required": "Écrivez son nom."},
    )
    reach = BoundedTextField(
        label="Comment la joindre (facultatif)",
        limit=REACH_MAX,
        label_in_message="Le moyen de la joindre",
        required=False,
    )
    why = BoundedTextField(
        label="Pourquoi les services devraient l'écouter (facultatif)",
        limit=WHY_MAX,
        label_in_message="La raison",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


OUTCOMES = [("", "Je ne sais pas encore"), ("oui", "Consultée"), ("non", "Pas consultée")]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Les services l'ont-ils consultée ?", choices=OUTCOMES, required=False
    )
    consulted_on = BoundedDateField(
        label="Le (si vous le savez)",
        bounds=CONSULTED_DAY,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class TestimonyForm(forms.Form):
    text = BoundedTextField(
        label="Le témoignage, en quelques lignes",
        limit=TESTIMONY_MAX,
        label_in_message="Le témoignage",
        help_text="Écrit avec vos mots à partir de ce que le parent a vécu, sans aucun nom ni "
        "détail qui permette de reconnaître la famille. Le parent le lira et décidera.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Écrivez le témoignage, en quelques lignes, sans aucun nom."},
    )
    themes = forms.MultipleChoiceField(
        label="Ses thèmes",
        choices=Subject.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choisissez au moins un thème."},
    )
    proposals = forms.ModelMultipleChoiceField(
        label="Les propositions phares qu'il appuie (facultatif)",
        queryset=Proposal.objects.flagship(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


# Groupes de parole ---------------------------------------------------------------------------


class GroupForm(forms.Form):
    title = BoundedTextField(
        label="Nom du groupe",
        limit=model_limit(SupportGroup, "title"),
        help_text="Par exemple : « Parents d'enfants placés — Lyon ».",
    )
    theme = forms.ChoiceField(label="Thème", choices=[("", "Choisissez"), *Subject.choices])
    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.order_by("code"),
        empty_label="Choisissez le département",
        help_text="Un département que couvre votre rôle de professionnel.",
    )
    description = BoundedTextField(
        label="Présentation",
        limit=GROUP_DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="À qui le groupe s'adresse, le rythme et le déroulé des séances.",
    )


class GroupFilterForm(forms.Form):
    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label="Tous les départements",
    )
    theme = forms.ChoiceField(
        label="Thème", choices=[("", "Tous les thèmes"), *Subject.choices], required=False
    )


class JoinForm(forms.Form):
    charter = forms.BooleanField(
        label="J'ai lu la charte de confidentialité et je m'engage à la respecter",
        error_messages={
            "required": "Pour rejoindre le groupe, acceptez la charte de confidentialité."
        },
    )


class AnnouncementForm(forms.Form):
    text = BoundedTextField(
        label="Annonce aux membres",
        limit=ANNOUNCEMENT_MAX,
        label_in_message="L'annonce",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Chaque membre reçoit un courriel qui l'invite à la lire ici.",
    )


class ReasonForm(forms.Form):
    reason = BoundedTextField(
        label="Motif",
        limit=GROUP_REASON_MAX,
        label_in_message="Le motif",
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SessionForm(AtelierForm):
    """A session of a group, in a place or online: the fields of the agenda's forms."""

    online_url = forms.URLField(
        assume_scheme="https",
        label="Lien de connexion (séance en ligne)",
        max_length=model_limit(Event, "online_url"),
        required=False,
        help_text="Donné aux seuls membres inscrits.",
    )

    field_order = [
        "date",
        "start_time",
        "end_time",
        "commune",
        "place",
        "online_url",
        "capacity",
        "title",
        "description",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("title", "description", "commune", "place"):
            self.fields[name].required = False
        self.fields["title"].help_text = "Facultatif : par défaut, le nom du groupe."
        self.fields["description"].help_text = "Facultatif : le sujet de la séance."
        self.fields["commune"].help_text = "Pour une séance en présentiel."
        self.fields[
            "place"
        ].help_text = (
            "Pour une séance en présentiel : salle, numéro et rue. Visible des seuls membres."
        )
        self.fields["capacity"].help_text = (
            "Un groupe de parole se tient à peu de personnes : au-delà, une liste d'attente "
            "s'ouvre."
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("online_url"):
            self.add_error("place", "Indiquez l'adresse de la séance, ou son lien de connexion.")
        if cleaned.get("place") and not cleaned.get("commune"):
            self.add_error("commune", "Indiquez la commune du lieu.")
        return cleaned
