import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from enfance.core.national_data import (
    DEFAULT_PASSWORD,
    DEFAULT_USERS,
    format_count,
    format_seconds,
    load_steps,
    step_rng,
)

STEPS = load_steps()


class Command(BaseCommand):
    help = (
        "Génère le jeu de données à l'échelle nationale (QUALITY.md) : reproductible (graine), "
        "par insertions en masse, et reprenable."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--users",
            type=int,
            default=DEFAULT_USERS,
            help=f"nombre de comptes générés visé (défaut : {DEFAULT_USERS})",
        )
        parser.add_argument("--seed", type=int, default=2025, help="graine (défaut : 2025)")
        parser.add_argument(
            "--instances", type=int, default=1200, help="instances locales (défaut : 1200)"
        )
        parser.add_argument(
            "--events", type=int, default=20000, help="forums, ateliers, lives (défaut : 20000)"
        )
        parser.add_argument(
            "--registrations",
            type=int,
            default=500_000,
            help="inscriptions aux événements (défaut : 500000)",
        )
        parser.add_argument(
            "--steps",
            default="",
            help=f"étapes à exécuter, séparées par des virgules (défaut : toutes : "
            f"{', '.join(s.name for s in STEPS)})",
        )
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help="mot de passe de tous les comptes générés",
        )
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="accepter de tourner avec DEBUG désactivé (base de banc d'essai uniquement)",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "DEBUG est désactivé : ces données fictives n'ont rien à faire en production. "
                "Sur une base de banc d'essai, ajouter --allow-production."
            )
        if options["users"] < 0:
            raise CommandError("--users doit être positif.")
        wanted = [name.strip() for name in options["steps"].split(",") if name.strip()]
        unknown = set(wanted) - {s.name for s in STEPS}
        if unknown:
            raise CommandError(f"Étape inconnue : {', '.join(sorted(unknown))}")
        steps = [s for s in STEPS if not wanted or s.name in wanted]

        options["log"] = self.stdout.write
        self.stdout.write(
            f"Jeu de données national — base {connection.vendor}, graine {options['seed']}, "
            f"{format_count(options['users'])} comptes visés"
        )
        total_started = time.monotonic()
        timings = []
        for current in steps:
            self.stdout.write(f"Étape « {current.name} » : {current.label}")
            started = time.monotonic()
            current.run(step_rng(options["seed"], current.name), options)
            timings.append((current.name, time.monotonic() - started))
            self.stdout.write(f"  terminée en {format_seconds(timings[-1][1])}")
        total = time.monotonic() - total_started
        self.stdout.write("Durées :")
        for name, seconds in timings:
            self.stdout.write(f"  {name:<20} {format_seconds(seconds)}")
        self.stdout.write(self.style.SUCCESS(f"Jeu de données prêt en {format_seconds(total)}."))
