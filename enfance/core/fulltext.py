# ruff: noqa: S608, S611 - the SQL here interpolates constants only; every value is a parameter.
"""French full-text search behind one interface, on PostgreSQL and on SQLite.

Any model can be indexed: an object's entry holds up to four weighted texts ("A", the title, ranks
above "B", above "C", above "D"). A search keeps the matching rows of a queryset and annotates
them with ``search_rank`` (higher is better)::

    fulltext.index(practice, {"A": practice.title, "B": practice.description})
    fulltext.search(Practice.objects.published(), "education enfants").order_by("-search_rank")

Both databases give the same answers: case and accents are ignored and French words are reduced
to their stem ("enfant" finds "enfants", "education" finds "éducation"); French stop words
("le", "des", …) are not searchable. PostgreSQL does it with the ``enfance_french`` text search
configuration (``french`` with ``unaccent`` before stemming, see migration core 0003) on a
GIN-indexed ``tsvector``; SQLite with an FTS5 table holding text normalized here by
:func:`normalize` (the same steps, with the Snowball French stemmer), and queries normalized the
same way, every word quoted so that no query is read as FTS syntax.

A query is words and nothing else: quotes, operators and punctuation are separators, so any input
(``&``, ``%``, emoji, 10,000 characters) is answered and never raises.
"""

import re
import unicodedata
from collections.abc import Iterable
from itertools import islice

import snowballstemmer
from django.db import connection, models, transaction
from django.db.models.expressions import Expression, F, RawSQL, Value

from enfance.core.models import SearchEntry

WEIGHTS = ("A", "B", "C", "D")
# Beyond this, words add nothing a person meant to ask; the cap bounds the cost of one search.
MAX_QUERY_WORDS = 32
MAX_QUERY_CHARACTERS = 2000
BULK_CHUNK = 1000

PG_CONFIG = "enfance_french"
# FTS5 relevance: BM25 with a weight per column (A to D), near PostgreSQL's ts_rank defaults.
SQLITE_BM25 = "bm25(core_searchentry_fts, 10.0, 4.0, 2.0, 1.0)"

# PostgreSQL's french.stop. PostgreSQL checks it after removing accents, so it indexes "à" as
# "a"; a query leaves out these words in their accent-less forms too ("a la parentalite" asks for
# "parentalité" only), which gives the same answers on both databases.
FRENCH_STOP_WORDS = frozenset(
    """au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me même mes
    moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu
    un une vos votre vous c d j l à m n s t y été étée étées étés étant étante étants étantes suis
    es est sommes êtes sont serai seras sera serons serez seront serais serait serions seriez
    seraient étais était étions étiez étaient fus fut fûmes fûtes furent sois soit soyons soyez
    soient fusse fusses fût fussions fussiez fussent ayant ayante ayantes ayants eu eue eues eus
    ai as avons avez ont aurai auras aura aurons aurez auront aurais aurait aurions auriez
    auraient avais avait avions aviez avaient eut eûmes eûtes eurent aie aies ait ayons ayez
    aient eusse eusses eût eussions eussiez eussent""".split()  # noqa: SIM905 - as PostgreSQL ships it
)
# Letters unaccent spells out that Unicode decomposition leaves whole.
_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"})
# Letters and digits; everything else (underscore included, as PostgreSQL's parser does) splits.
_WORD = re.compile(r"[^\W_]+")
_stemmer = snowballstemmer.stemmer("french")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_LIGATURES))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


_FOLDED_STOP_WORDS = frozenset(_fold(word) for word in FRENCH_STOP_WORDS)


def _words(text: str) -> list[str]:
    """The searchable words of a text, case and accents folded, stop words left out."""
    return [word for word in _WORD.findall(_fold(text or "")) if word not in _FOLDED_STOP_WORDS]


def normalize(text: str) -> str:
    """Lower case, accents removed, French stems: the text SQLite indexes and searches."""
    return " ".join(_stemmer.stemWords(_words(text)))


def _kind(model) -> str:
    return model._meta.concrete_model._meta.label


def _texts(weighted: dict[str, str]) -> list[str]:
    unknown = set(weighted) - set(WEIGHTS)
    if unknown:
        raise ValueError(f"Unknown full-text weights: {sorted(unknown)}")
    return [weighted.get(weight) or "" for weight in WEIGHTS]


def index(obj: models.Model, weighted: dict[str, str]) -> None:
    """Index (or re-index) one object; its previous entry is replaced."""
    if obj.pk is None:
        raise ValueError("Only a saved object can be indexed.")
    bulk_index(type(obj), [(obj.pk, weighted)])


def unindex(obj: models.Model) -> None:
    entries = SearchEntry.objects.filter(kind=_kind(type(obj)), object_id=obj.pk)
    with transaction.atomic():
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM core_searchentry_fts WHERE rowid IN "
                    "(SELECT id FROM core_searchentry WHERE kind = %s AND object_id = %s)",
                    [_kind(type(obj)), obj.pk],
                )
        entries.delete()


