from django import forms
from django.utils import timezone

from enfance.core.forms import BoundedDateField, DateInput
from enfance.core.text import BoundedTextField
from enfance.discussions import forms as discussions

from .enums import (
    ARTICLE_BODY_MAX_LENGTH,
    FOLLOW_UP_MAX_LENGTH,
    PREAMBLE_MAX_LENGTH,
    PROPOSAL_REASON_MAX_LENGTH,
    TRANSMISSION_NOTE_MAX_LENGTH,
    TRANSMISSION_RECIPIENTS_MAX_LENGTH,
    RecipientKind,
)
from .models import CONSULTATION_CLOSE_DAY, FOLLOW_UP_DAY, TRANSMISSION_DAY, ArticleComment
from .services import ArticleDraft
from .services.texts import ARTICLE_TITLE_MAX_LENGTH, TITLE_MAX_LENGTH
from .services.versions import DECISION_REASON_MAX_LENGTH, VERSION_SUMMARY_MAX_LENGTH

# Empty article slots offered by the editing forms (no JavaScript needed to add articles).
EXTRA_ARTICLES = 3


class CommentForm(discussions.CommentForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, model=ArticleComment, **kwargs)


class WordingForm(forms.Form):
    body = BoundedTextField(
        limit=ARTICLE_BODY_MAX_LENGTH,
        label="Rédaction proposée",
        label_in_message="La rédaction proposée",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Le texte complet de l'article tel que vous le proposez.",
    )
    reason = BoundedTextField(
        limit=PROPOSAL_REASON_MAX_LENGTH,
        label="Pourquoi ce changement ?",
        label_in_message="L'explication",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce que votre rédaction améliore, en quelques phrases.",
    )


class DeclineForm(forms.Form):
    reason = BoundedTextField(
        limit=DECISION_REASON_MAX_LENGTH,
        label="Pourquoi cette proposition n'est-elle pas retenue ?",
        label_in_message="Le motif",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce motif est public : la personne qui a proposé le lira.",
    )


