"""Evidence files are checked by their content, not their name, before they are stored."""

from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

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


# A browser cannot put a chosen file back into a form shown again with an error, so a valid evidence file chosen on
# an update form that another field sent back is kept here, and the form carries a signed note of where, for whom
# and for which action. The next Continue attaches it; a kept file not used within a day is removed
# (services.held_evidence_remove_expired, hourly).
HELD_FOLDER = "held-evidence"
HELD_SECONDS = 24 * 60 * 60
HELD_SALT = "actions.held-evidence"


@dataclass(frozen=True)
class HeldEvidence:
    token: str  # what the form carries
    name: str  # the file's name as the officer chose it
    path: str  # where it is kept in the default storage
    content: bytes

    def upload(self) -> UploadedFile:
        return SimpleUploadedFile(self.name, self.content)


def held_evidence_token(*, path: str, name: str, user_id: int, action_id: int) -> str:
    return signing.dumps({"path": path, "name": name, "user": user_id, "action": action_id}, salt=HELD_SALT)


def held_evidence(token: str, *, user_id: int, action_id: int) -> HeldEvidence | None:
    """The file a form's note points to, read, if the note is ours, recent, for this person and action, and the file
    is still kept; otherwise None. Read at once, so that a removal a moment later cannot lose it half way."""
    try:
        note = signing.loads(token, salt=HELD_SALT, max_age=HELD_SECONDS)
    except signing.BadSignature:
        return None
    path = str(note.get("path", ""))
    if (note.get("user"), note.get("action")) != (user_id, action_id) or PurePath(path).parent != PurePath(
        HELD_FOLDER
    ):
        return None
    try:
        with default_storage.open(path, "rb") as kept:
            content = kept.read()
    except FileNotFoundError:
        return None
    return HeldEvidence(token=token, name=str(note.get("name", "evidence")), path=path, content=content)
