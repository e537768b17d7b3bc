"""Files handed over as downloads: CSV and XLSX whose cells are safe to open in a spreadsheet program, and others."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
# Excel reads a CSV file in the computer's own code page unless the file starts with UTF-8's byte-order mark: without
# it the partnership's "–", "’" and "£" open as "â€“", "â€™" and "Â£". Programs reading UTF-8 skip the mark.
UTF8_MARK = "\ufeff"


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def spreadsheet_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], file_format: str, *, title: str
) -> HttpResponse:
    """`filename` without extension; `file_format` is "csv" or "xlsx"; `title` names the workbook's sheet.

    A date is given as a date: in the workbook a cell that sorts and filters as one and reads "31 Mar 2027", in the
    CSV file ISO 8601 ("2027-03-31"), which spreadsheet programs read as a date too."""
    safe_rows = [[safe_cell(value) for value in row] for row in rows]
    if file_format == "xlsx":
        return download(workbook_of(title, header, safe_rows), XLSX_TYPE, f"{filename}.xlsx")
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(safe_rows)
    return csv_download(text.getvalue(), f"{filename}.csv")


# Excel refuses a longer sheet name; a column wider than this wraps its text rather than push the next off screen.
SHEET_TITLE_LENGTH = 31
WIDEST_COLUMN = 60


def workbook_of(title: str, header: Sequence[str], rows: list[list[Any]]) -> bytes:
    """One sheet: the header in bold and kept in view, dates as dates, each column as wide as its longest value."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = title[:SHEET_TITLE_LENGTH]
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for column in sheet.iter_cols():
        for cell in column:
            if isinstance(cell.value, date):
                cell.number_format = "d mmm yyyy"
        longest = max(len(shown_in(cell.value)) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(longest, WIDEST_COLUMN) + 2
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def shown_in(value: Any) -> str:
    """A cell's value about as wide as a spreadsheet shows it: a date as "31 Mar 2027"."""
    if value is None:
        return ""
    return f"{value:%-d %b %Y}" if isinstance(value, date) else str(value)


def download(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    """A file the browser saves under `filename` rather than shows."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_download(text: str, filename: str) -> HttpResponse:
    """A CSV file to save, marked as UTF-8 so that Excel opens it with its dashes, quotes and pound signs intact."""
    return download(UTF8_MARK + text, CSV_TYPE, filename)
