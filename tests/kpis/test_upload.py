"""The spreadsheet upload: every row checked, a preview, then all rows saved or none."""

import csv
import html
import io
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from core.models import Role
from core.spreadsheets import UTF8_MARK
from kpis.models import Indicator, Return, Unit
from kpis.uploads import COLUMNS
from tests.conftest import sign_in
from tests.factories import OrganisationFactory, member
from tests.kpis.factories import IndicatorFactory, period_for
from tests.kpis.upload_files import csv_file, one_row_of_cells, xlsx_file, xlsx_with_part_replaced

pytestmark = pytest.mark.django_db

UPLOAD = reverse("kpis:upload")
PREVIEW = reverse("kpis:upload_preview")


@pytest.fixture
def setting(client):
    council = OrganisationFactory(name="Council")
    officer = member(Role.OFFICER, council)
    indicators = [
        IndicatorFactory(
            owner_organisation=council, code=f"KPI_{n}", unit=Unit.PERCENTAGE if n % 2 else Unit.COUNT
        )
        for n in range(4)
    ]
    april = period_for(indicators[0], label="April 2025")
    may = period_for(indicators[0], label="May 2025")
    closed = period_for(indicators[0], label="March 2025", is_open=False)
    termly = period_for(indicators[0], label="Summer term 2025", frequency="termly")
    theirs = IndicatorFactory(
        owner_organisation=OrganisationFactory(partnership=council.partnership), code="THEIRS"
    )
    sign_in(client, officer)
    return {
        "client": client,
        "codes": [i.code for i in indicators],
        "open": [april.label, may.label],
        "closed": closed.label,
        "termly": termly.label,
        "theirs": theirs.code,
    }


def upload(client, file):
    response = client.post(UPLOAD, {"file": file})
    if response.status_code == 302 and response["Location"] == PREVIEW:
        return client.post(PREVIEW, follow=True), True
    return response, False


def report(response) -> list[tuple[int, str, str]]:
    return [(e.line, e.column, e.message) for e in response.context["report"]]


def test_a_good_file_is_previewed_and_saved_only_when_confirmed(setting):
    client = setting["client"]
    file = csv_file(
        [
            ["KPI_1", "April 2025", "45.5", "91", "200", "Provisional figure"],
            ["KPI_0", "april 2025", "1,308", "", "", ""],
        ]
    )
    response = client.post(UPLOAD, {"file": file}, follow=True)
    assert response.redirect_chain[-1][0] == PREVIEW
    assert "Save all 2 returns" in response.content.decode()
    assert not Return.objects.exists()
    response = client.post(PREVIEW, follow=True)
    assert "2 returns saved from your file" in response.content.decode()
    assert sorted(Return.objects.values_list("indicator__code", "value", "numerator", "note")) == [
        ("KPI_0", 1308, None, ""),
        ("KPI_1", 45.5, 91, "Provisional figure"),
    ]


def test_a_percentage_typed_as_excel_stores_it_is_read_as_the_workbook_shows_it(setting):
    """87.5% typed into a cell is stored by Excel as 0.875 in a cell formatted as a percentage."""
    file = xlsx_file(
        [["KPI_1", "April 2025", 0.875], ["KPI_3", "April 2025", 0.07], ["KPI_0", "April 2025", 1308]],
        number_formats={"C2": "0.0%", "C3": "0%"},
    )

    setting["client"].post(UPLOAD, {"file": file})
    preview = setting["client"].get(PREVIEW).content.decode()
    assert "87.5%" in preview and "0.875" not in preview
    setting["client"].post(PREVIEW)

    assert sorted(Return.objects.values_list("indicator__code", "value")) == [
        ("KPI_0", 1308),
        ("KPI_1", Decimal("87.5")),
        ("KPI_3", 7),
    ]


def test_a_file_of_one_return_is_saved_as_one(setting):
    client = setting["client"]
    client.post(UPLOAD, {"file": csv_file([["KPI_1", "April 2025", "87.5", "", "", ""]])})

    page = client.get(PREVIEW).content.decode()

    assert "Save the return" in page and "Save all 1 returns" not in page


