"""Loads the strategy from its data file (``data/strategie-2020-2022/strategie.json``, written
from seed 003 with the lines each entry comes from; its README says how). Idempotent: run again,
it updates the rows in place and adds nothing twice. A data migration runs it, so that every
database holds the strategy; it takes the models as the migration sees them."""

import json
from decimal import Decimal
from pathlib import Path

from django.apps import apps as installed_apps
from django.conf import settings
from django.db import transaction

DATA_FILE = Path(settings.BASE_DIR) / "data" / "strategie-2020-2022" / "strategie.json"


def read(path: Path = DATA_FILE) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    for engagement in data["engagements"]:
        for measure in engagement["measures"]:
            if not measure["title"].strip() or not measure["objectives"]:
                raise ValueError(f"La mesure {measure['number']} n'a pas d'intitulé ou d'objectif.")
    return data


def _lines(entry: dict) -> dict:
    first, last = entry["source_lines"]
    return {"first_line": first, "last_line": last}


@transaction.atomic
def load(apps=installed_apps, path: Path = DATA_FILE) -> dict[str, int]:
    data = read(path)
    engagement_model = apps.get_model("strategy", "Engagement")
    measure_model = apps.get_model("strategy", "Measure")
    target_model = apps.get_model("strategy", "Target")
    criterion_model = apps.get_model("strategy", "ContractCriterion")
    counts = {"engagements": 0, "measures": 0, "targets": 0, "criteria": 0}
    for entry in data["engagements"]:
        engagement, _ = engagement_model.objects.update_or_create(
            number=entry["number"], defaults={"title": entry["title"], **_lines(entry)}
        )
        counts["engagements"] += 1
        for position, item in enumerate(entry["measures"], start=1):
            measure, _ = measure_model.objects.update_or_create(
                number=item["number"],
                defaults={
                    "engagement": engagement,
                    "position": position,
                    "title": item["title"],
                    **{
                        field: item.get(field, [])
                        for field in (
                            "context",
                            "supporting",
                            "objectives",
                            "pilotage",
                            "actors",
                            "calendar",
                        )
                    },
                    **_lines(item),
                },
            )
            counts["measures"] += 1
            target_model.objects.filter(measure=measure).delete()
            target_model.objects.bulk_create(
                target_model(
                    measure=measure,
                    label=target["label"],
                    value=Decimal(str(target["value"])),
                    unit=target["unit"],
                    by_year=target.get("by_year"),
                    quote=target["quote"],
                )
                for target in item.get("targets", [])
            )
            counts["targets"] += len(item.get("targets", []))
    for entry in data["contract_criteria"]:
        criterion_model.objects.update_or_create(
            number=entry["number"],
            defaults={"title": entry["title"], "text": entry["text"], **_lines(entry)},
        )
        counts["criteria"] += 1
    return counts
