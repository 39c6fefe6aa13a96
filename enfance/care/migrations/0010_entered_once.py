from django.conf import settings
from django.db import migrations, models

# An associate's college is one of its cooperative's colleges. Django has no composite foreign
# key: a trigger says it on PostgreSQL (on SQLite, Django rebuilds a table to alter it and would
# drop the trigger with it); the service says it in French first, on both.
POSTGRESQL = [
    """
    CREATE FUNCTION care_associate_college_check() RETURNS trigger AS $$
    BEGIN
        IF NEW.college_id IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM care_college
            WHERE id = NEW.college_id AND cooperative_id = NEW.cooperative_id
        ) THEN
            RAISE EXCEPTION 'college %% is not a college of cooperative %%', NEW.college_id,
                NEW.cooperative_id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$ LANGUAGE plpgsql;
    """,
    """
    CREATE TRIGGER care_associate_college BEFORE INSERT OR UPDATE OF college_id, cooperative_id
    ON care_associate FOR EACH ROW EXECUTE FUNCTION care_associate_college_check();
    """,
]
DROP = [
    "DROP TRIGGER IF EXISTS care_associate_college ON care_associate;",
    "DROP FUNCTION IF EXISTS care_associate_college_check();",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("care", "0009_supervision"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="associate",
            constraint=models.UniqueConstraint(
                condition=models.Q(("left_on__isnull", True)),
                fields=("cooperative", "category", "name", "joined_on"),
                name="scic_associate_entered_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="generalassembly",
            constraint=models.UniqueConstraint(
                fields=("cooperative", "title", "held_on"), name="scic_assembly_convened_once"
            ),
        ),
        migrations.RunPython(_on_postgresql(POSTGRESQL), _on_postgresql(DROP)),
    ]
