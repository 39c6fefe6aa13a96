"""Finding a commune from what a person types: a name (accents and case ignored), a postal code,
an INSEE code, or the label the suggestions show ("Lyon (69001)")."""

import re

from django.core.exceptions import ValidationError

from .models import Commune, normalize_name

_POSTAL_CODE = re.compile(r"^\d{5}$")
_LABEL = re.compile(r"^(?P<name>.+?)\s*\((?P<code>\d{5}|\d[\dAB]\d{3})\)$")


def commune_label(commune: Commune) -> str:
    first_postal_code = commune.postal_codes.split(" ")[0] if commune.postal_codes else commune.code
    return f"{commune.name} ({first_postal_code})"


def search_communes(query: str, limit: int = 10) -> list[Commune]:
    query = query.strip()
    if not query:
        return []
    base = Commune.objects.select_related("departement").order_by("-population", "name")
    if query.isdigit():
        return list(base.filter(postal_codes__contains=query)[:limit])
    needle = normalize_name(query)
    if len(needle) < 2:
        return []
    starts = list(base.filter(search_name__startswith=needle)[:limit])
    if len(starts) < limit:
        seen = {c.pk for c in starts}
        starts += [
            c for c in base.filter(search_name__contains=needle)[: limit * 2] if c.pk not in seen
        ][: limit - len(starts)]
    return starts


def resolve_commune(text: str) -> Commune:
    """The one commune the text designates, or a French error saying what to add."""
    text = " ".join(text.split())
    match = _LABEL.match(text)
    candidates: list[Commune]
    if match:
        name, code = normalize_name(match["name"]), match["code"]
        candidates = list(
            Commune.objects.filter(search_name=name, postal_codes__contains=code)
        ) or list(Commune.objects.filter(code=code, search_name=name))
    elif _POSTAL_CODE.match(text):
        candidates = list(Commune.objects.filter(postal_codes__contains=text)) or list(
            Commune.objects.filter(code=text)
        )
    else:
        candidates = list(Commune.objects.filter(search_name=normalize_name(text)))
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise ValidationError(
            "Nous ne trouvons pas cette commune. Vérifiez l'orthographe ou saisissez son code "
            "postal, puis choisissez-la dans la liste proposée."
        )
    raise ValidationError(
        "Plusieurs communes correspondent. Précisez le code postal, par exemple « "
        f"{commune_label(candidates[0])} »."
    )
