import time
from pathlib import Path

from django.core.management.base import BaseCommand

from enfance.territories.services import DEFAULT_SOURCE_DIR, import_territories


class Command(BaseCommand):
    help = (
        "Importe ou met à jour les régions, départements et communes depuis le découpage "
        "administratif d'Etalab (data/decoupage-administratif/). Peut être relancée sans risque."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            type=Path,
            default=DEFAULT_SOURCE_DIR,
            help="Dossier contenant regions.json, departements.json et communes.json(.gz).",
        )

    def handle(self, *args, source: Path, **options):
        started = time.monotonic()
        report = import_territories(source_dir=source)
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(f"Import terminé en {time.monotonic() - started:.1f} s.")
        )
