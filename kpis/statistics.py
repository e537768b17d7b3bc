"""Reading a published statistics file and checking it against the layout its data guidance gives.

Nothing here writes. A file whose columns are not exactly those of a known layout is refused with the missing
and unexpected columns named; a cell that is neither a number nor a published symbol refuses the whole file, so
that an import is all or nothing.
"""

import csv
import hashlib
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO

from kpis.library import LAYOUTS, MISSING_SYMBOLS, Layout, NationalMeasure, measures_of
from kpis.national import Level

MAX_PROBLEMS = 20  # enough to see a pattern; a file with more is told how many more
CHUNK_ROWS = 5_000  # rows whose values are handed to the caller's store at once
AREA_COLUMN: dict[str, str] = {
    Level.NATIONAL: "country_code",
    Level.REGIONAL: "region_code",
    Level.LOCAL_AUTHORITY: "new_la_code",
}
SKIPPED_LEVEL = "for a kind of area the portal does not hold (not England, a region or a local authority)"


class StatisticsProblem(ValueError):
    """The file cannot be imported as it is; the message says why in the reader's words."""


@dataclass(frozen=True)
class Authority:
    code: str
    old_code: str
    name: str
    region_code: str
    region_name: str


# measure, level, area code, time period, breakdown topic, breakdown, value, missing symbol, headline
Value = tuple[str, str, str, str, str, str, Decimal | None, str, bool]


@dataclass
class ReadFile:
    layout: Layout
    checksum: str
    rows_read: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    values: list[Value] = field(default_factory=list)
    authorities: dict[str, Authority] = field(default_factory=dict)

    @property
    def rows_used(self) -> int:
        return self.rows_read - sum(self.skipped.values())


def layout_for(header: list[str]) -> Layout:
    """The known layout whose columns the header has exactly; otherwise a problem naming what differs from the
    closest one."""
    names = [name.strip().lower() for name in header]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise StatisticsProblem(f"The file names these columns more than once: {', '.join(repeated)}")
    closest = min(LAYOUTS.values(), key=lambda layout: len(set(layout.columns) ^ set(names)))
    missing = [column for column in closest.columns if column not in names]
    unexpected = [column for column in names if column not in closest.columns]
    if not missing and not unexpected:
        return closest
    parts = []
    if missing:
        parts.append(f"these columns are missing: {', '.join(missing)}")
    if unexpected:
        parts.append(f"these columns are not expected: {', '.join(unexpected)}")
    raise StatisticsProblem(
        f"The file is not in a layout the portal knows. It is nearest to “{closest.title}” from "
        f"“{closest.publication}”, but {'; and '.join(parts)}. Download the file again from Explore Education "
        "Statistics without changing it, or ask for the portal to be updated if the department has changed "
        "the file's layout"
    )


def cell_value(text: str) -> tuple[Decimal | None, str]:
    """A published cell as a number, or as no number and the symbol given instead."""
    cleaned = text.strip()
    if cleaned.lower() in MISSING_SYMBOLS:
        return None, cleaned.lower()
    try:
        number = Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError(cleaned) from error
    if not number.is_finite():
        raise ValueError(cleaned)
    return number, ""


def read_statistics(stream: IO[bytes], store: Callable[[list[Value]], None] | None = None) -> ReadFile:
    """Reads and checks a whole file. Raises StatisticsProblem, listing up to MAX_PROBLEMS cells at fault.

    Without `store`, the values are kept in the ReadFile. With it, they are handed to it CHUNK_ROWS rows at a time
    as the file is read, and not kept, so that a national file never sits in memory: it is called only while no
    cell has been found at fault, and the caller's transaction undoes what it stored if one is found later."""
    digest = hashlib.sha256()
    lines = decoded_lines(stream, digest)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        raise StatisticsProblem("The selected file is empty") from None
    except csv.Error as error:
        raise StatisticsProblem(f"The file could not be read as CSV: {error}") from error
    layout = layout_for(header)
    names = [name.strip().lower() for name in header]
    read = ReadFile(layout=layout, checksum="")
    problems: list[str] = []
    measures = measures_of(layout)
    try:
        for line, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            read.rows_read += 1
            row = dict(zip(names, cells, strict=False))
            if len(cells) != len(names):
                problems.append(f"Row {line} has {len(cells)} cells, not {len(names)}")
            else:
                read_row(read, row, line, measures, problems)
            if len(problems) > MAX_PROBLEMS:
                break
            if store is not None and not problems and read.rows_read % CHUNK_ROWS == 0:
                store(read.values)
                read.values = []
    except csv.Error as error:
        raise StatisticsProblem(f"The file could not be read as CSV: {error}") from error
    if problems:
        shown = problems[:MAX_PROBLEMS]
        more = " (and more)" if len(problems) > MAX_PROBLEMS else ""
        raise StatisticsProblem(
            "Nothing was imported: the file has cells the portal cannot read. " + "; ".join(shown) + more
        )
    if not read.rows_read:
        raise StatisticsProblem("The selected file has no rows of figures, only the column names")
    if store is not None and read.values:
        store(read.values)
        read.values = []
    read.checksum = digest.hexdigest()
    return read


def decoded_lines(stream: IO[bytes], digest: "hashlib._Hash") -> Iterator[str]:
    first = True
    for raw in stream:
        digest.update(raw)
        try:
            text = raw.decode("utf-8-sig" if first else "utf-8")
        except UnicodeDecodeError as error:
            raise StatisticsProblem(
                "The file must be a CSV saved as UTF-8, as the department publishes it"
            ) from error
        first = False
        yield text


def read_row(
    read: ReadFile, row: dict[str, str], line: int, measures: Iterable[NationalMeasure], problems: list[str]
) -> None:
    level = row["geographic_level"].strip()
    if level not in AREA_COLUMN:
        read.skipped[SKIPPED_LEVEL] += 1
        return
    if row["time_identifier"].strip() != read.layout.time_identifier:
        problems.append(
            f"Row {line} is for a {row['time_identifier'].strip().lower() or 'blank'} period; this file gives "
            f"each {read.layout.time_identifier.lower()}"
        )
        return
    # One string for each area, period and breakdown, however many rows and measures name it.
    area = sys.intern(row[AREA_COLUMN[level]].strip())
    time_period = sys.intern(row["time_period"].strip())
    if not area or not time_period.isdigit():
        problems.append(f"Row {line} has no area code or no period")
        return
    if level == Level.LOCAL_AUTHORITY:
        note_authority(read, row)
    topic, breakdown, headline = read.layout.breakdown_of(row)
    topic, breakdown, level = sys.intern(topic), sys.intern(breakdown), sys.intern(level)
    for item in measures:
        try:
            value, missing = cell_value(row[item.column])
        except ValueError as error:
            problems.append(
                f"Row {line}, column {item.column}: “{error}” is neither a number nor a published symbol"
            )
            continue
        read.values.append((item.code, level, area, time_period, topic, breakdown, value, missing, headline))


def note_authority(read: ReadFile, row: dict[str, str]) -> None:
    code = row["new_la_code"].strip()
    read.authorities[code] = Authority(
        code=code,
        old_code=row["old_la_code"].strip(),
        name=row["la_name"].strip(),
        region_code=row["region_code"].strip(),
        region_name=row["region_name"].strip(),
    )
