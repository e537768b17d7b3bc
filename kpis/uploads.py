"""Reading a returns spreadsheet (CSV or XLSX) and checking every row before anything is saved.

Nothing here writes: the upload page shows the row-by-row report, or a preview, and only a confirmed
preview reaches the service, which saves all the rows in one transaction or none of them.
"""

import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core.models import Partnership
from kpis.exports import plain_decimal
from kpis.models import Indicator, ReturnPeriod
from kpis.selectors import known_breakdowns
from kpis.services import Figures, ReturnInput
from kpis.validation import (
    BREAKDOWN_LENGTH,
    FORMULA_STARTS,
    FigureError,
    check_breakdown,
    check_denominator,
    check_fraction,
    check_period,
    check_value,
    known_spelling,
    never_negative,
    parse_number,
    starts_like_formula,
)

COLUMNS = ["indicator_code", "period", "value", "numerator", "denominator", "note"]
# A file may leave these out: a file without `breakdown` holds only figures for whole cohorts.
OPTIONAL_COLUMNS = ["breakdown"]
ALL_COLUMNS = COLUMNS + OPTIONAL_COLUMNS
# A row with none of these filled in returns nothing: a row of the template for a figure not returned yet.
FIGURE_COLUMNS = ["value", "numerator", "denominator", "note"]
# The template names each indicator for the person filling it in; the portal goes by the code and reads no further.
READER_COLUMN = "indicator"
COLUMN_HELP = {
    "indicator_code": "The indicator's code, for example EHCP_MAINTAINED",
    READER_COLUMN: "The indicator's name, to help you find its row: the portal goes by the code and ignores this column",
    "period": "The collection period's name exactly as the portal shows it, for example April 2025",
    "value": "The figure: a number with no % or £ sign; percentages between 0 and 100. Delete the row of any "
    "figure you are not returning yet",
    "numerator": "Optional: the whole number counted, where the indicator has a numerator",
    "denominator": "Optional: the whole number it is out of; not less than the numerator",
    "note": "Optional: anything the reader needs to know about the figure",
    "breakdown": "Optional column: for an indicator broken down into groups (such as primary need), the group "
    "the figure is for; empty for the figure for the whole cohort",
}
MAX_BYTES = 1_000_000
MAX_ROWS = 1_000
MAX_NOTE = 2_000
# An .xlsx is a zip: a 200 KB file can unpack to gigabytes (one row of millions of cells, a huge shared-strings
# part). A full template of MAX_ROWS rows unpacks to well under 1 MB, so anything past these limits is refused
# before openpyxl parses a single cell.
MAX_XLSX_UNPACKED_BYTES = 10_000_000
MAX_XLSX_MEMBERS = 200
MAX_COLUMNS = 50
Fail = Callable[[str, str], None]


class FileProblem(ValueError):
    """The file as a whole cannot be read as a returns spreadsheet."""


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass(frozen=True)
class CheckedUpload:
    items: list[ReturnInput]
    errors: list[RowError]


def as_shown(value: object, number_format: str | None) -> object:
    """A number in a cell formatted as a percentage, read as the workbook shows it: Excel stores 87.5% typed into a
    cell as 0.875, which read as it is stored would be returned a hundred times too small."""
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (number_format or ""):
        return plain_decimal(Decimal(str(value)) * 100)
    return value


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


# How Excel keeps a period typed as "November 2026": as the date 1 November 2026, which a workbook gives as a date and
# a CSV saved from Excel writes as "Nov-26".
EXCEL_DATES = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%b-%y")


def as_typed(label: str) -> str:
    """A period's name as it was typed, where Excel made it a date; any other text as it is."""
    for pattern in EXCEL_DATES:
        try:
            return f"{datetime.strptime(label, pattern):%B %Y}"
        except ValueError:
            continue
    return label


NOT_A_CSV = (
    "The file could not be read as a CSV. In Excel, choose Save As and save it as ‘CSV UTF-8 (Comma delimited)’ or "
    "as an ‘Excel Workbook (.xlsx)’, then upload that"
)


def windows_text(content: bytes) -> str:
    """A file in Windows' encoding; one that is not (a workbook or a document given a .csv name) is refused."""
    try:
        text = content.decode("cp1252")
    except UnicodeDecodeError as error:
        raise FileProblem(NOT_A_CSV) from error
    if "\x00" in text:  # never in text Excel saves
        raise FileProblem(NOT_A_CSV)
    return text


