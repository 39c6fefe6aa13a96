"""Encrypt every confided value again under the first key of ENCRYPTION_KEYS (core/crypto.py)."""

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand, CommandError

from enfance.core.crypto import UnreadableToken, rotate_all
from enfance.core.eventlog import record_event


class Command(BaseCommand):
    help = (
        "Chiffre à nouveau, sous la première clé d'ENCRYPTION_KEYS, tout ce qui est chiffré ; "
        "--new-key affiche une nouvelle clé."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--new-key", action="store_true", help="Affiche une nouvelle clé, sans rien changer."
        )

    def handle(self, *args, new_key=False, **options):
        if new_key:
            self.stdout.write(Fernet.generate_key().decode())
            return
        try:
            counts = rotate_all()
        except UnreadableToken as error:
            raise CommandError(f"{error} Rien n'a été modifié.") from None
        total = sum(counts.values())
        record_event(
            by=None,
            action="core.encryption_rotated",
            summary=f"Rotation des clés de chiffrement : {total} valeurs chiffrées à nouveau",
            data=counts,
        )
        for name, count in counts.items():
            self.stdout.write(f"{name} : {count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} valeurs chiffrées sous la nouvelle clé : l'ancienne peut être retirée "
                "d'ENCRYPTION_KEYS."
            )
        )
