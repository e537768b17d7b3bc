"""An admin imports a published statistics file, adds a national indicator and names the statistical neighbours,
in a real browser at 1280 and 320 px; axe checks every page in each state."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from core.models import Organisation, Role
from kpis.national import LocalAuthority
from tests.browser.conftest import assert_accessible, follow, sign_in
from tests.factories import member
from tests.kpis.statistics_files import (
    SOUTHEND_NEIGHBOURS,
    TIMELINESS_HEADER,
    csv_bytes,
    neighbours_workbook,
    timeliness_file,
    timeliness_rows,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_email():
    call_command("load_southend", stdout=StringIO())
    council = Organisation.objects.get(name="Southend-on-Sea City Council")
    member(Role.ADMIN, council, email="ada@example.test", full_name="Ada Admin")
    LocalAuthority.objects.bulk_create(  # as an earlier import of a file for every local authority left them
        LocalAuthority(
            code=code, old_code=number, name=name, region_code="E12000000", region_name="Elsewhere"
        )
        for number, code, name in SOUTHEND_NEIGHBOURS
    )
    return "ada@example.test"


def journey(page: Page, tmp_path, size: str) -> None:
    page.goto("/kpis/indicators/")
    page.get_by_role("link", name="National statistics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("National statistics")
    assert_accessible(page, f"national-statistics-{size}")

    changed = tmp_path / "changed.csv"
    changed.write_bytes(csv_bytes([*TIMELINESS_HEADER, "extra"], [[*row, "1"] for row in timeliness_rows()]))
    page.get_by_label("Upload a file from Explore Education Statistics").set_input_files(changed)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert")).to_contain_text("these columns are not expected: extra")
    assert_accessible(page, f"national-statistics-error-{size}")

    published = tmp_path / "timeliness_20_week.csv"
    published.write_bytes(timeliness_file().getvalue())
    page.get_by_label("Upload a file from Explore Education Statistics").set_input_files(published)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the file before importing")
    expect(page.get_by_role("table", name="Your area's figures in the file")).to_contain_text("23.4%")
    assert_accessible(page, f"national-statistics-check-{size}")
    page.get_by_role("button", name="Import the figures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Figures imported")
    assert_accessible(page, f"national-statistics-import-{size}")
    page.get_by_role("link", name="National statistics").first.click()
    expect(page.get_by_role("table", name="The latest files imported")).to_contain_text("6")
    assert_accessible(page, f"national-statistics-history-{size}")

    page.get_by_role("link", name="Your statistical neighbours").click()
    notes = tmp_path / "notes.txt"
    notes.write_text("Not the tool")
    page.get_by_label("Upload the statistical neighbour benchmarking tool").set_input_files(notes)
    page.get_by_role("button", name="Import the neighbours").click()
    expect(page.get_by_role("alert")).to_contain_text("must be the benchmarking tool")
    assert_accessible(page, f"statistical-neighbours-error-{size}")
    tool = tmp_path / "tool.xlsx"
    tool.write_bytes(neighbours_workbook())
    page.get_by_label("Upload the statistical neighbour benchmarking tool").set_input_files(tool)
    page.get_by_role("button", name="Import the neighbours").click()
    expect(page.get_by_role("list").filter(has_text="Isle of Wight")).to_contain_text("Medway")
    assert_accessible(page, f"statistical-neighbours-imported-{size}")
    page.get_by_label("Statistical neighbours", exact=True).fill("E06000034\nE06000032")
    follow(page.get_by_role("button", name="Save the neighbours"))
    assert_accessible(page, f"statistical-neighbours-{size}")
    page.get_by_role("link", name="National statistics").first.click()
    follow(page.get_by_role("link", name="National indicators your partnership can adopt"))
    assert_accessible(page, f"national-library-{size}")
    page.goto("/kpis/indicators/")
    page.get_by_role("link", name="New EHC plans issued within 20 weeks (%)").first.click()
    expect(
        page.get_by_role("table", name="Each statistical neighbour's latest published figure")
    ).to_contain_text("Thurrock")
    assert_accessible(page, f"national-indicator-{size}")


def test_an_admin_imports_a_published_file_and_the_indicator_shows_its_comparators(
    page, admin_email, tmp_path
):
    sign_in(page, admin_email)
    journey(page, tmp_path, "1280")


def test_the_same_journey_reflows_at_320_px(browser, live_server, admin_email, tmp_path):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, admin_email)
    journey(page, tmp_path, "320")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    context.close()