def test_the_preview_says_which_figures_replace_ones_already_returned(setting):
    client = setting["client"]
    upload(client, csv_file([["KPI_1", "April 2025", "87.5", "", "", ""]]))
    first = Return.objects.get()

    client.post(
        UPLOAD,
        {
            "file": csv_file(
                [["KPI_1", "April 2025", "88", "", "", ""], ["KPI_3", "April 2025", "40", "", "", ""]]
            )
        },
    )
    page = client.get(PREVIEW).content.decode()

    assert "1 of these figures replaces one already returned" in page
    assert f"Replaces 87.5%, returned {first.submitted_at:%-d %B %Y}" in page
    assert page.count("Replaces ") == 1  # the new indicator's figure replaces nothing
    client.post(PREVIEW)
    first.refresh_from_db()
    assert first.superseded_by.value == 88


def test_one_bad_row_saves_nothing_and_each_problem_is_reported_by_row_and_column(setting):
    rows = [
        ["KPI_1", "April 2025", "50", "", "", ""],
        ["NO_SUCH", "April 2025", "1", "", "", ""],
        ["KPI_1", "March 2025", "1", "", "", ""],
        ["KPI_1", "Summer term 2025", "1", "", "", ""],
        ["KPI_3", "April 2025", "lots", "", "", ""],
        ["KPI_3", "May 2025", "101", "", "", ""],
        ["KPI_1", "April 2025", "51", "", "", ""],
        ["KPI_2", "May 2025", "5", "6", "5", ""],
        ["KPI_2", "April 2025", "5", "", "", '=HYPERLINK("http://evil")'],
        ["KPI_0", "May 2025", "-5", "", "", ""],
        ["@KPI_0", "May 2025", "5", "", "", ""],
        [setting["theirs"], "May 2025", "5", "", "", ""],
    ]
    response, saved = upload(setting["client"], csv_file(rows))
    assert not saved
    assert not Return.objects.exists()
    problems = report(response)
    assert [(line, column) for line, column, _ in problems] == [
        (3, "indicator_code"),
        (4, "period"),
        (5, "period"),
        (6, "value"),
        (7, "value"),
        (8, "indicator_code"),
        (9, "numerator"),
        (10, "note"),
        (11, "value"),
        (12, "indicator_code"),
        (13, "indicator_code"),
    ]
    messages = " | ".join(message for _, _, message in problems)
    for expected in (
        "Unknown indicator code ‘NO_SUCH’",
        "March 2025 is closed",
        "is a termly period",
        "must be a number",
        "between 0 and 100",
        "Duplicate row: KPI_1 for April 2025 is also on row 2",
        "must not be more than the denominator",
        "could run as a formula",
        "not your organisation",
    ):
        assert expected in messages
    assert {column: message for line, column, message in problems if line in (10, 11)} == {
        "note": "Cell starts with ‘=’, which a spreadsheet could run as a formula: start with a word instead",
        "value": "Value must be 0 or more: figures are never negative",
    }
    page = response.content.decode()
    assert "Error: Upload KPI returns" in page
    assert "The file has 11 problems, listed below. Nothing has been saved: fix them" in page


def test_a_formula_where_a_figure_belongs_is_refused_with_advice_to_type_the_figure(setting):
    response, saved = upload(setting["client"], csv_file([["KPI_1", "April 2025", "=B2*100", "", "", ""]]))

    assert not saved
    assert (
        2,
        "value",
        "Cell starts with ‘=’, which a spreadsheet could run as a formula: type the figure itself, not a formula",
    ) in report(response)


