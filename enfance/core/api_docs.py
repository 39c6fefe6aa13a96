"""The API's documentation page, read from its OpenAPI schema (``api.get_openapi_schema()``) so
that it never says other than the API does: every operation with its parameters, their types and
constraints, its responses and an example address. Rendered on the server in the site's DSFR
layout (core/api_docs.html), with no script and no asset from elsewhere."""

from .api_errors import CODES

METHODS = ("get", "post", "put", "patch", "delete")
PLACES = {"query": "requête", "path": "chemin", "header": "en-tête", "body": "corps (JSON)"}
TYPES = {
    "string": "texte",
    "integer": "entier",
    "number": "nombre",
    "boolean": "booléen",
    "object": "objet",
    "null": "vide",
}
FORMATS = {"date": "date (AAAA-MM-JJ)", "date-time": "date et heure (ISO 8601)"}
MEANINGS = {
    "200": "La réponse demandée.",
    "304": "Rien n'a changé depuis la réponse dont l'ETag est envoyé dans « If-None-Match ».",
    "400": "La demande est comprise mais refusée : le détail dit pourquoi.",
    "401": "Jeton d'accès absent, inconnu ou révoqué.",
    "403": "Le jeton ne permet pas cette action.",
    "404": "Rien à cette adresse.",
    "422": "Un paramètre est invalide ou inconnu : le détail dit lequel et pourquoi.",
    "429": "Trop de requêtes : l'en-tête « Retry-After » dit dans combien de secondes revenir.",
}
# An example value for each path parameter, by type.
EXAMPLES = {"integer": "1", "string": "exemple"}


def _resolve(schema: dict, components: dict) -> dict:
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        return components.get(ref.rsplit("/", 1)[-1], {})
    return schema


def _without_null(schema: dict, components: dict) -> dict:
    """The schema of a value that may be empty (``anyOf`` with null): the non-empty one."""
    schema = _resolve(schema, components)
    options = [s for s in schema.get("anyOf") or [] if s.get("type") != "null"]
    if len(options) == 1:
        merged = {**schema, **_resolve(options[0], components)}
        merged.pop("anyOf", None)
        return merged
    return schema


def type_label(schema: dict, components: dict) -> str:
    schema = _without_null(schema, components)
    kind = schema.get("type")
    if kind == "array":
        return f"liste ({type_label(schema.get('items', {}), components)})"
    if schema.get("format") in FORMATS:
        return FORMATS[schema["format"]]
    if kind is None and schema.get("title"):
        return schema["title"]
    return TYPES.get(kind, kind or "valeur")


def constraints(schema: dict, components: dict) -> list[str]:
    schema = _without_null(schema, components)
    said = []
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and high is not None:
        said.append(f"de {low} à {high}")
    elif low is not None:
        said.append(f"{low} au moins")
    elif high is not None:
        said.append(f"{high} au plus")
    if "maxLength" in schema:
        said.append(f"{schema['maxLength']} caractères au plus")
    if "minItems" in schema:
        said.append(f"{schema['minItems']} valeur(s) au moins")
    if "maxItems" in schema:
        said.append(f"{schema['maxItems']} valeurs au plus")
    if "pattern" in schema:
        said.append(f"motif {schema['pattern']}")
    values = schema.get("enum") or _resolve(schema.get("items", {}), components).get("enum")
    if values:
        said.append("parmi : " + ", ".join(str(v) for v in values))
    if schema.get("default") not in (None, "", []):
        said.append(f"par défaut : {schema['default']}")
    return said


def _parameter(parameter: dict, components: dict) -> dict:
    schema = parameter.get("schema", {})
    return {
        "name": parameter["name"],
        "place": PLACES.get(parameter.get("in"), parameter.get("in")),
        "type": type_label(schema, components),
        "constraints": constraints(schema, components),
        "description": parameter.get("description") or schema.get("description", ""),
        "required": parameter.get("required", False),
    }


def _body_fields(schema: dict, components: dict, prefix: str = "") -> list[dict]:
    """The fields of a JSON body, those of a list of objects written ``liste[].champ``."""
    schema = _without_null(schema, components)
    required = set(schema.get("required", []))
    fields = []
    for name, field in schema.get("properties", {}).items():
        field_schema = _without_null(field, components)
        fields.append(
            {
                "name": prefix + name,
                "place": PLACES["body"],
                "type": type_label(field_schema, components),
                "constraints": constraints(field_schema, components),
                "description": field_schema.get("description", ""),
                "required": name in required,
            }
        )
        items = _resolve(field_schema.get("items", {}), components)
        if not prefix and items.get("properties"):
            fields += _body_fields(items, components, prefix=f"{prefix}{name}[].")
    return fields


def _example(method: str, route: str, parameters: list[dict], base_url: str) -> str:
    for parameter in parameters:
        if parameter["place"] == PLACES["path"]:
            example = EXAMPLES.get("integer" if parameter["type"] == "entier" else "string")
            route = route.replace("{" + parameter["name"] + "}", example)
    names = {p["name"] for p in parameters if p["place"] == PLACES["query"]}
    if method == "GET" and "departement" in names:
        route += "?departement=69"
    elif method == "GET" and "limit" in names:
        route += "?limit=20"
    return base_url.rstrip("/") + route


def _operation(method: str, route: str, operation: dict, components: dict, base_url: str):
    parameters = [_parameter(p, components) for p in operation.get("parameters", [])]
    body = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if body:
        parameters += _body_fields(body.get("schema", {}), components)
    # The schema's statuses are numbers here, strings once written as JSON.
    documented = {str(status): answer for status, answer in operation["responses"].items()}
    responses = [
        {
            "status": status,
            "meaning": MEANINGS.get(status, documented[status].get("description", "")),
            "code": CODES.get(int(status), ""),
        }
        for status in sorted(documented, key=int)
    ]
    return {
        "id": operation.get("operationId", f"{method}-{route}"),
        "method": method.upper(),
        "path": route,
        "summary": operation.get("summary", ""),
        "description": operation.get("description", ""),
        "secured": bool(operation.get("security")),
        "parameters": parameters,
        "responses": responses,
        "example": _example(method.upper(), route, parameters, base_url),
    }


def documentation(schema: dict, base_url: str) -> dict:
    """What the page shows: the API's title and version, its operations grouped by tag in the
    schema's order, and the codes of its refusals."""
    components = schema.get("components", {}).get("schemas", {})
    groups: dict[str, list[dict]] = {}
    for route, operations in schema.get("paths", {}).items():
        for method in METHODS:
            if method in operations:
                operation = operations[method]
                tag = (operation.get("tags") or ["Autres"])[0]
                groups.setdefault(tag, []).append(
                    _operation(method, route, operation, components, base_url)
                )
    return {
        "title": schema["info"]["title"],
        "version": schema["info"]["version"],
        "description": schema["info"].get("description", ""),
        "groups": [{"tag": tag, "operations": ops} for tag, ops in groups.items()],
        "operations_count": sum(len(ops) for ops in groups.values()),
        "codes": [
            {"status": status, "code": code, "meaning": MEANINGS[str(status)]}
            for status, code in CODES.items()
        ],
    }
