"""Finding a commune from what a person types: a name (accents and case ignored), a postal code,
an INSEE code, or the label the suggestions show ("Lyon (69001)")."""

import re

from django.core.exceptions import ValidationError
from django.db.models import Q

from .models import Commune, has_postal_code, normalize_name, split_query

_CODE = r"\d{5}|\d[\dAaBb]\d{3}"
_CODE_ONLY = re.compile(rf"^(?:{_CODE})$")
_LABEL = re.compile(rf"^(?P<name>.+?)\s*\((?P<code>{_CODE})\)$")
# How many homonyms an ambiguity message names before saying how many more there are.
_NAMED_IN_ERROR = 5


def commune_label(commune: Commune) -> str:
    """How a commune is shown in suggestions, and read back by `resolve_commune`."""
    return f"{commune.name} ({commune.main_postal_code})"


def search_communes(query: str, limit: int = 10) -> list[Commune]:
    """The communes that best match a partial query, in one query: the exact name first, then
    names starting with the text, then the others, the most populated first."""
    needle, numbers = split_query(query)
    if len(needle) < 2 and not any(len(number) >= 2 for number in numbers):
        return []
    return list(Commune.objects.select_related("departement").ranked_for(query)[:limit])


def resolve_commune(text: str) -> Commune:
    """The one commune the text designates, or a French error saying what to add."""
    text = " ".join(text.split())
    if not text:
        raise ValidationError("Indiquez votre commune.", code="required")
    communes = Commune.objects.order_by("-population", "name", "code")
    if label := _LABEL.match(text):
        code = label["code"].upper()
        candidates = list(
            communes.filter(
                Q(search_name=normalize_name(label["name"]))
                & (has_postal_code(code) | Q(code=code))
            )
        )
    elif _CODE_ONLY.match(text):
        code = text.upper()
        candidates = list(communes.filter(has_postal_code(code))) or list(
            communes.filter(code=code)
        )
    else:
        candidates = list(communes.filter(search_name=normalize_name(text)))
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise ValidationError(
            "Nous ne trouvons pas de commune « %(text)s ». Vérifiez l'orthographe ou saisissez "
            "son code postal, puis choisissez-la dans la liste proposée.",
            code="unknown",
            params={"text": text},
        )
    raise ValidationError(_ambiguity_message(text, candidates), code="ambiguous")


def _ambiguity_message(text: str, candidates: list[Commune]) -> str:
    # Communes sharing a name often share no postal code, and those sharing a postal code rarely
    # share a name: the label (name and postal code) tells them apart.
    named = [f"« {commune_label(c)} »" for c in candidates[:_NAMED_IN_ERROR]]
    others = len(candidates) - len(named)
    listing = ", ".join(named) + (
        f" et {others} autre{'s' if others > 1 else ''}" if others else ""
    )
    return (
        f"{len(candidates)} communes correspondent à « {text} » : {listing}. "
        "Précisez en choisissant la commune dans la liste proposée ou en ajoutant son code "
        "postal, par exemple "
        f"« {commune_label(candidates[0])} »."
    )