def read_csv(content: bytes) -> list[list[str]]:
    """A CSV as Excel saves one: UTF-8, or Windows' own encoding, which "CSV (Comma delimited)" uses in the UK."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = windows_text(content)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=separator(text)))
    except csv.Error as error:
        raise FileProblem(NOT_A_CSV) from error


def separator(text: str) -> str:
    """Commas, or semicolons where the header row is split by them: Excel saves a CSV with semicolons where the
    computer's decimal mark is a comma."""
    header = text.split("\n", 1)[0]
    return ";" if ";" in header and "," not in header else ","


def check_xlsx_archive(content: bytes) -> None:
    """Refuses a workbook whose parts unpack to more than any real returns file, before it is parsed."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as error:
        raise FileProblem("The file is not an Excel .xlsx workbook that can be opened") from error
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_XLSX_MEMBERS or unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise FileProblem(
            "The workbook holds far more than a returns file can: copy the returns into a new workbook "
            "(or download the template) and upload that"
        )


def read_xlsx(content: bytes) -> list[list[str]]:
    check_xlsx_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a damaged or disguised file
        raise FileProblem("The file is not an Excel .xlsx workbook that can be opened") from error
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows():
            if len(row) > MAX_COLUMNS:
                raise FileProblem(
                    f"The workbook has more than {MAX_COLUMNS} columns: use the template's columns"
                )
            rows.append([cell_text(as_shown(cell.value, cell.number_format)) for cell in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def read_table(name: str, content: bytes) -> list[list[str]]:
    if not content:
        raise FileProblem("The selected file is empty")
    if len(content) > MAX_BYTES:
        raise FileProblem("The selected file must be smaller than 1 MB")
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return read_csv(content)
    if lowered.endswith(".xlsx"):
        return read_xlsx(content)
    raise FileProblem("The selected file must be a CSV or an Excel .xlsx file")


def header_problems(header: list[str], written: list[str]) -> list[str]:
    """What is wrong with the first row, by the spreadsheet's column letter and the name as written there."""
    problems = []
    for index, column in enumerate(header):
        where = f"column {get_column_letter(index + 1)}"
        if column not in ALL_COLUMNS and column != READER_COLUMN:
            problems.append(
                f"{where} is called ‘{written[index].strip()}’" if column else f"{where} has no name"
            )
        elif column in header[:index]:
            problems.append(f"{where} is called ‘{column}’ again")
    problems += [f"there is no ‘{column}’ column" for column in COLUMNS if column not in header]
    return problems


@dataclass(frozen=True)
class Rows:
    returns: list[dict[str, str]]  # by column name, each with its line number in the file
    without_figures: (
        int  # rows of the template left with no figure: figures not returned yet, which stay owed
    )


def table_rows(table: list[list[str]]) -> Rows:
    """The rows that return a figure, as dictionaries by column name, and how many rows the file leaves without
    any figure (the template lists every figure owed, and someone returning a few fills in only those)."""
    if not table:
        raise FileProblem("The selected file is empty")
    header = [cell.strip().lower() for cell in table[0]]
    while header and header[-1] == "":
        header.pop()
    if problems := header_problems(header, table[0]):
        raise FileProblem(
            f"The first row does not name the template's columns: {'; '.join(problems)}. The columns are "
            + ", ".join(COLUMNS)
            + ", and breakdown if the file has figures for groups (download the template to start from)"
        )
    rows = []
    without_figures = 0
    for line, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        padded = cells + [""] * (len(header) - len(cells))
        if any(cell.strip() for cell in padded[len(header) :]):
            raise FileProblem(f"Row {line} has more cells than there are columns")
        absent = dict.fromkeys(OPTIONAL_COLUMNS, "")
        row = {"line": str(line), **absent, **dict(zip(header, padded, strict=False))}
        if not any(row.get(column, "").strip() for column in FIGURE_COLUMNS):
            without_figures += 1
            continue
        rows.append(row)
    if not rows and without_figures:
        raise FileProblem(
            "The selected file has no figures in it: fill in the value of each figure you are returning"
        )
    if not rows:
        raise FileProblem("The selected file has no returns in it, only the column names")
    if len(rows) > MAX_ROWS:
        raise FileProblem(f"The selected file has more than {MAX_ROWS:,} rows: split it into smaller files")
    return Rows(rows, without_figures)


