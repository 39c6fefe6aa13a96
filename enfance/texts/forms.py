from django import forms
from django.utils import timezone

from .enums import (
    ARTICLE_BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    FOLLOW_UP_MAX_LENGTH,
    PREAMBLE_MAX_LENGTH,
    PROPOSAL_REASON_MAX_LENGTH,
    TRANSMISSION_NOTE_MAX_LENGTH,
    TRANSMISSION_RECIPIENTS_MAX_LENGTH,
    RecipientKind,
)
from .services import ArticleDraft

# Empty article slots offered by the editing forms (no JavaScript needed to add articles).
EXTRA_ARTICLES = 3


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Votre commentaire",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"{COMMENT_MAX_LENGTH} caractères au plus. Il sera publié avec votre prénom "
        "et l'initiale de votre nom.",
    )


class WordingForm(forms.Form):
    body = forms.CharField(
        label="Rédaction proposée",
        max_length=ARTICLE_BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Le texte complet de l'article tel que vous le proposez.",
    )
    reason = forms.CharField(
        label="Pourquoi ce changement ?",
        max_length=PROPOSAL_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce que votre rédaction améliore, en quelques phrases.",
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Motif",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="Pourquoi cette proposition n'est-elle pas retenue ?",
        max_length=2000,
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

    title = forms.CharField(label="Titre", max_length=300)
    preamble = forms.CharField(
        label="Exposé des motifs",
        max_length=PREAMBLE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Séparez les paragraphes par une ligne vide.",
    )
    summary = forms.CharField(
        label="Ce que change cette version",
        max_length=1000,
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
            self.fields[f"{prefix}_title"] = forms.CharField(
                label=f"{heading} : intitulé (facultatif)",
                max_length=200,
                required=False,
                initial=article.title if article else "",
            )
            self.fields[f"{prefix}_body"] = forms.CharField(
                label=f"{heading} : texte",
                max_length=ARTICLE_BODY_MAX_LENGTH,
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
    recipients = forms.CharField(
        label="Destinataires nommés",
        max_length=TRANSMISSION_RECIPIENTS_MAX_LENGTH,
        help_text="Par exemple : « Mme Anne Martin, députée de la 3e circonscription du Rhône ».",
    )
    transmitted_on = forms.DateField(
        label="Date de transmission", widget=DateInput, initial=timezone.localdate
    )
    note = forms.CharField(
        label="Précisions (facultatif)",
        max_length=TRANSMISSION_NOTE_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FollowUpForm(forms.Form):
    page_title = "Enregistrer une suite donnée"

    happened_on = forms.DateField(label="Date", widget=DateInput, initial=timezone.localdate)
    description = forms.CharField(
        label="Ce qui s'est passé",
        max_length=FOLLOW_UP_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Une réponse reçue, un rendez-vous, un dépôt au Parlement, un refus…",
    )


class CompareForm(forms.Form):
    de = forms.TypedChoiceField(label="Version de départ", coerce=int)
    a = forms.TypedChoiceField(label="Version d'arrivée", coerce=int)

    def __init__(self, *args, numbers=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, f"Version {n}") for n in numbers]
        self.fields["de"].choices = choices
        self.fields["a"].choices = choices