def test_after_fixing_the_file_the_same_upload_saves_everything(setting):
    client = setting["client"]
    response, saved = upload(
        client,
        xlsx_file(
            [["KPI_1", "April 2025", 50, None, None, None], ["KPI_2", "April 2025", "lots", None, None, None]]
        ),
    )
    assert not saved and len(report(response)) == 1
    response, saved = upload(
        client,
        xlsx_file(
            [["KPI_1", "April 2025", 50, None, None, None], ["KPI_2", "April 2025", 7, None, None, None]]
        ),
    )
    assert saved
    assert Return.objects.count() == 2


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("returns.csv", b""), "The selected file is empty"),
        (SimpleUploadedFile("returns.pdf", b"%PDF-1.4"), "must be a CSV or an Excel .xlsx file"),
        (SimpleUploadedFile("returns.xlsx", b"PK\x03\x04 not really a zip"), "not an Excel .xlsx workbook"),
        (
            SimpleUploadedFile("returns.csv", b"indicator_code,period\n"),
            "there is no ‘value’ column; there is no ‘numerator’ column",
        ),
        (
            csv_file(
                [["KPI_1", "April 2025", "50", "", "", ""]], header=[*COLUMNS[:2], "Figure", *COLUMNS[3:]]
            ),
            "The first row does not name the template&#x27;s columns: column C is called ‘Figure’; there is no "
            "‘value’ column. The columns are indicator_code, period, value",
        ),
        (
            csv_file([["KPI_1", "April 2025", "50", "", "", "", "51"]], header=[*COLUMNS, "value"]),
            "column G is called ‘value’ again",
        ),
        (
            SimpleUploadedFile("returns.csv", b"\xff\xfe\x00bad"),
            "The file could not be read as a CSV. In Excel, choose Save As and save it as ‘CSV UTF-8",
        ),
        (SimpleUploadedFile("returns.csv", b"x" * 1_000_001), "smaller than 1 MB"),
        (csv_file([]), "has no returns in it"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_clear_message(setting, file, message):
    response, saved = upload(setting["client"], file)
    assert not saved
    assert message in response.content.decode()
    assert not Return.objects.exists()


def test_a_csv_separated_by_semicolons_as_some_excels_save_it_is_read(setting):
    rows = "indicator_code;period;value;numerator;denominator;note\nKPI_1;April 2025;50;;;Half, as expected\n"

    response, saved = upload(setting["client"], SimpleUploadedFile("returns.csv", rows.encode()))

    assert saved, response.content.decode()
    assert (Return.objects.get().value, Return.objects.get().note) == (50, "Half, as expected")


def test_a_csv_saved_by_excel_in_windows_encoding_is_read_with_its_pound_sign(setting):
    rows = "indicator_code,period,value,numerator,denominator,note\r\nKPI_1,April 2025,50,,,Cost £5k\r\n"

    response, saved = upload(setting["client"], SimpleUploadedFile("returns.csv", rows.encode("cp1252")))

    assert saved, response.content.decode()
    assert Return.objects.get().note == "Cost £5k"


@pytest.mark.parametrize(
    "file",
    [
        xlsx_file([["KPI_1", datetime(2025, 4, 1), 50, None, None, None]]),  # a workbook keeps it as a date
        csv_file([["KPI_1", "Apr-25", "50", "", "", ""]]),  # a CSV saved from Excel writes the date so
    ],
)
def test_a_period_excel_turned_into_a_date_is_read_as_the_month_typed(setting, file):
    response, saved = upload(setting["client"], file)

    assert saved, response.content.decode()
    assert Return.objects.get().period.label == "April 2025"


def test_a_period_the_portal_does_not_know_is_refused_with_an_open_ones_name_to_copy(setting):
    response, saved = upload(setting["client"], csv_file([["KPI_1", "Spring 2099", "50", "", "", ""]]))

    assert not saved
    assert (
        "There is no collection period called ‘Spring 2099’: type it as the portal names it, for example ‘May 2025’"
        in response.content.decode()
    )


def test_a_percentage_its_numerator_and_denominator_contradict_is_refused_and_a_rounded_one_is_not(setting):
    response, saved = upload(setting["client"], csv_file([["KPI_1", "April 2025", "90", "125", "200", ""]]))

    assert not saved
    assert (
        2,
        "numerator",
        "125 out of 200 is 62.5%, not 90%: check the value, the numerator and the denominator",
    ) in (report(response))
    _, saved = upload(setting["client"], csv_file([["KPI_1", "April 2025", "63", "125", "200", ""]]))
    assert saved and Return.objects.get().value == 63


def test_a_period_closing_between_preview_and_saving_saves_nothing(setting):
    from kpis.models import ReturnPeriod

    client = setting["client"]
    client.post(UPLOAD, {"file": csv_file([["KPI_1", "April 2025", "50", "", "", ""]])})
    ReturnPeriod.objects.filter(label="April 2025").update(is_open=False)
    response = client.post(PREVIEW)
    assert "April 2025 is closed" in response.content.decode()
    assert not Return.objects.exists()


def test_the_templates_list_what_the_organisation_owes(setting):
    client = setting["client"]
    content = client.get(reverse("kpis:template_csv")).content.decode("utf-8-sig")
    lines = content.strip().splitlines()
    assert lines[0] == "indicator_code,indicator,period,value,numerator,denominator,note"
    assert any(line.startswith("KPI_0,") and line.endswith(",April 2025,,,,") for line in lines)
    assert "THEIRS" not in content
    response = client.get(reverse("kpis:template_xlsx"))
    assert response["Content-Disposition"] == 'attachment; filename="returns-template.xlsx"'


def test_the_template_names_each_indicator_and_uploads_filled_in_with_the_names_left_in(setting):
    client = setting["client"]
    rows = list(csv.reader(io.StringIO(client.get(reverse("kpis:template_csv")).content.decode("utf-8-sig"))))
    header, owed = rows[0], rows[1:]
    assert {(row[0], row[1]) for row in owed} == {
        (indicator.code, indicator.title) for indicator in Indicator.objects.filter(code__in=setting["codes"])
    }
    filled = next(row for row in owed if row[0] == "KPI_0" and row[2] == "April 2025")
    filled[header.index("value")] = "1308"
    written = io.StringIO()
    csv.writer(written).writerows([header, filled])

    response, saved = upload(client, SimpleUploadedFile("returns.csv", written.getvalue().encode()))

    assert saved, response.content.decode()
    assert list(Return.objects.values_list("indicator__code", "value")) == [("KPI_0", 1308)]
    workbook = load_workbook(io.BytesIO(client.get(reverse("kpis:template_xlsx")).content))
    sheet = workbook["Returns"]
    assert [cell.value for cell in sheet[1]][:3] == ["indicator_code", "indicator", "period"]
    assert sheet.column_dimensions["B"].width >= max(len(row[1]) for row in owed)


def test_the_deadline_day_script_fills_in_the_template_as_served_and_its_upload_is_accepted(setting):
    """`make bench` uploads returns through bench.pages.filled_in: a column added to the template must not stop it
    (one did, and the load test's uploads stopped before their first request, with no error counted)."""
    from bench.pages import filled_in

    client = setting["client"]
    served = client.get(
        reverse("kpis:template_csv")
    ).content.decode()  # as the load test reads it, mark and all
    template = served.removeprefix(UTF8_MARK)
    filled = filled_in(served, lambda number: str(30 + number))  # whole numbers: counts are among them
    assert next(csv.reader(io.StringIO(filled))) == next(csv.reader(io.StringIO(template)))

    response, saved = upload(client, SimpleUploadedFile("returns.csv", filled.encode()))

    assert saved, response.content.decode()
    assert Return.objects.count() == len(list(csv.reader(io.StringIO(template)))) - 1


# Property-based: random mixes of good and hostile rows, in either format.

HOSTILE = [
    ("indicator_code", "NO_SUCH_CODE"),
    ("indicator_code", "=cmd|' /C calc'!A0"),
    ("period", "closed"),
    ("period", "termly"),
    ("period", "Never 2099"),
    ("value", "not a number"),
    ("value", "101"),
    ("value", "-1"),
    ("value", "+1"),
    ("note", "@SUM(A1:A9)"),
    ("note", "  =1+1"),
    ("note", "\t=1+1"),
    ("numerator", "11"),
    ("indicator_code", "theirs"),
    ("duplicate", ""),
]
notes = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40).filter(
    lambda text: not text.lstrip().startswith(("=", "+", "-", "@"))
)


