"""The five colleges of seed 000 and the total bounds, as data: a reform changes these numbers
(and the seats), not the code."""

from django.db import migrations

COLLEGES = [
    # code, label, "au collège …", position, min, max, min_age, max_age, asks_expert_field
    ("parents", "Parents", "des parents", 1, 4, 6, None, None, False),
    ("grands_parents", "Grands-parents", "des grands-parents", 2, 2, 4, None, None, False),
    ("enfants", "Enfants (12-17 ans)", "des enfants", 3, 2, 4, 12, 17, False),
    ("experts", "Experts", "des experts", 4, 4, 6, None, None, True),
    (
        "associatifs",
        "Associatifs et citoyens engagés",
        "des associatifs et citoyens engagés",
        5,
        4,
        6,
        None,
        None,
        False,
    ),
]


def load(apps, schema_editor):
    College = apps.get_model("assemblies", "College")
    CollegeSeat = apps.get_model("assemblies", "CollegeSeat")
    CompositionRule = apps.get_model("assemblies", "CompositionRule")
    for code, label, of_label, position, low, high, min_age, max_age, expert in COLLEGES:
        college, _ = College.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "of_label": of_label,
                "position": position,
                "min_members": low,
                "max_members": high,
                "min_age": min_age,
                "max_age": max_age,
                "asks_expert_field": expert,
            },
        )
        for number in range(1, high + 1):
            CollegeSeat.objects.get_or_create(college=college, number=number)
    CompositionRule.objects.update_or_create(
        code="national", defaults={"min_total": 16, "max_total": 26}
    )


class Migration(migrations.Migration):
    dependencies = [("assemblies", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
