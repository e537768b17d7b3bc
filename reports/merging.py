"""Draws the pages of uploaded PDF appendices onto the blank pages the pack's layout kept for them, while
WeasyPrint writes the PDF: the page numbers, running headers, contents entries and tags stay as WeasyPrint
made them, and only the uploaded file is read and copied, never the whole pack (which keeps a 90-page pack's
merge well under a second).

Each uploaded page becomes a form XObject holding its content and its own resources, copied object by object
from the uploaded file, scaled to fit inside the page margins and centred.
"""

import io
from collections.abc import Iterable
from typing import Any

import pydyf
from pypdf import PageObject, PdfReader, Transformation
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, PdfObject, StreamObject

MM = 72 / 25.4
# Inside the A4 page's margins (pack.css @page), so that the running header and "Page n of N" stay readable.
CONTENT_BOX = (18 * MM, 20 * MM, (210 - 36) * MM, (297 - 42) * MM)  # left, bottom, width, height


class Copier:
    """Copies objects of one uploaded PDF into the pack's pydyf PDF, each indirect object once."""

    def __init__(self, pdf: pydyf.PDF) -> None:
        self.pdf = pdf
        self.copied: dict[tuple[int, int], bytes] = {}

    def copy(self, value: Any) -> Any:
        if isinstance(value, IndirectObject):
            return self.copy_indirect(value)
        if isinstance(value, StreamObject):
            return self.add(self.stream(value))
        if isinstance(value, DictionaryObject):
            return pydyf.Dictionary({key[1:]: self.copy(item) for key, item in value.items()})
        if isinstance(value, ArrayObject):
            return pydyf.Array([self.copy(item) for item in value])
        return leaf(value)

    def copy_indirect(self, reference: IndirectObject) -> Any:
        key = (reference.idnum, reference.generation)
        if key not in self.copied:
            target = reference.get_object()
            if not isinstance(target, DictionaryObject | ArrayObject):
                return self.copy(target)  # a number or name kept indirectly is as good written in place
            holder: pydyf.Object
            if isinstance(target, StreamObject):
                holder = pydyf.Stream()
            elif isinstance(target, DictionaryObject):
                holder = pydyf.Dictionary()
            else:
                holder = pydyf.Array()
            self.pdf.add_object(holder)
            self.copied[key] = holder.reference  # before the contents: objects may refer back to it
            self.fill(holder, target)
        return self.copied[key]

    def fill(self, holder: pydyf.Object, target: PdfObject) -> None:
        if isinstance(holder, pydyf.Stream):
            assert isinstance(target, StreamObject)
            copied = self.stream(target)
            holder.stream, holder.extra = copied.stream, copied.extra
        elif isinstance(holder, pydyf.Dictionary):
            assert isinstance(target, DictionaryObject)
            holder.update({key[1:]: self.copy(item) for key, item in target.items()})
        else:
            assert isinstance(target, ArrayObject)
            holder.extend(self.copy(item) for item in target)

    def stream(self, stream: StreamObject) -> pydyf.Stream:
        """The stream's bytes as stored (still compressed), with its dictionary; the length is counted anew."""
        extra = {key[1:]: self.copy(item) for key, item in stream.items() if key != "/Length"}
        return pydyf.Stream([stream._data], extra)

    def add(self, obj: pydyf.Object) -> bytes:
        self.pdf.add_object(obj)
        return obj.reference


def leaf(value: PdfObject) -> bytes:
    """A name, number, string, boolean or null exactly as PDF writes it."""
    out = io.BytesIO()
    value.write_to_stream(out)
    return out.getvalue()


def placement(page: PageObject) -> tuple[list[float], list[float]]:
    """The page's crop box, and the matrix that turns it as /Rotate says, scales it to fit the margins (never
    enlarging it) and centres it."""
    box = [float(v) for v in page.cropbox]
    turn = Transformation().rotate(-(page.get("/Rotate", 0) or 0))
    corners = [turn.apply_on((x, y)) for x in (box[0], box[2]) for y in (box[1], box[3])]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    left, bottom, room_width, room_height = CONTENT_BOX
    scale = min(room_width / width, room_height / height, 1.0)
    matrix = (
        turn.translate(-min(xs), -min(ys))
        .scale(scale)
        .translate(left + (room_width - width * scale) / 2, bottom + (room_height - height * scale) / 2)
    )
    return box, list(matrix.ctm)


def draw_uploaded_page(
    pdf: pydyf.PDF, page_index: int, source: PageObject, copier: Copier, name: str
) -> None:
    box, matrix = placement(source)
    contents = source.get_contents()
    form = pydyf.Stream(
        [contents.get_data() if contents is not None else b""],
        {
            "Type": "/XObject",
            "Subtype": "/Form",
            "BBox": pydyf.Array(box),
            "Resources": copier.copy(source.get("/Resources", DictionaryObject())),
        },
        compress=True,
    )
    pdf.add_object(form)
    kept = pdf.objects[pdf.pages["Kids"][page_index * 3]]
    resources = pydyf.Dictionary(resolved(pdf, kept["Resources"]))
    x_objects = pydyf.Dictionary(resolved(pdf, resources.get("XObject", pydyf.Dictionary())))
    x_objects[name] = form.reference
    resources["XObject"] = x_objects
    kept["Resources"] = resources  # this page's own: the pack's other pages share theirs unchanged
    # WeasyPrint's content leaves its coordinates flipped: save the state before it and restore it after.
    save = pydyf.Stream([b"q"])
    draw = pydyf.Stream(
        [b"Q q", " ".join(f"{v:f}" for v in matrix).encode() + b" cm", f"/{name} Do Q".encode()]
    )
    pdf.add_object(save)
    pdf.add_object(draw)
    kept["Contents"] = pydyf.Array([save.reference, kept["Contents"], draw.reference])


def resolved(pdf: pydyf.PDF, value: Any) -> Any:
    """The pydyf object a reference such as b"12 0 R" names, or the value itself."""
    if isinstance(value, bytes) and value.endswith(b" R"):
        return pdf.objects[int(value.split()[0])]
    return value


def draw_uploads(pdf: pydyf.PDF, uploads: Iterable[tuple[bytes, list[int]]]) -> None:
    """Each uploaded PDF's pages drawn, in order, onto the kept pages given by their index."""
    for number, (content, page_indexes) in enumerate(uploads, start=1):
        reader = PdfReader(io.BytesIO(content))
        copier = Copier(pdf)
        for index, (page_index, page) in enumerate(zip(page_indexes, reader.pages, strict=False), start=1):
            draw_uploaded_page(pdf, page_index, page, copier, f"Appendix{number}Page{index}")
