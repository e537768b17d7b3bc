"""CSV and XLSX downloads whose cells are safe to open in a spreadsheet program."""

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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
        response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")  # so that Excel reads UTF-8
        writer = csv.writer(response)
        writer.writerow(header)
        writer.writerows(safe_rows)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response
