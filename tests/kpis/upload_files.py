"""Spreadsheets for upload tests, written the way people's files arrive: CSV text or an .xlsx workbook."""

import csv
import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from kpis.uploads import COLUMNS


def csv_file(
    rows: list[list[object]], header: list[str] = COLUMNS, name: str = "returns.csv"
) -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(
    rows: list[list[object]],
    header: list[str] = COLUMNS,
    name: str = "returns.xlsx",
    number_formats: dict[str, str] | None = None,
) -> SimpleUploadedFile:
    """`number_formats` formats cells as a person does in Excel: {"C2": "0.0%"}."""
    workbook = Workbook()
    sheet = workbook.active
    for row in [header, *rows]:
        sheet.append(row)
    for cell, number_format in (number_formats or {}).items():
        sheet[cell].number_format = number_format
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def xlsx_with_part_replaced(part: str, content: bytes, name: str = "returns.xlsx") -> SimpleUploadedFile:
    """A real template workbook with one of its parts swapped, as a hostile file is made: small zipped, huge unzipped."""
    original = io.BytesIO(xlsx_file([]).read())
    rebuilt = io.BytesIO()
    with zipfile.ZipFile(original) as source, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename != part:
                target.writestr(member, source.read(member))
        target.writestr(part, content)
    return SimpleUploadedFile(name, rebuilt.getvalue())


def one_row_of_cells(count: int) -> bytes:
    cells = (
        "<c><v>1</v></c>" * count
    )  # a cell's reference is optional, and repeats compress to almost nothing
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<sheetData><row r="1">{cells}</row></sheetData></worksheet>'
    ).encode()
