"""The events written before they were searchable enter the full-text index."""

from django.db import migrations


def index_events(apps, schema_editor):
    # Imported here: the texts are the search module's, the same as on every save.
    from enfance.core import fulltext
    from enfance.events.search import event_texts

    Event = apps.get_model("events", "Event")
    fulltext.index_missing(Event.objects.select_related("commune", "departement"), event_texts)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0003_members_only_kinds"),
        ("core", "0003_search_entry"),
    ]

    operations = [migrations.RunPython(index_events, migrations.RunPython.noop)]
