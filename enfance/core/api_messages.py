"""The API's refusals of a parameter in French: pydantic writes its messages in English, so each
common error type gets its French sentence, with the limit it names (``ctx``); any other type
gets a French sentence too, never the English one."""

UNKNOWN_PARAMETER = "Paramètre inconnu : « {name} »"
# The platform's own error types, whose messages it writes in French itself.
UNKNOWN_PARAMETER_TYPE = "parametre_inconnu"
UNAVAILABLE_FILTER = "filtre_indisponible"
FALLBACK = "Valeur refusée."
DATE = "Une date au format AAAA-MM-JJ est attendue (par exemple 2025-01-31)."
DATETIME = "Une date et une heure au format ISO 8601 sont attendues (2025-01-31T14:00:00)."
INTEGER = "Un nombre entier est attendu."

MESSAGES = {
    "less_than_equal": "La valeur doit être inférieure ou égale à {le}.",
    "less_than": "La valeur doit être strictement inférieure à {lt}.",
    "greater_than_equal": "La valeur doit être supérieure ou égale à {ge}.",
    "greater_than": "La valeur doit être strictement supérieure à {gt}.",
    "int_parsing": INTEGER,
    "int_type": INTEGER,
    "int_from_float": "Un nombre entier est attendu, sans décimale.",
    "float_parsing": "Un nombre est attendu.",
    "float_type": "Un nombre est attendu.",
    "bool_parsing": "Un booléen est attendu : true ou false.",
    "bool_type": "Un booléen est attendu : true ou false.",
    "date_parsing": DATE,
    "date_type": DATE,
    "date_from_datetime_parsing": DATE,
    "date_from_datetime_inexact": DATE,
    "datetime_parsing": DATETIME,
    "datetime_type": DATETIME,
    "datetime_from_date_parsing": DATETIME,
    "missing": "Ce paramètre est obligatoire.",
    "string_type": "Une chaîne de caractères est attendue.",
    "string_pattern_mismatch": "La valeur n'a pas la forme attendue (motif {pattern}).",
    "list_type": "Une liste de valeurs est attendue.",
    "dict_type": "Un objet JSON est attendu.",
    "model_type": "Un objet JSON est attendu.",
    "model_attributes_type": "Un objet JSON est attendu.",
    "json_invalid": "Le corps de la requête n'est pas du JSON valide.",
    "json_type": "Le corps de la requête n'est pas du JSON valide.",
    "extra_forbidden": "Ce champ n'est pas attendu.",
    "uuid_parsing": "Un identifiant UUID est attendu.",
}


def _plural(count, singular: str, plural: str) -> str:
    return f"{count} {singular if count in (0, 1) else plural}"


def _expected(ctx: dict) -> str:
    # pydantic lists the choices as "'a', 'b' or 'c'".
    return str(ctx.get("expected", "")).replace(" or ", " ou ")


def french_error(error: dict) -> str:
    """The French sentence for one pydantic (or ninja) error."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    message = error.get("msg", "")
    if kind in ("enum", "literal_error"):
        return f"Valeur attendue parmi : {_expected(ctx)}."
    if kind == "too_long":
        return f"{_plural(ctx.get('max_length'), 'valeur', 'valeurs')} au plus."
    if kind == "too_short":
        return f"{_plural(ctx.get('min_length'), 'valeur', 'valeurs')} au moins."
    if kind == "string_too_long":
        return f"{_plural(ctx.get('max_length'), 'caractère', 'caractères')} au plus."
    if kind == "string_too_short":
        return f"{_plural(ctx.get('min_length'), 'caractère', 'caractères')} au moins."
    if kind == "value_error":
        # Raised by the platform's own validators, in French already; pydantic prefixes it.
        return message.removeprefix("Value error, ") or FALLBACK
    if kind in (UNKNOWN_PARAMETER_TYPE, UNAVAILABLE_FILTER):
        return message
    if kind in MESSAGES:
        try:
            return MESSAGES[kind].format(**ctx)
        except (KeyError, IndexError):
            return FALLBACK
    return FALLBACK
