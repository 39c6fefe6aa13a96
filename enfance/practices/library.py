"""Reads of the public library of practices: the search index, the search with its filters and
facets, shared by the pages, the exports and the public API.

The committee's publish service calls :func:`index_practice` (and :func:`unindex_practice` when a
fiche leaves the library); the library only ever lists published fiches, whatever the index says.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import QuerySet
from django.db.models.functions import ExtractYear

from enfance.core import cache as versioned_cache
from enfance.core import fulltext
from enfance.territories.models import Departement

from .enums import EvidenceLevel, EvidenceStage, PracticeLevel, Scale
from .models import Practice, ReferenceOption

# Bumped on every change of the library (a fiche indexed or withdrawn): cached facet counts of
# an older version are never served.
CACHE_NAME = "practices.library"
FACETS_CACHE_SECONDS = 300
PAGE_SIZE = 20

LEVEL_2_SECTIONS = (
    "objectives",
    "means",
    "keys_to_success",
    "expected_results",
    "difficulties",
    "evaluation_method",
    "evaluation_results",
)
OPTION_FIELDS = ("theme", "audience", "intervention_type", "relay")


def practice_search_texts(practice: Practice) -> dict[str, str]:
    """What a search reads in a fiche, by weight: the title first, then its description, then
    the level-2 sections, then the labels it is filed under."""
    labels = [practice.option_label(name) for name in OPTION_FIELDS]
    places = []
    if practice.departement_id:
        places.append(practice.departement.name)
    if practice.commune_id:
        places.append(practice.commune.name)
    return {
        "A": practice.title,
        "B": "\n".join([practice.description, practice.entity_name, practice.structure_name]),
        "C": "\n".join(
            [getattr(practice, name) for name in LEVEL_2_SECTIONS] + [practice.co_authors]
        ),
        "D": "\n".join([*labels, *places, practice.get_scale_display()]),
    }


def fiche_cache_name(pk: int) -> str:
    """The version of one fiche's cached page (library_views.fiche)."""
    return f"practices.fiche:{pk}"


def index_practice(practice: Practice) -> None:
    """(Re-)index a fiche for the library's search; call it when a fiche is published or a
    published fiche changes."""
    fulltext.index(practice, practice_search_texts(practice))
    _bump(CACHE_NAME, fiche_cache_name(practice.pk))


def unindex_practice(practice: Practice) -> None:
    """Take a fiche out of the search index (it left the library)."""
    fulltext.unindex(practice)
    _bump(CACHE_NAME, fiche_cache_name(practice.pk))


def _bump(*names: str) -> None:
    # Now, so that the old page is never served again, and once more on commit: a reader in
    # between still sees the old rows and may cache them under the new version. Outside a
    # transaction on_commit runs at once (a harmless second bump).
    for name in names:
        versioned_cache.bump(name)
    versioned_cache.bump_on_commit(*names)


@dataclass(frozen=True)
class Facet:
    """A filter of the library and its counts. ``param`` is the URL parameter, ``value`` the
    column filtered and counted on; a value is named by ``choices``, by an option of the
    reference lists (``option``) or by itself."""

    param: str
    title: str
    value: str
    choices: type | None = None
    integer: bool = False
    option: bool = False


FACETS = (
    Facet("thematique", "Thématique", "theme_id", integer=True, option=True),
    Facet("public", "Public visé", "audience_id", integer=True, option=True),
    Facet("intervention", "Type d'intervention", "intervention_type_id", integer=True, option=True),
    Facet("echelle", "Échelle de l'action", "scale", choices=Scale),
    Facet("departement", "Département", "departement__code"),
    Facet("annee", "Année de mise en œuvre", "implemented_year", integer=True),
    Facet("niveau", "Niveau", "level", choices=PracticeLevel, integer=True),
    Facet("etape", "Étape de preuve", "evidence_stage", choices=EvidenceStage),
    Facet("preuve", "Niveau de preuve", "evidence_level", choices=EvidenceLevel, integer=True),
)
FACETS_BY_PARAM = {facet.param: facet for facet in FACETS}
SORT_RELEVANCE = "pertinence"
SORT_DATE = "date"
# Values kept per filter: more would only make a slower, emptier question.
MAX_VALUES_PER_FACET = 20
MAX_QUERY_LENGTH = 200


