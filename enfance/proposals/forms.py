from django import forms

from enfance.assemblies.models import Instance
from enfance.core.text import BoundedTextField, format_count
from enfance.discussions import forms as discussions
from enfance.territories.models import Departement, Region

from .enums import PUBLIC_STATES, AmendedPart
from .models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH, Comment, Theme


class ProposalForm(forms.Form):
    title = BoundedTextField(
        limit=TITLE_MAX_LENGTH,
        label="Titre",
        label_in_message="Titre",
        help_text=f"Une phrase qui dit ce que vous proposez ({TITLE_MAX_LENGTH} caractères au "
        "plus). Des propositions proches s'affichent pendant que vous l'écrivez.",
    )
    problem = BoundedTextField(
        limit=TEXT_MAX_LENGTH,
        label="Le problème constaté sur le terrain",
        label_in_message="Le problème constaté",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Ce que vous avez vu ou vécu, sans nom ni détail qui permette de reconnaître "
        "un enfant ou une famille.",
    )
    body = BoundedTextField(
        limit=TEXT_MAX_LENGTH,
        label="La proposition",
        label_in_message="La proposition",
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Ce qu'il faudrait changer, concrètement "
        f"({format_count(TEXT_MAX_LENGTH)} caractères au plus).",
    )
    expected_effect = BoundedTextField(
        limit=TEXT_MAX_LENGTH,
        label="L'effet attendu",
        label_in_message="L'effet attendu",
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


class CommentForm(discussions.CommentForm):
    """A comment on a proposal, or a reply to one of its comments."""

    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, model=Comment, **kwargs)


class TakeUpForm(forms.Form):
    instance = forms.ModelChoiceField(label="Instance", queryset=Instance.objects.none())

    def __init__(self, *args, instances=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instance"].queryset = Instance.objects.filter(pk__in=[i.pk for i in instances])


class AmendmentForm(forms.Form):
    part = forms.ChoiceField(label="Partie à modifier", choices=AmendedPart.choices)
    new_text = BoundedTextField(
        limit=TEXT_MAX_LENGTH,
        label="Nouvelle rédaction",
        label_in_message="La nouvelle rédaction",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Le texte complet de la partie, tel que vous proposez qu'il se lise.",
    )
    rationale = BoundedTextField(
        limit=TEXT_MAX_LENGTH,
        label="Pourquoi ce changement",
        label_in_message="L'exposé des motifs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
