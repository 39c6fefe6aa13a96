"""Files joined to a support message: PDF, PNG or JPEG only, recognised from their first bytes
(a file that is not what its name says is refused), SUPPORT_ATTACHMENT_MAX_BYTES at most,
encrypted before they reach the file storage (``core.crypto``) and removed from it with their
message."""

import uuid

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete

from enfance.core import uploads
from enfance.core.crypto import decrypt_bytes, encrypt_bytes, register_encrypted_files

from .models import Attachment, AttachmentType

FOLDER = "soutien"


def checked(upload) -> tuple[str, str, bytes]:
    """(file name, type, bytes) of an uploaded file, or a French refusal."""
    return uploads.checked(
        upload,
        kinds=AttachmentType.values,
        max_bytes=settings.SUPPORT_ATTACHMENT_MAX_BYTES,
        field="attachment",
    )


def store(message, name: str, content_type: str, data: bytes) -> Attachment:
    stored_as = default_storage.save(
        f"{FOLDER}/{uuid.uuid4().hex}", ContentFile(encrypt_bytes(data))
    )
    try:
        return Attachment.objects.create(
            message=message,
            filename=name,
            content_type=content_type,
            size=len(data),
            stored_as=stored_as,
        )
    except Exception:
        default_storage.delete(stored_as)
        raise


def read(attachment: Attachment) -> bytes:
    with default_storage.open(attachment.stored_as, "rb") as stored:
        return decrypt_bytes(stored.read())


def _remove_file(sender, instance, **kwargs):
    # Once the deletion is committed: a rolled-back one keeps its row, and its file.
    stored_as = instance.stored_as
    transaction.on_commit(lambda: default_storage.delete(stored_as))


def connect() -> None:
    register_encrypted_files(Attachment, "stored_as")
    post_delete.connect(_remove_file, sender=Attachment, dispatch_uid="support-attachment-file")
