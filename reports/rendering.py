"""Turns a pack's content into its HTML twin and its tagged PDF. WeasyPrint may read only our static files."""

import io
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
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from reports.content import PackAppendix, PackContent
from reports.models import Pack

# The PDF is laid out against this made-up origin, so that "/static/..." resolves to a URL we recognise.
PACK_ORIGIN = "https://pack.invalid"
UPLOAD_PREFIX = "/appendix-file/"  # an uploaded appendix image of the pack being built, by the appendix's id
MM = 72 / 25.4
# Where an uploaded page goes on a kept page: inside the A4 page's margins (pack.css @page), so that the
# pack's running header and "Page n of N" footer stay readable around it.
CONTENT_BOX = (18 * MM, 20 * MM, (210 - 36) * MM, (297 - 42) * MM)  # left, bottom, width, height
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
        "reports/pack/document.html",
        {
            "content": content,
            "meeting": content.meeting,
            "narrative": content.narrative,
            "as_at": content.as_at,
            "previous_as_at": content.previous_as_at,
            "pack": pack,
            "for_pdf": for_pdf,
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


def fitted(page: PageObject) -> Transformation:
    """Scales and centres an uploaded page inside the kept page's margins, never enlarging it."""
    page.transfer_rotation_to_content()
    box = page.cropbox
    width, height = float(box.width), float(box.height)
    left, bottom, room_width, room_height = CONTENT_BOX
    scale = min(room_width / width, room_height / height, 1.0)
    x = left + (room_width - width * scale) / 2 - float(box.left) * scale
    y = bottom + (room_height - height * scale) / 2 - float(box.bottom) * scale
    return Transformation().scale(scale).translate(x, y)


def merge_uploads(pdf: bytes, kept: dict[str, int], appendices: list[PackAppendix]) -> bytes:
    """Each page of an uploaded PDF drawn onto the page the layout kept for it: the page numbers, running
    headers, contents entries and the pack's tags all stay as WeasyPrint made them."""
    uploads = [item for item in appendices if item.placeholder_pages]
    if not uploads:
        return pdf
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for item in uploads:
        with item.appendix.file.open("rb") as stream:
            # A writer's own copy: turning a page's /Rotate into its content needs a page a writer holds.
            source = PdfWriter(clone_from=PdfReader(io.BytesIO(stream.read())))
        for anchor, page in zip(item.placeholder_pages, source.pages, strict=False):
            writer.pages[kept[anchor]].merge_transformed_page(page, fitted(page))
    merged = io.BytesIO()
    writer.write(merged)
    return merged.getvalue()


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
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None  # write_pdf returns the bytes when given no target
    if any(item.placeholder_pages for item in content.appendices):
        progress("Adding the uploaded appendices", 88)
        pdf = merge_uploads(pdf, kept_pages(document), content.appendices)
    return Rendered(html=twin, pdf=pdf, page_count=len(document.pages))