@dataclass(frozen=True)
class LibraryQuery:
    """A question asked to the library, read from a URL's GET parameters (shareable): invalid
    values are dropped, never an error."""

    text: str = ""
    filters: dict[str, tuple] = field(default_factory=dict)
    sort: str = SORT_RELEVANCE

    @classmethod
    def from_params(cls, params) -> "LibraryQuery":
        text = " ".join(str(params.get("q", "")).split())[:MAX_QUERY_LENGTH]
        filters = {}
        for facet in FACETS:
            values = []
            for raw in params.getlist(facet.param)[:MAX_VALUES_PER_FACET]:
                value = _clean(facet, raw)
                if value is not None and value not in values:
                    values.append(value)
            if values:
                filters[facet.param] = tuple(sorted(values, key=str))
        sort = SORT_DATE if params.get("tri") == SORT_DATE or not text else SORT_RELEVANCE
        return cls(text=text, filters=filters, sort=sort)

    def is_empty(self) -> bool:
        return not self.text and not self.filters

    def selected(self, param: str) -> tuple:
        return self.filters.get(param, ())

    def params(self) -> list[tuple[str, str]]:
        """The GET parameters that ask this question again (for links and exports)."""
        pairs = [("q", self.text)] if self.text else []
        for param, values in self.filters.items():
            pairs.extend((param, str(value)) for value in values)
        if self.text and self.sort == SORT_DATE:
            pairs.append(("tri", SORT_DATE))
        return pairs

    def cache_key(self, prefix: str) -> str:
        question = json.dumps([self.text, sorted(self.filters.items()), self.sort])
        digest = hashlib.sha256(question.encode()).hexdigest()
        return f"{prefix}:{versioned_cache.version(CACHE_NAME)}:{digest}"


def unusable_values(params) -> list[tuple[str, int, str]]:
    """The filter values of a question that the library cannot use, as (parameter, position,
    value). The pages drop them (``LibraryQuery.from_params``); the API refuses them, so that
    a client never gets an answer to another question than the one it asked."""
    return [
        (facet.param, position, raw)
        for facet in FACETS
        for position, raw in enumerate(params.getlist(facet.param))
        if _clean(facet, raw) is None
    ]


def clean_integer(raw) -> int | None:
    """An identifier or a year as the library reads it (ASCII digits, nine at most, spaces
    around), or None."""
    raw = str(raw).strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        return None
    return int(raw)


def clean_value(param: str, raw):
    """A value of the filter ``param`` as the library reads it, or None when it cannot use it
    (the API's parameters are read by this rule)."""
    return _clean(FACETS_BY_PARAM[param], raw)


def _clean(facet: Facet, raw: str):
    raw = str(raw).strip()
    if facet.integer:
        value = clean_integer(raw)
        if value is None:
            return None
    elif facet.choices is not None:
        value = raw
    elif raw.isascii() and raw.isalnum() and len(raw) <= 3:  # a département's code: 69, 2A, 971
        value = raw.upper()
    else:
        return None
    if facet.choices is not None and value not in facet.choices.values:
        return None
    return value


def _published() -> QuerySet:
    return Practice.objects.published().annotate(implemented_year=ExtractYear("implemented_on"))


def _searched(query: LibraryQuery) -> QuerySet:
    """The published fiches that match the text, before any filter."""
    practices = _published()
    return fulltext.search(practices, query.text) if query.text else practices


def _filtered(query: LibraryQuery) -> QuerySet:
    practices = _searched(query)
    for param, values in query.filters.items():
        practices = practices.filter(**{f"{FACETS_BY_PARAM[param].value}__in": values})
    return practices


def _ordered(practices: QuerySet, query: LibraryQuery) -> QuerySet:
    if query.text and query.sort == SORT_RELEVANCE:
        return practices.order_by("-search_rank", "-published_at", "-pk")
    return practices.order_by("-published_at", "-pk")


