"""Spreadsheets for upload tests, written the way people's files arrive: CSV text or an .xlsx workbook."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from dashboards.uploads import COLUMNS


def csv_file(
    rows: list[list[object]], header: list[str] = COLUMNS, name: str = "returns.csv"
) -> SimpleUploadedFile:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(
    rows: list[list[object]], header: list[str] = COLUMNS, name: str = "returns.xlsx"
) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in [header, *rows]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())
