"""Evidence files are checked by their content, not their name, before they are stored."""

from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "image/png": "PNG",
    "image/jpeg": "JPG",
    "text/csv": "CSV",
}
ALLOWED_LIST = "PDF, DOCX, XLSX, CSV, PNG or JPG"


def looks_like_csv(head: bytes) -> bool:
    """A CSV is plain UTF-8 text with no NUL bytes; anything else is refused."""
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character may be cut at the end of the sample.
        return error.start >= len(head) - 3
    return True


def evidence_content_type(upload: UploadedFile) -> str:
    """The file's real type, from its first bytes; raises ValidationError for anything not allowed."""
    if upload.size and upload.size > MAX_EVIDENCE_BYTES:
        raise ValidationError("The selected file must be smaller than 10 MB", code="too_large")
    if not upload.size:
        raise ValidationError("The selected file is empty", code="empty")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None and kind.mime in ALLOWED_TYPES:
        return kind.mime
    if kind is None and (upload.name or "").lower().endswith(".csv") and looks_like_csv(head):
        return "text/csv"
    raise ValidationError(f"The selected file must be a {ALLOWED_LIST}", code="wrong_type")


TITLE_LIMIT = 200  # Evidence.title
STORED_STEM_LIMIT = 40  # keeps evidence/<action>/<timestamp>-<name> within the file field's 100 characters


def shortened(name: str, limit: int) -> str:
    """The name cut to the limit with its extension kept, so a reader still sees what kind of file it is."""
    if len(name) <= limit:
        return name
    suffix = PurePath(name).suffix[:10]
    return name[: limit - len(suffix) - 1].rstrip() + "…" + suffix


def evidence_title(upload: UploadedFile) -> str:
    return shortened(upload.name or "evidence", TITLE_LIMIT)


def stored_file_name(upload: UploadedFile) -> str:
    path = PurePath(upload.name or "evidence")
    return path.stem[:STORED_STEM_LIMIT] + path.suffix[:10]
