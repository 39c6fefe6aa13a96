"""The event log's model is LogEntry (the forums and ateliers are ``events.Event``): the table,
its index and its append-only triggers (0002) follow the new name."""

from django.conf import settings
from django.db import migrations

GUARDED_COLUMNS = (
    "occurred_at, actor_ref, action, target_type, target_id, summary, data, public, "
    "prev_hash, hash"
)


def _sqlite_trigger(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table.replace('logentry', 'event')}_no_update;",
        f"DROP TRIGGER IF EXISTS {table}_no_update;",
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE OF {GUARDED_COLUMNS} ON {table}
        BEGIN SELECT RAISE(ABORT, 'event log is append-only'); END;""",
    ]


FORWARD = {
    "sqlite": _sqlite_trigger("core_logentry"),
    "postgresql": [
        "ALTER FUNCTION core_event_refuse_change() RENAME TO core_logentry_refuse_change;",
        "ALTER TRIGGER core_event_no_update ON core_logentry RENAME TO core_logentry_no_update;",
        "ALTER TRIGGER core_event_no_delete ON core_logentry RENAME TO core_logentry_no_delete;",
    ],
}
BACKWARD = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS core_logentry_no_update;",
        f"""CREATE TRIGGER core_event_no_update BEFORE UPDATE OF {GUARDED_COLUMNS} ON core_logentry
        BEGIN SELECT RAISE(ABORT, 'event log is append-only'); END;""",
    ],
    "postgresql": [
        "ALTER FUNCTION core_logentry_refuse_change() RENAME TO core_event_refuse_change;",
        "ALTER TRIGGER core_logentry_no_update ON core_logentry RENAME TO core_event_no_update;",
        "ALTER TRIGGER core_logentry_no_delete ON core_logentry RENAME TO core_event_no_delete;",
    ],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_search_entry"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="Event", new_name="LogEntry"),
        migrations.RenameIndex(
            model_name="logentry",
            new_name="logentry_target_idx",
            old_name="core_event_target__88cf71_idx",
        ),
        # Backwards, the triggers get their old names back while the table is still
        # core_logentry (operations are reversed): the rename of the table then carries them.
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