class VersionForm(forms.Form):
    """A whole new version: title, preamble and every article, plus empty slots for new ones.

    Each existing article keeps its identifier in a hidden field, so the comparison pairs it with
    its previous wording; emptying an article's text and title removes it. ``based_on`` is the
    number of the version the editor started from: the service refuses the form if another
    version was published since, instead of silently undoing it.
    """

    # Read by the view from the request itself (it decides which articles the form shows).
    based_on = forms.IntegerField(widget=forms.HiddenInput, required=False)

    title = BoundedTextField(limit=TITLE_MAX_LENGTH, label="Titre", label_in_message="Le titre")
    preamble = BoundedTextField(
        limit=PREAMBLE_MAX_LENGTH,
        label="Exposé des motifs",
        label_in_message="L'exposé des motifs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Séparez les paragraphes par une ligne vide.",
    )
    summary = BoundedTextField(
        limit=VERSION_SUMMARY_MAX_LENGTH,
        label="Ce que change cette version",
        label_in_message="Ce que change cette version",
        help_text="Une phrase, lue dans l'historique des versions.",
    )

    def __init__(self, *args, articles=(), pending=(), preamble_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if preamble_label:
            self.fields["preamble"].label = preamble_label
        self.slots = []
        slots = [*articles, *([None] * EXTRA_ARTICLES)]
        for index, article in enumerate(slots):
            prefix = f"article_{index}"
            heading = article.label if article is not None else f"Nouvel article ({index + 1})"
            self.fields[f"{prefix}_key"] = forms.IntegerField(
                widget=forms.HiddenInput, required=False, initial=article.key if article else None
            )
            self.fields[f"{prefix}_title"] = BoundedTextField(
                limit=ARTICLE_TITLE_MAX_LENGTH,
                label=f"{heading} : intitulé (facultatif)",
                required=False,
                initial=article.title if article else "",
            )
            self.fields[f"{prefix}_body"] = BoundedTextField(
                limit=ARTICLE_BODY_MAX_LENGTH,
                label=f"{heading} : texte",
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
                initial=article.body if article else "",
                help_text="Videz le texte et l'intitulé pour supprimer l'article."
                if article is not None
                else "Laissez vide si vous n'ajoutez pas d'article.",
            )
            self.slots.append(prefix)
        self.fields["integrated"] = forms.MultipleChoiceField(
            label="Propositions de rédaction intégrées dans cette version",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            choices=[(str(pk), label) for pk, label in pending],
            help_text="Cochez celles dont vous avez repris la rédaction : elles renverront à "
            "cette version.",
        )
        if not pending:
            del self.fields["integrated"]

    def article_drafts(self) -> list[ArticleDraft]:
        data = self.cleaned_data
        return [
            ArticleDraft(
                body=data.get(f"{prefix}_body", ""),
                title=data.get(f"{prefix}_title", ""),
                key=data.get(f"{prefix}_key"),
            )
            for prefix in self.slots
        ]


class LawProposalForm(VersionForm):
    """Version 1 of a law proposal, with the adopted proposals it consolidates."""

    def __init__(self, *args, adopted=(), **kwargs):
        super().__init__(*args, preamble_label="Exposé des motifs", **kwargs)
        self.fields["preamble"].required = True
        del self.fields["summary"]
        del self.fields["based_on"]
        self.fields["source_proposals"] = forms.MultipleChoiceField(
            label="Propositions adoptées consolidées",
            widget=forms.CheckboxSelectMultiple,
            choices=[(str(p.pk), p.title) for p in adopted],
            help_text="Chaque proposition cochée renverra à cette proposition de loi.",
        )


class TransmissionForm(forms.Form):
    page_title = "Enregistrer une transmission"

    recipient_kind = forms.ChoiceField(label="Destinataire", choices=RecipientKind.choices)
    recipients = BoundedTextField(
        limit=TRANSMISSION_RECIPIENTS_MAX_LENGTH,
        label="Destinataires nommés",
        label_in_message="Les destinataires nommés",
        help_text="Par exemple : « Mme Anne Martin, députée de la 3e circonscription du Rhône ».",
    )
    transmitted_on = BoundedDateField(
        bounds=TRANSMISSION_DAY,
        label="Date de transmission",
        widget=DateInput,
        initial=timezone.localdate,
    )
    note = BoundedTextField(
        limit=TRANSMISSION_NOTE_MAX_LENGTH,
        label="Précisions (facultatif)",
        label_in_message="Les précisions",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FollowUpForm(forms.Form):
    page_title = "Enregistrer une suite donnée"

    happened_on = BoundedDateField(
        bounds=FOLLOW_UP_DAY, label="Date", widget=DateInput, initial=timezone.localdate
    )
    description = BoundedTextField(
        limit=FOLLOW_UP_MAX_LENGTH,
        label="Ce qui s'est passé",
        label_in_message="La description",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Une réponse reçue, un rendez-vous, un dépôt au Parlement, un refus…",
    )


class ConsultationForm(forms.Form):
    """Opening a consultation: it opens today, until the day chosen here."""

    page_title = "Ouvrir la consultation"

    closes_on = BoundedDateField(
        bounds=CONSULTATION_CLOSE_DAY,
        label="Date de clôture de la consultation",
        help_text="La consultation s'ouvre aujourd'hui. Les commentaires et les propositions de "
        "rédaction sont reçus jusqu'à ce jour inclus, un an au plus.",
        widget=DateInput,
        error_messages={"required": "Indiquez la date de clôture de la consultation."},
    )


class CompareForm(forms.Form):
    de = forms.TypedChoiceField(label="Version de départ", coerce=int)
    a = forms.TypedChoiceField(label="Version d'arrivée", coerce=int)

    def __init__(self, *args, numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, f"Version {n}") for n in numbers]
        self.fields["de"].choices = choices
        self.fields["a"].choices = choices
