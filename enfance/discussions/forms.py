from django import forms

from enfance.core.text import BoundedTextField, format_count, model_limit


class CommentForm(forms.Form):
    """A comment on ``model`` (a concrete comment model), within the limit its body declares."""

    body = BoundedTextField(
        limit=0, label="Votre commentaire", widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, model, **kwargs):
        super().__init__(*args, **kwargs)
        limit = model_limit(model, "body")
        self.fields["body"].limit = limit
        self.fields["body"].help_text = (
            f"{format_count(limit)} caractères au plus. Pas de nom d'enfant ni de détail qui "
            "permette de reconnaître une famille."
        )


class ReasonForm(forms.Form):
    """A reason (of a report, of a removal) of at most ``limit`` characters."""

    reason = BoundedTextField(
        limit=0,
        label="Motif",
        label_in_message="Le motif",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, limit: int, label: str = "Motif", help_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.limit, field.label = limit, label
        field.help_text = help_text or f"{format_count(limit)} caractères au plus."
