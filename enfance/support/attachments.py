"""Files joined to a support message: PDF, PNG or JPEG only, recognised from their first bytes
(a file that is not what its name says is refused), SUPPORT_ATTACHMENT_MAX_BYTES at most,
encrypted before they reach the file storage (``core.crypto``) and removed from it with their
message."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete

from enfance.core.crypto import decrypt_bytes, encrypt_bytes, register_encrypted_files

from .models import Attachment, AttachmentType

# What a type's file begins with, and the names it may carry.
SIGNATURES = {
    AttachmentType.PDF: (b"%PDF-", {".pdf"}),
    AttachmentType.PNG: (b"\x89PNG\r\n\x1a\n", {".png"}),
    AttachmentType.JPEG: (b"\xff\xd8\xff", {".jpg", ".jpeg"}),
}
FOLDER = "soutien"


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}".replace(".", ",").removesuffix(",0")


def checked(upload) -> tuple[str, str, bytes]:
    """(file name, type, bytes) of an uploaded file, or a French refusal."""
    limit = settings.SUPPORT_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            {
                "attachment": f"Ce fichier pèse {_megabytes(upload.size)} Mo : "
                f"{_megabytes(limit)} Mo au plus."
            }
        )
    name = PurePath(upload.name).name[:200]
    extension = PurePath(name).suffix.lower()
    data = upload.read()
    for content_type, (signature, extensions) in SIGNATURES.items():
        if extension in extensions:
            if not data.startswith(signature):
                raise ValidationError(
                    {
                        "attachment": f"« {name} » ne contient pas ce que son nom annonce "
                        f"({AttachmentType(content_type).label}) : il n'est pas joint."
                    }
                )
            return name, content_type, data
    raise ValidationError({"attachment": "Joignez un PDF ou une image (PNG, JPEG), rien d'autre."})


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
