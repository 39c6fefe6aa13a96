import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from enfance.core.crypto import UnreadableToken, decrypt, encrypt
from enfance.core.models import LogEntry
from tests.testapp.models import Confidence

pytestmark = pytest.mark.django_db

SECRET = "Mon fils ne veut plus aller chez sa famille d'accueil le week-end."


def stored(confidence) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM testapp_confidence WHERE id = %s", [confidence.pk])
        return cursor.fetchone()[0]


def test_the_database_holds_a_token_and_the_model_reads_the_text():
    confidence = Confidence.objects.create(text=SECRET)
    token = stored(confidence)
    assert SECRET not in token and "week-end" not in token
    assert Confidence.objects.get().text == SECRET
    assert Confidence.objects.create(text="").text == ""
    # The same text twice gives two tokens: nothing can be guessed by comparing rows.
    assert encrypt(SECRET) != encrypt(SECRET)


def test_a_rotation_encrypts_everything_again_under_the_new_key(settings):
    old = settings.ENCRYPTION_KEYS[0]
    rows = [Confidence.objects.create(text=f"{SECRET} ({n})") for n in range(5)]
    before = {row.pk: stored(row) for row in rows}
    new = Fernet.generate_key().decode()
    settings.ENCRYPTION_KEYS = [new, old]
    out = io.StringIO()
    call_command("rotate_encryption_keys", stdout=out)
    assert "testapp.confidence.text : 5" in out.getvalue()
    settings.ENCRYPTION_KEYS = [new]  # the old key removed: everything still reads
    assert all(stored(row) != before[row.pk] for row in rows)
    assert [r.text for r in Confidence.objects.order_by("pk")] == [r.text for r in rows]
    assert LogEntry.objects.filter(action="core.encryption_rotated").exists()


def test_a_rotation_with_a_missing_key_changes_nothing_and_says_why(settings):
    kept = Confidence.objects.create(text=SECRET)
    token = stored(kept)
    settings.ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # the old key forgotten
    with pytest.raises(CommandError, match=r"ajoutez l'ancienne clé .* Rien n'a été modifié"):
        call_command("rotate_encryption_keys")
    assert stored(kept) == token
    with pytest.raises(UnreadableToken, match="une clé manque"):
        decrypt(token)
