"""The full-text index (enfance.core.fulltext): one entry per object, and where each database
keeps the searchable text.

PostgreSQL: the ``unaccent`` extension, a text search configuration ``enfance_french`` (the
``french`` one with accents removed before stemming), and a weighted ``tsvector`` column with a
GIN index. SQLite: an FTS5 table fed with text already normalized in Python (same steps: case and
accents folded, French Snowball stems).
"""

from django.db import migrations, models

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent;",
    """DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'enfance_french') THEN
            CREATE TEXT SEARCH CONFIGURATION enfance_french (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION enfance_french
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
            -- Words mixing letters and digits ("numéro12") are not stemmed, accents still go.
            ALTER TEXT SEARCH CONFIGURATION enfance_french
                ALTER MAPPING FOR numword, numhword, hword_numpart WITH unaccent, simple;
        END IF;
    END $$;""",
    "ALTER TABLE core_searchentry ADD COLUMN vector tsvector NOT NULL DEFAULT ''::tsvector;",
    "CREATE INDEX core_searchentry_vector ON core_searchentry USING GIN (vector);",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS core_searchentry_vector;",
    "ALTER TABLE core_searchentry DROP COLUMN IF EXISTS vector;",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS enfance_french;",
]
SQLITE_FORWARD = [
    # Columns a to d hold the text of weights A to D; the rowid is the SearchEntry id.
    "CREATE VIRTUAL TABLE core_searchentry_fts USING fts5(a, b, c, d);",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS core_searchentry_fts;"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0002_event_append_only")]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=100, verbose_name="type d'objet")),
                ("object_id", models.BigIntegerField(verbose_name="identifiant de l'objet")),
            ],
            options={
                "verbose_name": "entrée de l'index de recherche",
                "verbose_name_plural": "index de recherche",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "object_id"), name="core_searchentry_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
