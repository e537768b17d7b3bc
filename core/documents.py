"""Readable names for the published documents the Southend data was taken from.

The data cites each document by its seed file name, as the source folder asks; readers (pages, packs, CSV and
XLSX downloads) are shown the document's title and date instead. The mapping is data, in
core/data/source_documents.json, so that a new source document needs no code change.
"""

import json
import re
from functools import cache
from pathlib import Path

SOURCE_DOCUMENTS_FILE = Path(__file__).resolve().parent / "data" / "source_documents.json"
CITATION = re.compile(r"^(?P<file>\S+\.txt)(?: \((?P<part>[^()]*)\))?$")


@cache
def source_titles() -> dict[str, str]:
    """Each seed file name to its document's title and date, e.g. 'SEF executive summary, 2021'."""
    documents = json.loads(SOURCE_DOCUMENTS_FILE.read_text(encoding="utf-8"))["documents"]
    return {document["file"]: f"{document['title']}, {document['date']}" for document in documents}


def document_name(source: str) -> str:
    """'000_….txt (Appendix 3, SEF introduction)' as 'Health and Wellbeing Board pack, 10 December 2024,
    Appendix 3, SEF introduction'; any other source (already a title, or a collection) as it is."""
    match = CITATION.match(source)
    if not match or match["file"] not in source_titles():
        return source
    part = f", {match['part']}" if match["part"] else ""
    return f"{source_titles()[match['file']]}{part}"