class RowChecker:
    """Checks rows against the partnership's indicators and periods, read once for the whole file."""

    def __init__(self, partnership: Partnership, organisations: set[int]) -> None:
        self.organisations = organisations
        self.indicators = {
            indicator.code.upper(): indicator
            # With its partnership: each return saved from the file names it, and its audit record too.
            for indicator in Indicator.objects.filter(partnership=partnership).select_related(
                "owner_organisation", "partnership"
            )
        }
        self.periods = {period.label.strip().lower(): period for period in partnership.return_periods.all()}
        # The groups already returned, to keep one spelling of each; read only where an indicator is broken down.
        broken_down = any(indicator.breakdown_topic for indicator in self.indicators.values())
        self.groups = (
            known_breakdowns(Indicator.objects.filter(partnership=partnership)) if broken_down else {}
        )

    def check(self, rows: list[dict[str, str]]) -> CheckedUpload:
        items: list[ReturnInput] = []
        errors: list[RowError] = []
        first_line: dict[tuple[int, int, str], int] = {}
        for row in rows:
            line = int(row["line"])
            row_errors, item = self.check_row(line, row)
            if item is not None:
                key = (item.indicator.pk, item.period.pk, item.breakdown.casefold())
                if key in first_line:
                    group = f" ({item.breakdown})" if item.breakdown else ""
                    row_errors.append(
                        RowError(
                            line,
                            "indicator_code",
                            f"Duplicate row: {item.indicator.code}{group} for {item.period.label} is also on "
                            f"row {first_line[key]}",
                        )
                    )
                else:
                    first_line[key] = line
            errors.extend(row_errors)
            if not row_errors and item is not None:
                items.append(item)
        return CheckedUpload(items=items if not errors else [], errors=errors)

    def check_row(self, line: int, row: dict[str, str]) -> tuple[list[RowError], ReturnInput | None]:
        errors = [
            RowError(line, column, formula_message(column, row[column]))
            for column in ALL_COLUMNS
            if starts_like_formula(row[column])
        ]
        errors += [
            RowError(line, column, CONTROL_CHARACTER_MESSAGE)
            for column in ALL_COLUMNS
            if has_control_characters(row[column])
        ]
        flagged = {error.column for error in errors}

        def fail(column: str, message: str) -> None:
            errors.append(RowError(line, column, message))

        indicator = self.indicator(row, flagged, fail)
        period = self.period(row, flagged, indicator, fail)
        breakdown = self.breakdown(row, flagged, indicator, fail)
        value = self.number(row, "value", flagged, fail, whole=False, required=True)
        numerator = self.number(row, "numerator", flagged, fail, whole=True, required=False)
        denominator = self.number(row, "denominator", flagged, fail, whole=True, required=False)
        try:
            check_denominator(int(denominator) if denominator is not None else None)
        except FigureError as error:
            fail("denominator", str(error))
        if indicator is not None and value is not None:
            try:
                check_value(indicator, value)
            except FigureError as error:
                fail("value", str(error))
        try:
            if indicator is not None:
                check_fraction(
                    indicator,
                    value,
                    int(numerator) if numerator is not None else None,
                    int(denominator) if denominator is not None else None,
                )
        except FigureError as error:
            fail("numerator", str(error))
        note = row["note"].strip()
        if len(note) > MAX_NOTE:
            fail("note", f"Note must be {MAX_NOTE:,} characters or fewer")
        if errors or indicator is None or period is None or value is None:
            return errors, None
        figures = Figures(
            value=value,
            numerator=int(numerator) if numerator is not None else None,
            denominator=int(denominator) if denominator is not None else None,
            note=note,
        )
        return errors, ReturnInput(indicator=indicator, period=period, figures=figures, breakdown=breakdown)

    def breakdown(
        self, row: dict[str, str], flagged: set[str], indicator: Indicator | None, fail: Fail
    ) -> str:
        """The group the figure is for, as first spelt for the indicator; empty for the whole cohort."""
        group = " ".join(row["breakdown"].split())
        if "breakdown" in flagged or not group or indicator is None:
            return group
        if len(group) > BREAKDOWN_LENGTH:
            fail("breakdown", f"Breakdown must be {BREAKDOWN_LENGTH} characters or fewer")
            return ""
        try:
            check_breakdown(indicator, group)
        except FigureError as error:
            fail("breakdown", str(error))
            return ""
        return known_spelling(group, self.groups.get(indicator.pk, []))

    def indicator(self, row: dict[str, str], flagged: set[str], fail: Fail) -> Indicator | None:
        code = row["indicator_code"].strip()
        if "indicator_code" in flagged:
            return None
        if not code:
            fail("indicator_code", "Enter the indicator code")
            return None
        indicator = self.indicators.get(code.upper())
        if indicator is None:
            fail("indicator_code", f"Unknown indicator code ‘{code}’")
            return None
        if indicator.owner_organisation_id not in self.organisations:
            fail(
                "indicator_code",
                f"{indicator.code} is returned by {indicator.owner_organisation}, not your organisation",
            )
            return None
        return indicator

    def example_period(self, indicator: Indicator | None) -> str:
        """The newest open period the indicator is returned for, as a name to copy."""
        newest = max(
            (
                period
                for period in self.periods.values()
                if period.is_open and (indicator is None or period.frequency == indicator.frequency)
            ),
            key=lambda period: period.start,
            default=None,
        )
        return f": type it as the portal names it, for example ‘{newest.label}’" if newest else ""

    def period(
        self, row: dict[str, str], flagged: set[str], indicator: Indicator | None, fail: Fail
    ) -> ReturnPeriod | None:
        label = row["period"].strip()
        if "period" in flagged:
            return None
        if not label:
            fail("period", "Enter the period")
            return None
        period = self.periods.get(label.lower()) or self.periods.get(as_typed(label).lower())
        if period is None:
            fail("period", f"There is no collection period called ‘{label}’{self.example_period(indicator)}")
            return None
        if indicator is not None:
            try:
                check_period(indicator, period)
            except FigureError as error:
                fail("period", str(error))
                return None
        return period

    def number(
        self, row: dict[str, str], column: str, flagged: set[str], fail: Fail, *, whole: bool, required: bool
    ) -> Decimal | None:
        text = row[column].strip()
        if column in flagged:
            return None
        if not text:
            if required:
                fail(column, f"Enter the {column}")
            return None
        try:
            return parse_number(text, whole=whole, what=column.capitalize())
        except FigureError as error:
            fail(column, str(error))
            return None


