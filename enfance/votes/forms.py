from django import forms
from django.contrib.auth import get_user_model

from .enums import Grade, MajorityChoice, Method


class InlineRadioSelect(forms.RadioSelect):
    inline = True


class MajorityVoteForm(forms.Form):
    choice = forms.ChoiceField(
        label="Votre vote",
        choices=MajorityChoice.choices,
        widget=InlineRadioSelect,
        error_messages={"required": "Choisissez « pour », « contre » ou « abstention »."},
    )

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)

    def to_choice(self):
        return self.cleaned_data["choice"]


class MajorityJudgmentVoteForm(forms.Form):
    """One group of radio buttons per option (a fieldset with the option as legend), best grade
    first, as Mieux Voter shows them."""

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        grade_choices = [(str(g.value), g.label) for g in reversed(Grade)]
        self.option_fields = {}
        for option in options:
            name = f"option_{option.pk}"
            self.fields[name] = forms.ChoiceField(
                label=option.label,
                choices=grade_choices,
                widget=InlineRadioSelect,
                error_messages={"required": "Donnez une mention à cette option."},
            )
            self.option_fields[name] = option.pk

    def to_choice(self):
        return {pk: int(self.cleaned_data[name]) for name, pk in self.option_fields.items()}


class ApprovalVoteForm(forms.Form):
    approved = forms.MultipleChoiceField(
        label="Les options que vous approuvez",
        help_text="Cochez autant d'options que vous le souhaitez ; aucune coche : vote blanc.",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approved"].choices = [(str(o.pk), o.label) for o in options]

    def to_choice(self):
        return {int(pk) for pk in self.cleaned_data["approved"]}


VOTE_FORMS = {
    Method.MAJORITY: MajorityVoteForm,
    Method.MAJORITY_JUDGMENT: MajorityJudgmentVoteForm,
    Method.APPROVAL: ApprovalVoteForm,
    # In their college, an associate answers as in a majority vote.
    Method.COLLEGES: MajorityVoteForm,
}


def vote_form(ballot, options, data=None, prefix=None):
    return VOTE_FORMS[ballot.method](data, options=options, prefix=prefix)


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label="Code de reçu",
        help_text="Le code affiché après votre vote. Format attendu : XXXX-XXXX-XXXX-XXXX",
        max_length=40,
        error_messages={"required": "Saisissez le code de votre reçu."},
    )


class UserByEmailField(forms.EmailField):
    def clean(self, value):
        email = super().clean(value)
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError("Aucun compte ne correspond à cette adresse.")
        return user


class ProxyForm(forms.Form):
    giver = UserByEmailField(
        label="Adresse électronique de la personne qui donne procuration (mandant)"
    )
    holder = UserByEmailField(
        label="Adresse électronique de la personne qui vote à sa place (mandataire)"
    )
