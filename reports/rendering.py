"""Turns a pack's content into its HTML twin and its tagged PDF. WeasyPrint may read only our static files."""

import logging
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports.content import PackContent
from reports.merging import draw_uploads
from reports.models import Pack
from reports.report_types import kind_of

# The PDF is laid out against this made-up origin, so that "/static/..." resolves to a URL we recognise.
PACK_ORIGIN = "https://pack.invalid"
UPLOAD_PREFIX = "/appendix-file/"  # an uploaded appendix image of the pack being built, by the appendix's id
PDF_VARIANT = "pdf/ua-1"
# WeasyPrint logs every page it lays out at INFO: thousands of lines a pack, drowning the worker's log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

Progress = Callable[[str, int], None]


class RefusedURLError(ValueError):
    """WeasyPrint asked for something other than one of our static files."""


def static_file_for(url: str) -> Path:
    """The static file a URL names, or RefusedURLError for file://, other hosts, and paths out of static."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != PACK_ORIGIN or not parts.path.startswith(settings.STATIC_URL):
        raise RefusedURLError(f"Only the portal's static files may be used in a pack, not {url}")
    relative = unquote(parts.path.removeprefix(settings.STATIC_URL))
    if not relative or ".." in Path(relative).parts or relative.startswith("/"):
        raise RefusedURLError(f"Not a static file: {url}")
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation as error:
        raise RefusedURLError(f"Not a static file: {url}") from error
    if not found and settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / relative
        found = str(candidate) if candidate.is_file() else None
    if not found:
        raise RefusedURLError(f"No such static file: {url}")
    return Path(found if isinstance(found, str) else found[0])


class StaticOnlyFetcher(URLFetcher):
    """Our static files, and the images uploaded as appendices of the pack being built; nothing else."""

    def __init__(self, uploads: dict[str, tuple[bytes, str]] | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.uploads = uploads or {}

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url in self.uploads:
            body, content_type = self.uploads[url]
            return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
        path = static_file_for(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


@dataclass
class Rendered:
    html: str
    pdf: bytes
    page_count: int


def document_html(content: PackContent, pack: Pack, *, for_pdf: bool) -> str:
    return render_to_string(
        kind_of(content.meeting.report_type).template,
        {
            "content": content,
            "meeting": content.meeting,
            "narrative": content.narrative,
            "as_at": content.as_at,
            "previous_as_at": content.previous_as_at,
            "pack": pack,
            "for_pdf": for_pdf,
            "kind": kind_of(content.meeting.report_type),
        },
    )


def uploaded_images(content: PackContent) -> dict[str, tuple[bytes, str]]:
    images = {}
    for item in content.appendices:
        appendix = item.appendix
        if appendix.is_uploaded and not appendix.is_pdf:
            with appendix.file.open("rb") as stream:
                images[f"{PACK_ORIGIN}{UPLOAD_PREFIX}{appendix.pk}"] = (stream.read(), appendix.file_type)
    return images


def uploads_finisher(content: PackContent) -> Callable[[Any, Any], None]:
    """What WeasyPrint calls once it has made the PDF's objects: it draws the uploaded PDFs' pages."""
    uploads = [item for item in content.appendices if item.placeholder_pages]

    def finish(document: Any, pdf: Any) -> None:
        kept = kept_pages(document)
        files = []
        for item in uploads:
            with item.appendix.file.open("rb") as stream:
                files.append((item.title, stream.read(), [kept[anchor] for anchor in item.placeholder_pages]))
        draw_uploads(pdf, files)

    return finish


def kept_pages(document: Any) -> dict[str, int]:
    """The page index of each placeholder the layout kept for an uploaded PDF's pages."""
    return {
        anchor: index
        for index, page in enumerate(document.pages)
        for anchor in page.anchors
        if anchor.startswith("upload-")
    }


def render_pack(content: PackContent, pack: Pack, progress: Progress) -> Rendered:
    progress("Writing the pages", 30)
    twin = document_html(content, pack, for_pdf=False)
    source = document_html(content, pack, for_pdf=True)
    progress("Laying out the PDF", 45)
    fetcher = StaticOnlyFetcher(uploaded_images(content))
    document = HTML(string=source, base_url=PACK_ORIGIN + "/", url_fetcher=fetcher).render(
        pdf_variant=PDF_VARIANT
    )
    progress("Writing the PDF", 80)
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT, finisher=uploads_finisher(content))
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return Rendered(html=twin, pdf=pdf, page_count=len(document.pages))
