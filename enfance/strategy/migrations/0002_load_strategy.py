from django.db import migrations


def load(apps, schema_editor):
    # Imported here: the loader reads the data file, which a migration module should not do at
    # import time.
    from enfance.strategy.reference import load as load_reference

    load_reference(apps)


class Migration(migrations.Migration):
    dependencies = [("strategy", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
