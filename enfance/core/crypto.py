"""Encryption at rest of what people confide: a parent's request, the messages that answer it.

Fernet (AES-128 in CBC mode with an HMAC-SHA256, from the `cryptography` library; ADR 0015) under
the keys of ``settings.ENCRYPTION_KEYS``: the first encrypts, every one decrypts (MultiFernet). A
key is rotated by putting the new one first, running ``manage.py rotate_encryption_keys`` (every
encrypted value is encrypted again under it), then removing the old one. A database dump shows
only tokens; the keys never are in the database.

An encrypted field cannot be searched or sorted on: only what is never looked up belongs there.
"""

import uuid
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction


class UnreadableToken(Exception):
    """A value that none of the configured keys decrypts: a key is missing."""


@cache
def _keys(configured: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in configured])
    except ValueError as error:
        raise ImproperlyConfigured(
            "ENCRYPTION_KEYS : chaque clé doit être une clé Fernet (32 octets en base64)."
        ) from error


def keys() -> MultiFernet:
    return _keys(tuple(settings.ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return keys().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return keys().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise UnreadableToken(
            "Un contenu chiffré ne se lit avec aucune des clés configurées "
            "(ENCRYPTION_KEYS) : une clé manque."
        ) from error


def encrypt_bytes(data: bytes) -> bytes:
    return keys().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return keys().decrypt(token)
    except InvalidToken as error:
        raise UnreadableToken(
            "Un fichier chiffré ne se lit avec aucune des clés configurées."
        ) from error


def rotate(token: str) -> str:
    """The same value encrypted under the first key (raises UnreadableToken if no key reads it)."""
    try:
        return keys().rotate(token.encode()).decode()
    except InvalidToken as error:
        raise UnreadableToken(
            "Un contenu chiffré ne se lit avec aucune des clés configurées : ajoutez l'ancienne "
            "clé à ENCRYPTION_KEYS, après la nouvelle, avant de relancer la rotation."
        ) from error


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token, read back as text. ``max_length`` (if any) bounds the
    text people write, checked by the forms; the column holds the longer token."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)

    def get_db_prep_value(self, value, connection, prepared=False):
        return value if prepared else self.get_prep_value(value)


def encrypted_fields() -> list[tuple[type[models.Model], models.Field]]:
    """Every encrypted field of every installed model, for the rotation."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedTextField)
    ]


def _rotate_column(model, field, batch: int) -> int:
    quote = connection.ops.quote_name
    table, column = quote(model._meta.db_table), quote(field.column)
    pk = quote(model._meta.pk.column)
    select = f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''"  # noqa: S608 - names quoted
    update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s"  # noqa: S608 - names quoted
    done, last = 0, None
    with connection.cursor() as cursor:
        while True:
            after = "" if last is None else f" AND {pk} > %s"
            cursor.execute(
                f"{select}{after} ORDER BY {pk} LIMIT %s", [*([last] if after else []), batch]
            )
            rows = cursor.fetchall()
            if not rows:
                return done
            cursor.executemany(update, [(rotate(token), key) for key, token in rows])
            done += len(rows)
            last = rows[-1][0]


# Models whose rows name an encrypted file of the default storage: (model, field of its name).
# A module registers its own (support.attachments) so that the rotation covers them.
_ENCRYPTED_FILES: list[tuple[type[models.Model], str]] = []


def register_encrypted_files(model: type[models.Model], field: str) -> None:
    if (model, field) not in _ENCRYPTED_FILES:
        _ENCRYPTED_FILES.append((model, field))


def _rotate_files(model, field: str) -> int:
    """Each file written again under the first key, under a new name; the old ones deleted once
    the rotation commits (a failed rotation keeps them, and the rows still name them)."""
    done = 0
    for pk, name in model.objects.values_list("pk", field).iterator(chunk_size=500):
        with default_storage.open(name, "rb") as stored:
            token = stored.read()
        try:
            rotated = keys().rotate(token)
        except InvalidToken as error:
            raise UnreadableToken(
                "Un fichier chiffré ne se lit avec aucune des clés configurées : ajoutez "
                "l'ancienne clé à ENCRYPTION_KEYS, après la nouvelle, avant de relancer la "
                "rotation."
            ) from error
        folder = name.rpartition("/")[0]
        new_name = default_storage.save(f"{folder}/{uuid.uuid4().hex}", ContentFile(rotated))
        model.objects.filter(pk=pk).update(**{field: new_name})
        transaction.on_commit(lambda old=name: default_storage.delete(old))
        done += 1
    return done


def rotate_all(batch: int = 2000) -> dict[str, int]:
    """Every encrypted value and file encrypted again under the first key, all or nothing: a
    value that no key reads stops it (UnreadableToken) and nothing is changed. Read and written
    as stored, not through the field, so that no text is ever held longer than one batch."""
    counts = {}
    with transaction.atomic():
        for model, field in encrypted_fields():
            counts[f"{model._meta.label_lower}.{field.name}"] = _rotate_column(model, field, batch)
        for model, field in _ENCRYPTED_FILES:
            counts[f"{model._meta.label_lower} (fichiers)"] = _rotate_files(model, field)
    return counts
