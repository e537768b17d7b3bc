"""Files handed over as downloads: CSV and XLSX whose cells are safe to open in a spreadsheet program, and others."""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook

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
    filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]], file_format: str
) -> HttpResponse:
    """`filename` without extension; `file_format` is "csv" or "xlsx"."""
    safe_rows = [[safe_cell(value) for value in row] for row in rows]
    if file_format == "xlsx":
        workbook = Workbook()
        sheet = workbook.active
        sheet.append(list(header))
        for row in safe_rows:
            sheet.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return download(buffer.getvalue(), XLSX_TYPE, f"{filename}.xlsx")
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(header)
    writer.writerows(safe_rows)
    return csv_download(text.getvalue(), f"{filename}.csv")


def download(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    """A file the browser saves under `filename` rather than shows."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_download(text: str, filename: str) -> HttpResponse:
    """A CSV file to save, marked as UTF-8 so that Excel opens it with its dashes, quotes and pound signs intact."""
    return download(UTF8_MARK + text, CSV_TYPE, filename)