@st.composite
def spreadsheets(draw):
    pairs = [
        (code, period)
        for code in ("KPI_0", "KPI_1", "KPI_2", "KPI_3")
        for period in ("April 2025", "May 2025")
    ]
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=8, unique=True))
    rows = [[code, period, str(draw(st.integers(0, 100))), "", "", draw(notes)] for code, period in chosen]
    hostile = draw(st.lists(st.tuples(st.sampled_from(HOSTILE), st.integers(0, len(rows) - 1)), max_size=3))
    return rows, hostile, draw(st.sampled_from(["csv", "xlsx"]))


def spoil(rows, hostile, setting):
    columns = ["indicator_code", "period", "value", "numerator", "denominator", "note"]
    for (column, text), index in hostile:
        row = rows[index]
        if column == "duplicate":
            rows.append(list(row))
        elif column == "period" and text in {"closed", "termly"}:
            row[1] = setting[text]
        elif column == "indicator_code" and text == "theirs":
            row[0] = setting["theirs"]
        elif column == "numerator":
            row[3], row[4] = "11", "10"
        elif text == "101":
            row[0], row[2] = "KPI_1", text  # out of range only for a percentage (KPI_0 counts)
        else:
            row[columns.index(column)] = text
    return rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(spreadsheet=spreadsheets())
