"""Files people send (a parent's document, a SCIC's statutes, a signed convention): recognised
from their first bytes, not from their name, so that a file that is not what its name says is
refused; and no larger than the caller's limit. Refusals in French, keyed by the form's field."""

from pathlib import PurePath

from django.core.exceptions import ValidationError

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
# What a type's file begins with, the names it may carry, and its name for people.
SIGNATURES = {
    PDF: (b"%PDF-", {".pdf"}, "PDF"),
    PNG: (b"\x89PNG\r\n\x1a\n", {".png"}, "image PNG"),
    JPEG: (b"\xff\xd8\xff", {".jpg", ".jpeg"}, "image JPEG"),
}
NAME_MAX = 200


def megabytes(size: int) -> str:
    """« 4,8 », « 5 »: a size as people read it, in megabytes."""
    return f"{size / 1_000_000:.1f}".replace(".", ",").removesuffix(",0")


def checked(upload, *, kinds, max_bytes: int, field: str) -> tuple[str, str, bytes]:
    """(file name, type, bytes) of an uploaded file of one of ``kinds``, or a French refusal."""
    if upload.size > max_bytes:
        heavy, limit = megabytes(upload.size), megabytes(max_bytes)
        raise ValidationError({field: f"Ce fichier pèse {heavy} Mo : {limit} Mo au plus."})
    name = PurePath(upload.name).name[:NAME_MAX]
    extension = PurePath(name).suffix.lower()
    data = upload.read()
    for content_type in kinds:
        signature, extensions, label = SIGNATURES[content_type]
        if extension in extensions:
            if not data.startswith(signature):
                raise ValidationError(
                    {
                        field: f"« {name} » ne contient pas ce que son nom annonce ({label}) : "
                        "il n'est pas joint."
                    }
                )
            return name, content_type, data
    raise ValidationError({field: f"Joignez {_wanted(kinds)}, rien d'autre."})


def _wanted(kinds) -> str:
    """« un PDF ou une image (PNG, JPEG) »."""
    images = [SIGNATURES[k][2].removeprefix("image ") for k in kinds if k != PDF]
    parts = ["un PDF"] if PDF in kinds else []
    if images:
        parts.append(f"une image ({', '.join(images)})")
    return " ou ".join(parts)
