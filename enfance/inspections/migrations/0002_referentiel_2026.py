"""Version 2026 of the référentiel, from its file (never changed once loaded: referentiel.py)."""

from django.db import migrations

from enfance.inspections.referentiel import load as load_version


def load(apps, schema_editor):
    load_version("2026", apps=apps)


class Migration(migrations.Migration):
    dependencies = [("inspections", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
