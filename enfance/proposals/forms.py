from django import forms

from enfance.assemblies.models import Instance
from enfance.territories.models import Departement, Region

from .enums import PUBLIC_STATES, AmendedPart
from .models import COMMENT_MAX_LENGTH, TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Theme
from .services import format_count, too_long_message

# Lengths are checked by the services, with a message that gives the count; the forms keep what
# was typed, whatever its length, so that nothing is lost.


class ProposalForm(forms.Form):
    title = forms.CharField(
        label="Titre",
        help_text=f"Une phrase qui dit ce que vous proposez ({TITLE_MAX_LENGTH} caractères au "
        "plus). Des propositions proches s'affichent pendant que vous l'écrivez.",
    )
    problem = forms.CharField(
        label="Le problème constaté sur le terrain",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Ce que vous avez vu ou vécu, sans nom ni détail qui permette de reconnaître "
        "un enfant ou une famille.",
    )
    body = forms.CharField(
        label="La proposition",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"Ce qu'il faudrait changer, concrètement ({TEXT_MAX_LENGTH:,} caractères au "
        "plus).".replace(",", "\u202f"),
    )
    expected_effect = forms.CharField(
        label="L'effet attendu",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce que la proposition changerait pour les enfants et les familles.",
    )
    departement = forms.ModelChoiceField(
        label="Département concerné",
        queryset=Departement.objects.order_by("code"),
        required=False,
        empty_label="Toute la France",
        help_text="Laissez « Toute la France » pour une proposition nationale.",
    )
    themes = forms.ModelMultipleChoiceField(
        label="Thèmes",
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    instance = forms.ModelChoiceField(
        label="Écrire au nom de l'instance",
        queryset=Instance.objects.none(),
        required=False,
        empty_label="Non, en mon nom",
        help_text="Vous êtes au secrétariat ou à l'animation d'une instance : vous pouvez "
        "écrire en son nom.",
    )

    def __init__(self, *args, managed_instances=None, **kwargs):
        super().__init__(*args, **kwargs)
        if managed_instances:
            self.fields["instance"].queryset = Instance.objects.filter(
                pk__in=[i.pk for i in managed_instances]
            )
        else:
            del self.fields["instance"]


class ProposalFilterForm(forms.Form):
    SORTS = [("recentes", "Les plus récentes"), ("soutiens", "Les plus soutenues")]

    q = forms.CharField(label="Rechercher", required=False)
    region = forms.ModelChoiceField(
        label="Région", queryset=Region.objects.order_by("name"), required=False,
        empty_label="Toutes",
    )  # fmt: skip
    departement = forms.ModelChoiceField(
        label="Département",
        queryset=Departement.objects.order_by("code"),
        required=False,
        empty_label="Tous",
        to_field_name="code",
    )
    theme = forms.ModelChoiceField(
        label="Thème",
        queryset=Theme.objects.all(),
        required=False,
        empty_label="Tous",
        to_field_name="slug",
    )
    etat = forms.ChoiceField(
        label="État",
        required=False,
        choices=[("", "Tous")] + [(s.value, s.label) for s in PUBLIC_STATES],
    )
    tri = forms.ChoiceField(label="Trier par", required=False, choices=SORTS)
    # From an instance's page: the proposals it carries (shown as a tag, not a select of 1,200).
    instance = forms.SlugField(required=False, widget=forms.HiddenInput)


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Votre commentaire",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=f"{COMMENT_MAX_LENGTH:,} caractères au plus. Pas de nom d'enfant ni de "
        "détail qui permette de reconnaître une famille.".replace(",", "\u202f"),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class ReasonForm(forms.Form):
    """A reason of at most ``max_length`` characters. No ``maxlength`` attribute: a browser would
    cut a pasted text without a word; too long, the text comes back whole with its count."""

    reason = forms.CharField(
        label="Motif",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, max_length: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_length = max_length
        self.fields["reason"].help_text = f"{format_count(max_length)} caractères au plus."

    def clean_reason(self):
        reason = self.cleaned_data["reason"]
        if len(reason) > self.max_length:
            raise forms.ValidationError(too_long_message("Le motif", reason, self.max_length))
        return reason


class TakeUpForm(forms.Form):
    instance = forms.ModelChoiceField(label="Instance", queryset=Instance.objects.none())

    def __init__(self, *args, instances=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instance"].queryset = Instance.objects.filter(pk__in=[i.pk for i in instances])


class AmendmentForm(forms.Form):
    part = forms.ChoiceField(label="Partie à modifier", choices=AmendedPart.choices)
    new_text = forms.CharField(
        label="Nouvelle rédaction",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Le texte complet de la partie, tel que vous proposez qu'il se lise.",
    )
    rationale = forms.CharField(
        label="Pourquoi ce changement",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
