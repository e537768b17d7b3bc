"""Reading the Department for Education's children's services statistical neighbour benchmarking tool.

The tool is a workbook whose neighbour groupings sheet has a row for each local authority: its DfE number and
name, its region, then its ten statistical neighbours closest first, each as a DfE number followed by how close
it is (SN1, SNP, SN2, SNP … SN10, SNP); below the current authorities, under "Old SNs:", the groups of
authorities that local government reorganisation replaced (docs/adr/0015-national-statistics.md). The portal
reads that sheet from the workbook, or saved from it as CSV. Nothing here writes.
"""

import io
import zipfile
from collections import Counter
from collections.abc import Iterator

from openpyxl import load_workbook

from kpis.uploads import FileProblem, cell_text, read_csv

NEIGHBOURS = 10
HEADER = (
    "LA num",
    "LA Name",
    "LA number",
    "GOInd",
    "GOReg",
    *(name for n in range(1, NEIGHBOURS + 1) for name in (f"SN{n}", "SNP")),
)
MAX_BYTES = 30_000_000  # the published workbook, with its outcome data, is a few megabytes
MAX_UNPACKED_BYTES = 300_000_000


def neighbour_groups(name: str, content: bytes) -> dict[str, list[str]]:
    """Each local authority's statistical neighbours, closest first, by DfE number. All or nothing: a file whose
    groupings sheet differs from the published layout, or has a cell that is not a DfE number, is refused."""
    if not content:
        raise FileProblem("The selected file is empty")
    if len(content) > MAX_BYTES:
        raise FileProblem("The selected file must be smaller than 30 MB")
    lowered = name.lower()
    if lowered.endswith(".csv"):
        return groups_in(iter(read_csv(content)))
    if lowered.endswith(".xlsx"):
        return groups_in(workbook_rows(content))
    raise FileProblem("The selected file must be the benchmarking tool's .xlsx workbook or a CSV file")


def workbook_rows(content: bytes) -> Iterator[list[str]]:
    """Every row of every sheet, in order: the groupings sheet is not the workbook's first."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # zipfile and openpyxl raise many kinds for a damaged or disguised file
        raise FileProblem("The file is not an Excel .xlsx workbook that can be opened") from error
    if unpacked > MAX_UNPACKED_BYTES:
        workbook.close()
        raise FileProblem("The workbook holds far more than the benchmarking tool does")
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows(values_only=True):
                yield [cell_text(value) for value in row]
    finally:
        workbook.close()


def trimmed(row: list[str]) -> list[str]:
    cells = [cell.strip() for cell in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def groups_in(rows: Iterator[list[str]]) -> dict[str, list[str]]:
    header = next((cells for row in rows if (cells := trimmed(row)) and cells[0] == HEADER[0]), None)
    if header is None:
        raise FileProblem(
            "The file has no statistical neighbour groupings: no row starts with the column “LA num”. Upload "
            "the children's services statistical neighbour benchmarking tool as the department publishes it"
        )
    check_header(header)
    groups: dict[str, list[str]] = {}
    problems: list[str] = []
    for cells in map(trimmed, rows):
        if len(cells) < 3 or not cells[2].isdigit():
            continue  # a blank line, or the heading of the "Old SNs:" section
        neighbours = [cells[n] for n in range(5, len(HEADER), 2) if n < len(cells) and cells[n]]
        wrong = [number for number in neighbours if not number.isdigit()]
        if wrong:
            problems.append(f"{cells[1]} ({cells[2]}): “{wrong[0]}” is not a local authority number")
        groups[cells[2]] = neighbours
    if problems:
        raise FileProblem("Nothing was imported: " + "; ".join(problems[:20]))
    return groups


def check_header(header: list[str]) -> None:
    found, expected = Counter(header), Counter(HEADER)
    missing, unexpected = list((expected - found).elements()), list((found - expected).elements())
    if not missing and not unexpected and tuple(header) == HEADER:
        return
    parts = []
    if missing:
        parts.append(f"these columns are missing: {', '.join(missing)}")
    if unexpected:
        parts.append(f"these columns are not expected: {', '.join(unexpected)}")
    if not parts:
        parts.append("its columns are in another order")
    raise FileProblem(
        "The statistical neighbour groupings are not in the layout the department publishes: "
        + "; and ".join(parts)
    )
