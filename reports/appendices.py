"""A meeting's appendices as the pack prints them: numbered from their order, each named for cross-references
from the narrative, and uploaded files checked before they are kept.

The narrative refers to an appendix by what it is, never by its number: "[appendix: terms of reference]" is
printed "appendix 4" while the terms of reference are the fourth appendix, and "appendix 3" once they move up.
"""

import re
from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from actions.evidence import evidence_content_type
from reports.models import Appendix

# What each kind is called in a cross-reference: the words an author types between the brackets.
REFERENCE_NAMES = {
    Appendix.Kind.ANNUAL_UPDATE: "annual update",
    Appendix.Kind.ACTION_STATUS: "action status",
    Appendix.Kind.SEF: "SEF",
    Appendix.Kind.KPIS: "key performance indicators",
    Appendix.Kind.GOVERNANCE_CHART: "governance chart",
}
REFERENCE = re.compile(r"\[(?P<word>appendix):\s*(?P<name>[^\]]+?)\s*\]", re.IGNORECASE)
NOT_ATTACHED_NOTE = "(not attached to this pack)"
NOT_ATTACHED = "the {name} " + NOT_ATTACHED_NOTE

UPLOAD_TYPES = {"application/pdf": "PDF", "image/png": "PNG", "image/jpeg": "JPG"}
UPLOAD_LIST = "PDF, PNG or JPG"
MAX_UPLOAD_PAGES = 200  # a longer document belongs on the council's website, linked from the narrative


def reference_name(appendix: Appendix) -> str:
    """The words that name this appendix in the narrative: its kind, or the kind of document it holds."""
    if appendix.kind == Appendix.Kind.DOCUMENT and appendix.document is not None:
        return appendix.document.get_kind_display().lower()
    if appendix.kind == Appendix.Kind.UPLOAD:
        return appendix.title
    return REFERENCE_NAMES[Appendix.Kind(appendix.kind)]


def appendix_number(appendices: list[Appendix], name: str) -> int | None:
    """The number in the pack of the first appendix the words name (case does not matter), or None."""
    wanted = name.strip().casefold()
    for number, appendix in enumerate(appendices, start=1):
        if wanted in {reference_name(appendix).casefold(), appendix.title.casefold()}:
            return number
    return None


def name_appendix(appendices: list[Appendix], name: str) -> str:
    """'appendix 4' for the fourth appendix the words name; says so when the pack has no such appendix."""
    number = appendix_number(appendices, name)
    return f"appendix {number}" if number is not None else NOT_ATTACHED.format(name=name.strip())


def with_appendix_numbers(text: str, appendices: list[Appendix]) -> str:
    """The narrative's text with every "[appendix: …]" written as the appendix's current number;
    "[Appendix: …]" starts a sentence, so it is printed "Appendix 4"."""

    def named(match: re.Match[str]) -> str:
        words = name_appendix(appendices, match["name"])
        return words[0].upper() + words[1:] if match["word"][0].isupper() else words

    return REFERENCE.sub(named, text or "")


def unknown_references(text: str, appendices: list[Appendix]) -> list[str]:
    """The cross-references in a text that name no appendix of the meeting."""
    return [
        m["name"] for m in REFERENCE.finditer(text or "") if appendix_number(appendices, m["name"]) is None
    ]


@dataclass
class CheckedUpload:
    content_type: str
    pages: int | None  # a PDF's page count
    tagged: bool | None  # whether a PDF is tagged for screen readers


def pdf_is_tagged(reader: PdfReader) -> bool:
    """Tagged means a structure tree and the /MarkInfo flag saying the content is marked."""
    root = reader.root_object
    mark_info = root.get("/MarkInfo")
    marked = bool(mark_info and mark_info.get_object().get("/Marked"))
    return marked and "/StructTreeRoot" in root


def open_pdf(stream: IO[bytes]) -> PdfReader:
    """The PDF, read strictly enough to know it will merge; ValidationError for what cannot be used."""
    stream.seek(0)
    try:
        reader = PdfReader(stream, strict=False)
        if reader.is_encrypted:
            raise ValidationError(
                "The selected PDF is protected with a password. Upload a copy without a password",
                code="encrypted",
            )
        pages = len(reader.pages)
        for page in reader.pages:
            page.mediabox  # noqa: B018 - reading each page's size finds broken page trees now, not at build
    except PyPdfError as error:
        raise ValidationError(
            "The selected file could not be read as a PDF. Save it again as a PDF and upload the new copy",
            code="malformed",
        ) from error
    finally:
        stream.seek(0)
    if pages == 0:
        raise ValidationError("The selected PDF has no pages", code="empty")
    if pages > MAX_UPLOAD_PAGES:
        raise ValidationError(
            f"The selected PDF must have {MAX_UPLOAD_PAGES} pages or fewer", code="too_many_pages"
        )
    return reader


def check_image(upload: UploadedFile) -> None:
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise ValidationError(
            "The selected image could not be read. Save it again and upload the new copy", code="malformed"
        ) from error
    finally:
        upload.seek(0)


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """An appendix file is checked like evidence (size, real type from its first bytes), then opened."""
    content_type = evidence_content_type(upload)
    if content_type not in UPLOAD_TYPES:
        raise ValidationError(f"The selected file must be a {UPLOAD_LIST}", code="wrong_type")
    if content_type != "application/pdf":
        check_image(upload)
        return CheckedUpload(content_type, None, None)
    reader = open_pdf(upload)
    return CheckedUpload(content_type, len(reader.pages), pdf_is_tagged(reader))
