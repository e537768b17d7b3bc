"""The values as open data: CSV, XLSX and JSON, each with a data dictionary of every column.

Small numbers are suppressed as on the pages, and every text cell is made safe to open in a spreadsheet.
"""

import csv
import io
import json
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook

from core.documents import document_name
from kpis.figures import as_written, quality_of, suppressed, words_shown
from kpis.models import UNIT_NAMES, Return
from kpis.validation import starts_like_formula

DATA_DICTIONARY: list[tuple[str, str]] = [
    ("indicator_code", "The indicator's code, unique within the partnership"),
    ("indicator_title", "The indicator's name"),
    ("unit", f"What the value measures: {UNIT_NAMES}"),
    ("period_label", "The period as the source or the collection names it"),
    ("period_start", "First day of the period (ISO 8601 date)"),
    ("period_end", "Last day of the period (ISO 8601 date)"),
    ("reference_date", "The date the figure describes (ISO 8601 date)"),
    (
        "breakdown_topic",
        "What the indicator's figures are broken down by, for example primary need; empty if they are not",
    ),
    (
        "breakdown",
        "The group of children and young people the figure is for, for example one primary need; "
        "empty for the figure for the whole cohort",
    ),
    ("value", "The figure; empty where no figure was given or where it is suppressed"),
    (
        "qualifier",
        "around, about, over, approximately, almost, circa, fewer than or at least where the source gives the figure so "
        "(read 'around 5' for the value 5); empty where the figure is exact",
    ),
    ("numerator", "The count the figure is made from, where one was given; empty where suppressed"),
    ("denominator", "The count it is out of, where one was given; empty where suppressed"),
    ("suppressed", "yes where a count from 1 to 4 is hidden to protect individuals, otherwise no"),
    (
        "data_quality",
        "Where the figure stands, as the portal's pages say: published (national statistics), from_document (taken "
        "from a published document; the portal checked nothing), verified (by a recommendation lead or admin: see "
        "verified_at), queried (sent back for a correction: not to be relied on), not_yet_verified, unable_to_verify "
        "(returned, could not be verified) or not_captured",
    ),
    ("note", "What the source or the submitter said about the figure"),
    (
        "source_document",
        "The title and date of the document the figure comes from; empty for returns entered in the portal",
    ),
    ("source_quote", "The words of the source document that give the figure"),
    ("submitted_at", "When the figure was entered in the portal (ISO 8601, UTC offset)"),
    ("verified_at", "When a recommendation lead or admin verified it; empty if not yet"),
]
COLUMNS = [name for name, _ in DATA_DICTIONARY]


def safe_text(value: str) -> str:
    """A leading apostrophe stops a spreadsheet treating a text cell as a formula."""
    return f"'{value}" if starts_like_formula(value) else value


def plain_decimal(value: Decimal, places: int | None = None) -> str:
    """The figure as written: 100, 12.5, 0.25, or 47.0 where its source gave that place; never 1E+2, which readers
    mistype."""
    return format(as_written(value, places), "f")


def export_record(returned: Return) -> dict[str, str]:
    indicator = returned.indicator
    hidden = suppressed(indicator, returned.value, returned.numerator, returned.denominator)

    def figure(value: object) -> str:
        return "" if hidden or value is None else str(value)

    def when(value: date | datetime | None) -> str:
        return value.isoformat() if value else ""

    record = {
        "indicator_code": indicator.code,
        "indicator_title": indicator.title,
        "unit": indicator.unit,
        "period_label": returned.period_label,
        "period_start": when(returned.period_start),
        "period_end": when(returned.period_end),
        "reference_date": when(returned.reference_date),
        "breakdown_topic": indicator.breakdown_topic if returned.breakdown else "",
        "breakdown": returned.breakdown,
        "value": figure(
            plain_decimal(returned.value, returned.decimal_places) if returned.value is not None else None
        ),
        "qualifier": figure(returned.qualifier) if returned.value is not None else "",
        "numerator": figure(returned.numerator),
        "denominator": figure(returned.denominator),
        "suppressed": "yes" if hidden else "no",
        "data_quality": quality_of(returned).key,
        "note": words_shown(indicator, returned, returned.note),
        "source_document": document_name(returned.source_document),
        "source_quote": words_shown(indicator, returned, returned.source_quote),
        "submitted_at": when(returned.submitted_at),
        "verified_at": when(returned.verified_at),
    }
    return {key: safe_text(value) for key, value in record.items()}


def as_csv(returns: Iterable[Return]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(export_record(r) for r in returns)
    return buffer.getvalue()


def as_xlsx(returns: Iterable[Return]) -> bytes:
    workbook = Workbook()
    values = workbook.active
    assert values is not None  # a new workbook always has its first sheet
    values.title = "Values"
    values.append(COLUMNS)
    for returned in returns:
        record = export_record(returned)
        # Cells are written as text so that nothing is reinterpreted; numbers stay exactly as stored.
        values.append([record[column] for column in COLUMNS])
    dictionary = workbook.create_sheet("Data dictionary")
    dictionary.append(["column", "meaning"])
    for name, meaning in DATA_DICTIONARY:
        dictionary.append([name, meaning])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_json(returns: Iterable[Return]) -> str:
    return json.dumps(
        {
            "data_dictionary": [{"column": name, "meaning": meaning} for name, meaning in DATA_DICTIONARY],
            "values": [export_record(r) for r in returns],
        },
        ensure_ascii=False,
        indent=1,
    )