def test_any_mix_of_good_and_hostile_rows_saves_everything_or_nothing(setting, spreadsheet):
    rows, hostile, kind = spreadsheet
    rows = spoil(rows, hostile, setting)
    Return.objects.all().delete()
    file = csv_file(rows) if kind == "csv" else xlsx_file(rows)
    response, saved = upload(setting["client"], file)
    assert response.status_code == 200
    if hostile:
        assert not saved, rows
        assert Return.objects.count() == 0
        assert response.context["report"]
    else:
        assert saved, report(response)
        assert Return.objects.count() == len(rows)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=2000), name=st.sampled_from(["returns.csv", "returns.xlsx"]))
def test_random_bytes_never_save_anything_or_break_the_page(setting, content, name):
    response, saved = upload(setting["client"], SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert not saved
    assert not Return.objects.exists()


def test_a_workbook_that_unpacks_to_millions_of_cells_is_refused_before_it_is_read(setting):
    bomb = xlsx_with_part_replaced("xl/worksheets/sheet1.xml", one_row_of_cells(2_000_000))
    assert len(bomb.read()) < 1_000_000  # passes the size limit of the file as sent
    bomb.seek(0)
    response, saved = upload(setting["client"], bomb)
    assert not saved
    assert response.status_code == 200
    assert "holds far more than a returns file can" in response.content.decode()
    assert not Return.objects.exists()


def test_a_huge_shared_strings_part_is_refused_before_it_is_read(setting):
    strings = b"<sst>" + b"<si><t>" + b"A" * 30_000_000 + b"</t></si></sst>"
    response, saved = upload(setting["client"], xlsx_with_part_replaced("xl/sharedStrings.xml", strings))
    assert not saved
    assert "holds far more than a returns file can" in response.content.decode()


def test_a_workbook_wider_than_any_returns_file_is_refused(setting):
    response, saved = upload(
        setting["client"], xlsx_with_part_replaced("xl/worksheets/sheet1.xml", one_row_of_cells(60))
    )
    assert not saved
    assert "more than 50 columns" in response.content.decode()


def test_a_nul_byte_in_a_note_is_reported_in_the_preview_and_nothing_is_saved(setting):
    client = setting["client"]
    response, saved = upload(
        client, csv_file([["KPI_1", "April 2025", "50", "", "", "Checked\x00 by the team"]])
    )
    assert not saved
    assert (
        2,
        "note",
        "This cell holds an invisible control character (such as a NUL byte) that cannot be stored: retype the cell",
    ) in report(response)
    assert (
        "The file has 1 problem, listed below. Nothing has been saved: fix it and"
        in response.content.decode()
    )
    assert not Return.objects.exists()
    fixed, saved = upload(client, csv_file([["KPI_1", "April 2025", "50", "", "", "Checked by the team"]]))
    assert saved
    assert Return.objects.get().note == "Checked by the team"


def test_the_whole_template_uploaded_with_a_few_figures_returns_those_and_says_the_rest_stay_owed(setting):
    client = setting["client"]
    rows = list(csv.reader(io.StringIO(client.get(reverse("kpis:template_csv")).content.decode("utf-8-sig"))))
    header, owed = rows[0], rows[1:]
    for row in owed[:2]:
        row[header.index("value")] = "12"
    written = io.StringIO()
    csv.writer(written).writerows([header, *owed])

    preview = client.post(
        UPLOAD, {"file": SimpleUploadedFile("returns.csv", written.getvalue().encode())}, follow=True
    )

    page = html.unescape(preview.content.decode())
    assert preview.redirect_chain[-1][0] == PREVIEW and "Save all 2 returns" in page
    left = len(owed) - 2
    assert (
        f"{left} rows of your file have no figure, so they are left out: those figures are still owed."
        in page
    )
    client.post(PREVIEW)
    assert Return.objects.count() == 2


def test_a_template_with_no_figure_filled_in_is_refused_and_a_row_with_only_a_numerator_still_needs_its_value(
    setting,
):
    response, saved = upload(setting["client"], csv_file([["KPI_1", "April 2025", "", "", "", ""]]))

    assert not saved
    assert (
        "The selected file has no figures in it: fill in the value of each figure you are returning"
        in html.unescape(response.content.decode())
    )
    response, saved = upload(setting["client"], csv_file([["KPI_1", "April 2025", "", "9", "10", ""]]))
    assert not saved and [column for _, column, _ in report(response)] == ["value"]
