"""Seed 004's option lists, loaded once (administrators edit them afterwards)."""

from django.db import migrations

from enfance.practices.reference_data import ensure_reference_options


def load_options(apps, schema_editor):
    ensure_reference_options(apps.get_model("practices", "ReferenceOption"))


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [migrations.RunPython(load_options, migrations.RunPython.noop)]
