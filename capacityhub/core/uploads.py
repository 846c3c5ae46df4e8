"""Uploaded files are checked by their content, not their name: PDF, office documents (DOCX, XLSX, PPTX,
ODT) and images only, under a size cap, and office files that would inflate (ZIP bombs) are refused."""

import hashlib
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

OOXML = {
    "docx": ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": (
        "ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
}
ODT = "application/vnd.oasis.opendocument.text"
IMAGES = {"png": "image/png", "jpg": "image/jpeg", "gif": "image/gif", "webp": "image/webp"}
DOCUMENT_KINDS = ("pdf", "docx", "xlsx", "pptx", "odt", *IMAGES)
MAX_INFLATED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 200


def _zip_kind(upload):
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            infos = archive.infolist()
            inflated = sum(info.file_size for info in infos)
            packed = sum(info.compress_size for info in infos) or 1
            if inflated > MAX_INFLATED_BYTES or inflated / packed > MAX_RATIO or len(infos) > 10000:
                raise ValidationError(
                    _("The file expands to far more than its size; it is refused."), code="zip_bomb"
                )
            names = {info.filename for info in infos}
            for kind, (marker, mime) in OOXML.items():
                if "[Content_Types].xml" in names and marker in names:
                    return kind, mime
            if "mimetype" in names and archive.read("mimetype").strip().decode("ascii", "replace") == ODT:
                return "odt", ODT
    except zipfile.BadZipFile:
        return None, None
    finally:
        upload.seek(0)
    return None, None


def detect(upload):
    """``(kind, mime type)`` of an uploaded file from its first bytes and structure, or ``(None, None)``."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf", "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    guess = filetype.guess(head)
    if guess and guess.mime in IMAGES.values():
        return ("jpg" if guess.extension == "jpg" else guess.extension), guess.mime
    return None, None


def validate_upload(upload, allowed=DOCUMENT_KINDS):
    """Check an uploaded file; return ``(kind, mime type, size, sha256)``. Raises ``ValidationError``."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("The file is {size}; files may be at most {limit}.").format(
                size=filesizeformat(upload.size), limit=filesizeformat(limit)
            ),
            code="too_large",
        )
    kind, mime = detect(upload)
    if kind not in allowed:
        raise ValidationError(
            _("This type of file is not accepted. Accepted: {kinds}.").format(
                kinds=", ".join(k.upper() for k in allowed)
            ),
            code="type",
        )
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension == "jpeg":
        extension = "jpg"
    if extension != kind:
        raise ValidationError(
            _("The file's name says .{extension} but its content is {kind}.").format(
                extension=extension or "?", kind=kind.upper()
            ),
            code="mismatch",
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return kind, mime, upload.size, digest.hexdigest()