def results(query: LibraryQuery) -> QuerySet:
    """Every fiche that answers the question, in the order asked, with its labels (exports)."""
    return _ordered(_filtered(query).with_labels(), query)


class _CountedPaginator(Paginator):
    """A paginator given its count (computed with the facets) instead of counting again."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self):
        return self._count


def page(query: LibraryQuery, number) -> Page:
    """One page of the answer (a page past the end is the last one)."""
    ids = _ordered(_filtered(query), query).values_list("pk", flat=True)
    result = _CountedPaginator(ids, PAGE_SIZE, count=count(query)).get_page(number)
    result.object_list = _with_labels(list(result.object_list))
    return result


def fiches_slice(query: LibraryQuery, offset: int, limit: int) -> list[Practice]:
    """``limit`` fiches of the answer from ``offset`` on (the API's pages)."""
    ids = _ordered(_filtered(query), query).values_list("pk", flat=True)
    return _with_labels(list(ids[offset : offset + limit]))


def _with_labels(ids: list[int]) -> list[Practice]:
    # The page's ids are chosen on the narrow rows, then only those fiches are read with their
    # labels: sorting every match along with its joins costs far more.
    fiches = Practice.objects.with_labels().in_bulk(ids)
    return [fiches[pk] for pk in ids if pk in fiches]


@dataclass
class FacetValue:
    value: object
    label: str
    count: int
    selected: bool


@dataclass
class FacetCounts:
    facet: Facet
    values: list[FacetValue]

    @property
    def has_selection(self) -> bool:
        return any(value.selected for value in self.values)


def count(query: LibraryQuery) -> int:
    """How many fiches answer the question."""
    return _summary(query)["total"]


def facets(query: LibraryQuery) -> list[FacetCounts]:
    """Each filter's values with how many fiches each would give, the search and the other
    filters applied (a filter's own selection is left out, so that its alternatives keep their
    counts)."""
    rows = _summary(query)["facets"]
    counts = []
    for facet in FACETS:
        selected = query.selected(facet.param)
        values = [
            FacetValue(value, label, number, value in selected)
            for value, label, number in rows[facet.param]
        ]
        present = {value.value for value in values}
        # A selected value that no longer gives any fiche stays visible, so it can be removed.
        values.extend(
            FacetValue(value, _label(facet, value, {}), 0, True)
            for value in selected
            if value not in present
        )
        counts.append(FacetCounts(facet, values))
    return counts


def _summary(query: LibraryQuery) -> dict:
    """The total and every filter's counts, from one read of the matching fiches' narrow
    columns (a GROUP BY per filter would read them nine times): cached until the library
    changes."""
    return versioned_cache.rebuilt_once(
        query.cache_key("practices:summary"),
        lambda: _count_everything(query),
        fresh_for=FACETS_CACHE_SECONDS,
    )


def _count_everything(query: LibraryQuery) -> dict:
    columns = [facet.value for facet in FACETS]
    year = columns.index("implemented_year")
    selections = [
        (index, frozenset(query.selected(facet.param)))
        for index, facet in enumerate(FACETS)
        if query.selected(facet.param)
    ]
    # Plain tuples straight from the cursor: ten thousand rows through the ORM's row machinery
    # cost more than the query.
    try:
        sql, params = _searched(query).values_list(*columns).order_by().query.sql_with_params()
    except EmptyResultSet:  # a text without a searchable word
        fetched = []
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
    rows = [
        (*row[:year], None if row[year] is None else int(row[year]), *row[year + 1 :])
        for row in fetched
    ]
    passing, missed = [], {index: [] for index, _ in selections}
    for row in rows:
        failed = [index for index, selected in selections if row[index] not in selected]
        if not failed:
            passing.append(row)
        elif len(failed) == 1:
            # Left out by its own filter only: it counts for that filter's alternatives.
            missed[failed[0]].append(row[failed[0]])
    tallies = [Counter(column) for column in zip(*passing, strict=True)] or [
        Counter() for _ in FACETS
    ]
    for index, values in missed.items():
        tallies[index].update(values)
    labels = {
        "options": dict(ReferenceOption.objects.values_list("pk", "label")),
        "departements": dict(Departement.objects.values_list("code", "name")),
    }
    return {
        "total": len(passing),
        "facets": {
            facet.param: _sorted(
                facet,
                [
                    (value, _label(facet, value, labels), number)
                    for value, number in tallies[index].items()
                    if value is not None
                ],
            )
            for index, facet in enumerate(FACETS)
        },
    }


def _label(facet: Facet, value, labels: dict) -> str:
    if facet.choices is not None:
        try:
            return str(facet.choices(value).label)
        except ValueError:
            return str(value)
    if facet.param == "departement":
        name = labels.get("departements", {}).get(value)
        return f"{name} ({value})" if name else str(value)
    if facet.option:
        return labels.get("options", {}).get(value, str(value))
    return str(value)


def _sorted(facet: Facet, rows: list[tuple]) -> list[tuple]:
    if facet.param == "annee":
        return sorted(rows, key=lambda row: row[0], reverse=True)
    if facet.choices is not None:
        order = list(facet.choices.values)
        return sorted(rows, key=lambda row: order.index(row[0]))
    if facet.param == "departement":
        return sorted(rows, key=lambda row: row[0])
    return sorted(rows, key=lambda row: (-row[2], row[1]))


# The columns of the exports and the API, in order: (key, CSV header).
EXPORT_COLUMNS = (
    ("id", "identifiant"),
    ("url", "adresse"),
    ("level", "niveau"),
    ("level_label", "libellé du niveau"),
    ("title", "intitulé"),
    ("entity_name", "entité"),
    ("structure_name", "structure"),
    ("description", "description"),
    ("implemented_on", "date de mise en œuvre"),
    ("scale", "échelle"),
    ("intervention_type", "type d'intervention"),
    ("theme", "thématique"),
    ("audience", "public visé"),
    ("relay", "relais de l'implémentation"),
    ("departement_code", "code du département"),
    ("departement", "département"),
    ("commune", "commune"),
    ("evidence_stage", "étape de preuve"),
    ("evidence_level", "niveau de preuve"),
    ("reviewed_on", "examinée le"),
    ("review_due_on", "à réexaminer avant le"),
    ("published_at", "publiée le"),
    ("objectives", "objectifs"),
    ("means", "moyens nécessaires"),
    ("keys_to_success", "clés de réussite"),
    ("expected_results", "résultats attendus"),
    ("difficulties", "difficultés rencontrées"),
    ("evaluation_method", "méthode d'évaluation"),
    ("evaluation_results", "résultats de l'évaluation"),
    ("co_authors", "co-auteurs"),
)


def fiche_data(practice: Practice, *, base_url: str = "") -> dict:
    """A published fiche as open data (CSV row, JSON object, API schema): labels rather than
    internal ids, dates in ISO 8601. ``practice`` comes from ``results()`` (labels selected)."""
    return {
        "id": practice.pk,
        "url": base_url + practice.get_absolute_url(),
        "level": practice.level,
        "level_label": practice.get_level_display(),
        "title": practice.title,
        "entity_name": practice.entity_name,
        "structure_name": practice.structure_name,
        "description": practice.description,
        "implemented_on": _iso(practice.implemented_on),
        "scale": practice.get_scale_display(),
        "intervention_type": practice.option_label("intervention_type"),
        "theme": practice.option_label("theme"),
        "audience": practice.option_label("audience"),
        "relay": practice.option_label("relay"),
        "departement_code": practice.departement.code if practice.departement_id else "",
        "departement": practice.departement.name if practice.departement_id else "",
        "commune": practice.commune.name if practice.commune_id else "",
        "evidence_stage": practice.get_evidence_stage_display(),
        "evidence_level": practice.evidence_level,
        "reviewed_on": _iso(practice.reviewed_on),
        "review_due_on": _iso(practice.review_due_on),
        "published_at": _iso(practice.published_at),
        **{name: getattr(practice, name) for name in LEVEL_2_SECTIONS},
        "co_authors": practice.co_authors,
    }


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def published_fiche(pk) -> Practice:
    """A published fiche with everything its page shows, or Practice.DoesNotExist."""
    return Practice.objects.published().with_labels().get(pk=pk)
