"""Draws the pages of uploaded PDF appendices onto the blank pages the pack's layout kept for them, while
WeasyPrint writes the PDF: the page numbers, running headers, contents entries and tags stay as WeasyPrint
made them, and only the uploaded file is read and copied, never the whole pack (which keeps a 90-page pack's
merge well under a second).

Each uploaded page becomes a form XObject holding its content and its own resources, copied object by object
from the uploaded file, scaled to fit inside the page margins and centred, and tagged in the pack's structure
tree as a figure with alternative text. Its own tags, if it had any, are not merged: the HTML twin links the
file for that.
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


def tag_as_figure(pdf: pydyf.PDF, page_index: int, alt: str) -> int | None:
    """A Figure with the alternative text in the pack's structure tree, read after what WeasyPrint tagged on
    the page; its marked-content id, or None for an untagged pack."""
    if "StructTreeRoot" not in pdf.catalog:
        return None
    root = resolved(pdf, pdf.catalog["StructTreeRoot"])
    document = resolved(pdf, root["K"][0])
    nums = resolved(pdf, root["ParentTree"])["Nums"]
    page = pdf.objects[pdf.pages["Kids"][page_index * 3]]
    marked = nums[list(nums[0::2]).index(page["StructParents"]) * 2 + 1]  # indexed by marked-content id
    page_reference = pdf.page_references[page_index]
    figure = pydyf.Dictionary(
        {
            "Type": "/StructElem",
            "S": "/Figure",
            "P": document.reference,
            "K": pydyf.Array([len(marked)]),
            "Pg": page_reference,
            "Alt": pydyf.String(alt),
        }
    )
    pdf.add_object(figure)
    marked.append(figure.reference)
    order = {reference: index for index, reference in enumerate(pdf.page_references)}
    kids = document["K"]
    earlier = [i for i, kid in enumerate(kids) if order.get(resolved(pdf, kid).get("Pg"), 0) <= page_index]
    kids.insert(max(earlier, default=-1) + 1, figure.reference)
    return len(marked) - 1


def draw_uploaded_page(
    pdf: pydyf.PDF, page_index: int, source: PageObject, copier: Copier, name: str, alt: str
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
    mcid = tag_as_figure(pdf, page_index, alt)
    begin, end = (f"/Figure <</MCID {mcid}>> BDC".encode(), b"EMC") if mcid is not None else (b"", b"")
    save = pydyf.Stream([b"q"])
    draw = pydyf.Stream(
        [
            b"Q q",
            begin,
            " ".join(f"{v:f}" for v in matrix).encode() + b" cm",
            f"/{name} Do".encode(),
            end,
            b"Q",
        ]
    )
    pdf.add_object(save)
    pdf.add_object(draw)
    kept["Contents"] = pydyf.Array([save.reference, kept["Contents"], draw.reference])


def resolved(pdf: pydyf.PDF, value: Any) -> Any:
    """The pydyf object a reference such as b"12 0 R" names, or the value itself."""
    if isinstance(value, bytes) and value.endswith(b" R"):
        return pdf.objects[int(value.split()[0])]
    return value


FIGURE_ALT = (
    "Page {page} of {pages} of “{title}”, as it was supplied. The accessible web page of this pack links "
    "the document."
)


def draw_uploads(pdf: pydyf.PDF, uploads: Iterable[tuple[str, bytes, list[int]]]) -> None:
    """Each uploaded PDF's pages drawn, in order, onto the kept pages given by their index, each tagged as a
    figure whose alternative text says what it is and where to read it."""
    for number, (title, content, page_indexes) in enumerate(uploads, start=1):
        reader = PdfReader(io.BytesIO(content))
        copier = Copier(pdf)
        pages = len(page_indexes)
        for index, (page_index, page) in enumerate(zip(page_indexes, reader.pages, strict=False), start=1):
            alt = FIGURE_ALT.format(page=index, pages=pages, title=title)
            draw_uploaded_page(pdf, page_index, page, copier, f"Appendix{number}Page{index}", alt)