CONTROL_CHARACTER_MESSAGE = (
    "This cell holds an invisible control character (such as a NUL byte) that cannot be stored: "
    "retype the cell"
)


def has_control_characters(text: str) -> bool:
    """Characters no database text column or reader can use; tabs and line breaks are ordinary text."""
    return any(ord(character) < 32 and character not in "\t\n\r" for character in text)


NUMBER_COLUMNS = {"value", "numerator", "denominator"}


NEGATIVE_NUMBER = re.compile(r"-\s*[\d,]*\.?\d+")


def formula_message(column: str, text: str) -> str:
    if column in NUMBER_COLUMNS and NEGATIVE_NUMBER.fullmatch(text.strip()):
        # A minus sign makes a spreadsheet cell a formula too, but the reader typed a negative number.
        return never_negative(column.capitalize())
    first = text[0] if text.startswith(FORMULA_STARTS) else text.lstrip()[0]
    shown = {"\t": "a tab", "\r": "a carriage return"}.get(first, f"‘{first}’")
    advice = (
        "type the figure itself, not a formula" if column in NUMBER_COLUMNS else "start with a word instead"
    )
    return f"Cell starts with {shown}, which a spreadsheet could run as a formula: {advice}"


def template_columns(groups: bool) -> list[str]:
    """The template's columns: each indicator's name beside its code, and the breakdown column only for someone who
    returns a broken-down indicator."""
    columns = COLUMNS[:1] + [READER_COLUMN] + COLUMNS[1:]
    return columns + OPTIONAL_COLUMNS if groups else columns


def template_rows(owed: list[tuple[str, str, str]], groups: bool = False) -> list[list[str]]:
    """A row for each figure owed, given as its indicator's code and name and its period's name."""
    columns = template_columns(groups)
    return [columns] + [[code, title, label] + [""] * (len(columns) - 3) for code, title, label in owed]


def template_csv(owed: list[tuple[str, str, str]], groups: bool = False) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(template_rows(owed, groups))
    return buffer.getvalue()


def template_xlsx(owed: list[tuple[str, str, str]], groups: bool = False) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has its first sheet
    sheet.title = "Returns"
    for row in template_rows(owed, groups):
        sheet.append(row)
    guide = workbook.create_sheet("Columns")
    guide.append(["column", "what to put in it"])
    for column in template_columns(groups):
        guide.append([column, COLUMN_HELP[column]])
    for worksheet in (sheet, guide):
        fit_column_widths(worksheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def fit_column_widths(worksheet: Worksheet) -> None:
    """Each column wide enough for its longest cell (within reason), so that names and codes read without widening."""
    for cells in worksheet.columns:
        longest = max(len(str(cell.value or "")) for cell in cells)
        worksheet.column_dimensions[cells[0].column_letter].width = min(max(longest + 2, 10), 80)
