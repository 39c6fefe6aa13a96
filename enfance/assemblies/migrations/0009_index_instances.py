"""The instances written before they were searchable enter the full-text index."""

from django.db import migrations


def index_instances(apps, schema_editor):
    # Imported here: the texts are the search module's, the same as on every save.
    from enfance.assemblies.search import instance_texts
    from enfance.core import fulltext

    Instance = apps.get_model("assemblies", "Instance")
    fulltext.index_missing(Instance.objects.select_related("departement"), instance_texts)


class Migration(migrations.Migration):
    dependencies = [
        ("assemblies", "0008_dates_within_bounds"),
        ("core", "0003_search_entry"),
    ]

    operations = [migrations.RunPython(index_instances, migrations.RunPython.noop)]
