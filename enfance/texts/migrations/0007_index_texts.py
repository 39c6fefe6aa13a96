"""The texts written before they were searchable enter the full-text index."""

from django.db import migrations


def index_texts(apps, schema_editor):
    # Imported here: the texts are the search module's, the same as on every save.
    from enfance.core import fulltext
    from enfance.texts.search import text_texts

    fulltext.index_missing(apps.get_model("texts", "Text").objects.all(), text_texts)


class Migration(migrations.Migration):
    dependencies = [
        ("texts", "0006_recipients_in_plain_words"),
        ("core", "0003_search_entry"),
    ]

    operations = [migrations.RunPython(index_texts, migrations.RunPython.noop)]
