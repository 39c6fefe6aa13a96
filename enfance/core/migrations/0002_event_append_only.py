"""Database triggers that refuse to change or delete an event log entry.

Only `actor_id` may change: it becomes NULL when an account is erased (the hash covers
`actor_ref`, not the foreign key). On SQLite (the embedded, local default) deletes are not
refused by a trigger, because Django's test flush deletes rows there (PostgreSQL truncates, which
row triggers do not see); the model refuses them and the chain verification catches them.
"""

from django.db import migrations

GUARDED_COLUMNS = (
    "occurred_at, actor_ref, action, target_type, target_id, summary, data, public, "
    "prev_hash, hash"
)

SQLITE_FORWARD = [
    f"""CREATE TRIGGER core_event_no_update BEFORE UPDATE OF {GUARDED_COLUMNS} ON core_event
    BEGIN SELECT RAISE(ABORT, 'event log is append-only'); END;""",

]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS core_event_no_update;"]

POSTGRES_FORWARD = [
    """CREATE OR REPLACE FUNCTION core_event_refuse_change() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'event log is append-only'; END;
    $$ LANGUAGE plpgsql;""",
    f"""CREATE TRIGGER core_event_no_update BEFORE UPDATE OF {GUARDED_COLUMNS} ON core_event
    FOR EACH ROW EXECUTE FUNCTION core_event_refuse_change();""",
    """CREATE TRIGGER core_event_no_delete BEFORE DELETE ON core_event
    FOR EACH ROW EXECUTE FUNCTION core_event_refuse_change();""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS core_event_no_update ON core_event;",
    "DROP TRIGGER IF EXISTS core_event_no_delete ON core_event;",
    "DROP FUNCTION IF EXISTS core_event_refuse_change();",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        )
    ]
