from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Prépare la démonstration locale en une fois : la base migrée, les territoires importés, "
        "les données de démonstration chargées (chaque étape saute ce qui est déjà là)."
    )

    def handle(self, *args, **options):
        # One Django start for the three steps: each start costs seconds that a newcomer waits.
        call_command("migrate", interactive=False, verbosity=0)
        call_command("import_territories", stdout=self.stdout)
        call_command("load_demo_data", stdout=self.stdout)
