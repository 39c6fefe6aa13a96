"""Free text as people type it: line breaks counted one way, limits checked in one place, one
French message when a text is too long.

Texts do not always arrive through a form (a service is called from a view, a command, a test),
and neither PostgreSQL's TEXT nor SQLite bounds a column: every service checks its limits here,
with the same counting as the forms (a line break is one character, whatever the browser sent)
and the same message, which never cuts the text and gives its length.
"""

from django import forms
from django.core.exceptions import ValidationError


def normalize_text(value: str | None) -> str:
    """Line breaks as one character each (browsers send CRLF), outer blanks removed."""
    return (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()


def format_count(value: int) -> str:
    """12345 -> "12 345", with the narrow no-break space French typography puts there."""
    return f"{value:,}".replace(",", "\u202f")


def too_long_message(limit: int, length: int, label: str = "") -> str:
    """ "« Le motif » dépasse 300 caractères : votre texte en compte 337."; without a label the
    subject is « Ce texte »."""
    subject = f"« {label} »" if label else "Ce texte"
    return (
        f"{subject} dépasse {format_count(limit)} caractères : "
        f"votre texte en compte {format_count(length)}."
    )


def bounded_text(
    value: str | None,
    *,
    limit: int,
    field: str | None = None,
    label: str = "",
    required: str | None = None,
) -> str:
    """The text, normalised, if it fits; otherwise a ValidationError (keyed by ``field`` when
    given, so that a form shows it beside the field). ``required`` is the message of an empty
    text; None when the text is optional."""
    text = normalize_text(value)
    message = None
    if not text and required is not None:
        message = required
    elif len(text) > limit:
        message = too_long_message(limit, len(text), label)
    if message is None:
        return text
    raise ValidationError({field: message} if field else message)


def bounded_texts(values: dict[str, str | None], limits: dict[str, tuple[int, str, str | None]]):
    """Several fields at once, every error reported together: ``limits`` maps a field to
    (limit, label, message when empty or None). Returns the normalised texts."""
    cleaned, errors = {}, {}
    for name, (limit, label, required) in limits.items():
        try:
            cleaned[name] = bounded_text(
                values.get(name), limit=limit, label=label, required=required
            )
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def model_limit(model, field: str) -> int:
    """A column's ``max_length``, so that a service checks the limit its model declares."""
    return model._meta.get_field(field).max_length


class BoundedTextField(forms.CharField):
    """A form field counting as the services count (normalised line breaks) and refusing a text
    over ``limit`` with the shared message. No ``maxlength`` attribute on purpose: a browser would
    cut a pasted text without a word; too long, the text comes back whole with its length."""

    def __init__(self, *, limit: int, label_in_message: str = "", **kwargs):
        self.limit = limit
        self.label_in_message = label_in_message
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalize_text(super().to_python(value))

    def validate(self, value):
        super().validate(value)
        if len(value) > self.limit:
            raise ValidationError(
                too_long_message(self.limit, len(value), self.label_in_message),
                code="max_length",
            )