def bulk_index(model, rows: Iterable[tuple[int, dict[str, str]]]) -> int:
    """Index many objects of one model from ``(pk, weighted texts)`` pairs, read lazily in chunks
    (a generator keeps memory flat); returns how many were indexed."""
    kind = _kind(model)
    write = _bulk_postgresql if connection.vendor == "postgresql" else _bulk_sqlite
    iterator = iter(rows)
    count = 0
    while chunk := list(islice(iterator, BULK_CHUNK)):
        with transaction.atomic():
            write(kind, [(int(pk), _texts(weighted)) for pk, weighted in chunk])
        count += len(chunk)
    return count


def _bulk_postgresql(kind: str, chunk: list[tuple[int, list[str]]]) -> None:
    vector = " || ".join(
        f"setweight(to_tsvector('{PG_CONFIG}', t.{weight.lower()}), '{weight}')"
        for weight in WEIGHTS
    )
    columns = list(zip(*[(pk, *texts) for pk, texts in chunk], strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO core_searchentry (kind, object_id, vector)
            SELECT %s, t.id, {vector}
            FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[])
                AS t(id, a, b, c, d)
            ON CONFLICT (kind, object_id) DO UPDATE SET vector = EXCLUDED.vector""",
            [kind, *(list(column) for column in columns)],
        )


def _bulk_sqlite(kind: str, chunk: list[tuple[int, list[str]]]) -> None:
    pks = [pk for pk, _ in chunk]
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO core_searchentry (kind, object_id) VALUES (%s, %s) "
            "ON CONFLICT (kind, object_id) DO NOTHING",
            [(kind, pk) for pk in pks],
        )
        entry_ids = dict(
            SearchEntry.objects.filter(kind=kind, object_id__in=pks).values_list("object_id", "id")
        )
        # A stale FTS row may remain under a reused id (a test flush empties only Django's
        # tables): delete before inserting, always.
        cursor.executemany(
            "DELETE FROM core_searchentry_fts WHERE rowid = %s",
            [(entry_ids[pk],) for pk in pks],
        )
        cursor.executemany(
            "INSERT INTO core_searchentry_fts (rowid, a, b, c, d) VALUES (%s, %s, %s, %s, %s)",
            [(entry_ids[pk], *(normalize(text) for text in texts)) for pk, texts in chunk],
        )


class _Rank(Expression):
    """The search rank of the row whose primary key is ``pk``: a correlated subquery on the
    entry, so that it follows the queryset through joins and nesting like any expression."""

    output_field = models.FloatField()

    def __init__(self, pk, sql: str, params_before: list, params_after: list):
        super().__init__()
        self.pk, self.sql = pk, sql
        self.params_before, self.params_after = params_before, params_after

    def get_source_expressions(self):
        return [self.pk]

    def set_source_expressions(self, exprs):
        (self.pk,) = exprs

    def as_sql(self, compiler, connection):
        pk_sql, pk_params = compiler.compile(self.pk)
        return self.sql.format(pk=pk_sql), [*self.params_before, *pk_params, *self.params_after]


def search(queryset: models.QuerySet, query: str, *, match: str = "all") -> models.QuerySet:
    """The rows of ``queryset`` whose entry matches ``query``, annotated with ``search_rank``.

    ``match="all"`` wants every word of the query, ``match="any"`` one of them (for "similar"
    suggestions). A query without a searchable word gives ``queryset.none()`` (annotated too).
    """
    if match not in ("all", "any"):
        raise ValueError("match must be 'all' or 'any'")
    words = _words((query or "")[:MAX_QUERY_CHARACTERS])[:MAX_QUERY_WORDS]
    if not words:
        # Still annotated, so that callers may order by the rank whatever was asked.
        return queryset.none().annotate(search_rank=Value(0.0, output_field=models.FloatField()))
    kind = _kind(queryset.model)
    if connection.vendor == "postgresql":
        # Each word is a bound parameter parsed by plainto_tsquery: never tsquery syntax.
        operator = " && " if match == "all" else " || "
        tsquery = "(" + operator.join([f"plainto_tsquery('{PG_CONFIG}', %s)"] * len(words)) + ")"
        matching = RawSQL(
            f"SELECT object_id FROM core_searchentry WHERE kind = %s AND vector @@ {tsquery}",
            [kind, *words],
        )
        rank = _Rank(
            F("pk"),
            f"(SELECT ts_rank(s.vector, {tsquery}) FROM core_searchentry s "
            "WHERE s.object_id = {pk} AND s.kind = %s)",
            words,
            [kind],
        )
    else:
        stems = dict.fromkeys(_stemmer.stemWords(words))
        fts_query = (" " if match == "all" else " OR ").join(f'"{stem}"' for stem in stems)
        matching = RawSQL(
            "SELECT s.object_id FROM core_searchentry_fts "
            "JOIN core_searchentry s ON s.id = core_searchentry_fts.rowid "
            "WHERE core_searchentry_fts MATCH %s AND s.kind = %s",
            [fts_query, kind],
        )
        rank = _Rank(
            F("pk"),
            f"(SELECT -{SQLITE_BM25} FROM core_searchentry_fts "
            "JOIN core_searchentry s ON s.id = core_searchentry_fts.rowid "
            "WHERE s.object_id = {pk} AND s.kind = %s AND core_searchentry_fts MATCH %s)",
            [],
            [kind, fts_query],
        )
    return queryset.filter(pk__in=matching).annotate(search_rank=rank)
