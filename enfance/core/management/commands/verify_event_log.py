from django.core.management.base import BaseCommand, CommandError

from enfance.core.eventlog import verify_chain


class Command(BaseCommand):
    help = "Vérifie le chaînage des empreintes du journal des événements."

    def handle(self, *args, **options):
        report = verify_chain()
        if report.intact:
            self.stdout.write(
                self.style.SUCCESS(f"Journal intact : {report.checked} entrées vérifiées.")
            )
            return
        brk = report.first_break
        raise CommandError(
            f"Journal altéré : première entrée rompue n° {brk.event_id} ({brk.reason})."
        )
