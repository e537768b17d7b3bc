"""What the deadline-day benches read off the portal's pages, as a browser's user would: the CSRF token, the
version a form was drawn from, the RAG choices, the first update waiting for review, and the returns template
filled in. Shared by the Locust file (scripts/deadline_day_locustfile.py, which bench_load runs from the project
root, so this package is importable) and bench_request_cpu, so both make the same requests."""

import csv
import io
import re
import secrets
from collections.abc import Callable

from core.spreadsheets import UTF8_MARK

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LOCK_VERSION_INPUT = re.compile(r'<input[^>]*name="lock_version"[^>]*>')
VALUE = re.compile(r'value="(\d*)"')
# A radio input's attributes, one per line in GOV.UK markup: the name, then the class and id, then the value.
RAG_CHOICE = re.compile(r'name="rag"\s+class="govuk-radios__input"\s+id="[^"]+"\s+value="(\d+)"')
REVIEW_LINK = re.compile(r'href="/plan/updates/(\d+)/review/"')


def one(pattern: re.Pattern[str], text: str) -> str:
    """The pattern's first match on the page (its group, if it has one); a page without it is an error."""
    found = pattern.search(text)
    if found is None:
        raise ValueError(f"{pattern.pattern} not on the page")
    return found.group(1) if found.groups() else found.group(0)


def lock_version(page: str) -> str:
    """The version of the update the form was drawn from; empty on a new update's form."""
    found = VALUE.search(one(LOCK_VERSION_INPUT, page))
    return found.group(1) if found else ""


def filled_in(template: str, figure: Callable[[int], str]) -> str:
    """The returns template with a figure in every row, its columns kept as given, as a person fills it in:
    `figure` gives the value for the row's number."""
    reader = csv.DictReader(io.StringIO(template.removeprefix(UTF8_MARK)))
    rows = list(reader)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=reader.fieldnames or [])
    writer.writeheader()
    for number, row in enumerate(rows):
        writer.writerow({**row, "value": figure(number), "note": "Load test figure"})
    return out.getvalue()


def run_marker() -> str:
    """A word that marks one run's commentary, so that bench_load finds exactly the updates the run submitted.

    Random letters and digits, never ten digits together: a marker made from the clock (Load1764561234) looked
    like a valid NHS number in one run in eleven, and the update form rightly refused every save of that run.
    """
    return f"Load-{secrets.token_hex(4)}"
