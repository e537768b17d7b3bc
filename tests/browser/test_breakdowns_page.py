"""An indicator broken down into groups, in a real browser at 1280 and 320 px: the table and the bar chart of the
latest breakdown, the published national breakdowns beside England, axe on each, and no sideways scrolling."""

import io
from datetime import date

import pytest
from playwright.sync_api import Browser, Page, expect

from core.models import Role
from kpis.models import DataQuality, Unit
from kpis.national_services import national_indicator_adopt, national_statistics_import
from tests.browser.conftest import SCREENSHOTS, assert_accessible, sign_in
from tests.factories import OrganisationFactory, PartnershipFactory, member
from tests.kpis.factories import IndicatorFactory, ReturnFactory, period_for
from tests.kpis.statistics_files import (
    SOUTHEND,
    TIMELINESS_HEADER,
    csv_bytes,
    timeliness_row,
    timeliness_rows,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SOURCE = "002_df2c46bf65b2d74b.txt"
QUOTE = (
    "Speech, Language and Communication needs (28.3%), Autistic Spectrum Disorder (19.5%), Social, Emotional and "
    "Mental Health (18.7%), and Moderate Learning Difficulty (18.4%) are the most significant needs in EHC plans."
)
NEEDS = [
    ("Speech, language and communication needs", "28.3"),
    ("Autistic spectrum disorder", "19.5"),
    ("Social, emotional and mental health", "18.7"),
    ("Moderate learning difficulty", "18.4"),
]


@pytest.fixture
def pages():
    """A partnership with an indicator broken down by primary need, as the 2021 self-evaluation gives it, and an
    adopted national indicator whose published file has breakdowns (the test file's made-up figures)."""
    partnership = PartnershipFactory(ons_code=SOUTHEND[0], short_name="Southend")
    council = OrganisationFactory(
        partnership=partnership, name="Southend-on-Sea City Council", kind="council"
    )
    admin = member(Role.ADMIN, council, email="ada@example.test")
    needs = IndicatorFactory(
        owner_organisation=council,
        code="EHCP_PRIMARY_NEED",
        title="Primary need of EHC plans",
        unit=Unit.PERCENTAGE,
        breakdown_topic="Primary need",
    )
    for need, value in NEEDS:
        ReturnFactory(
            indicator=needs,
            breakdown=need,
            value=value,
            period_label="2021",
            period_start=date(2021, 1, 1),
            period_end=date(2021, 4, 30),
            reference_date=date(2021, 4, 30),
            data_quality=DataQuality.VERIFIED,
            source_document=SOURCE,
            source_quote=QUOTE,
        )
    rows = [
        *timeliness_rows("2024"),
        timeliness_row(
            "2024",
            "National",
            issued="1000",
            within="480",
            percent="48.0",
            breakdown=("Primary type of need", "Autistic spectrum disorder"),
        ),
    ]
    national_statistics_import(
        user=None,
        partnership=None,
        file_name="timeliness.csv",
        stream=io.BytesIO(csv_bytes(TIMELINESS_HEADER, rows)),
    )
    national = national_indicator_adopt(user=admin, partnership=partnership, code="SEN2_ISSUED_20_WEEKS_PC")
    member(Role.OFFICER, council, email="olu@example.test")
    period_for(needs, label="April 2025")
    return admin.email, needs, national


def visit(page: Page, size: str, needs, national) -> None:
    page.goto(needs.get_absolute_url())
    table = page.get_by_role("table", name="Primary need of EHC plans, 2021")
    expect(table).to_contain_text("Speech, language and communication needs")
    expect(table).to_contain_text("28.3%")
    expect(page.get_by_role("img", name="Primary need of EHC plans, 2021")).to_be_visible()
    assert_accessible(page, f"indicator-breakdown-{size}")
    page.screenshot(path=str(SCREENSHOTS / f"indicator-breakdown-{size}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= int(size)

    page.goto(national.get_absolute_url())
    published = page.get_by_role("table", name="Primary type of need, Calendar year 2024")
    expect(published).to_contain_text("30.0%")  # as the file writes it
    expect(published).to_contain_text("48.0%")
    assert_accessible(page, f"indicator-national-breakdown-{size}")
    page.screenshot(path=str(SCREENSHOTS / f"indicator-national-breakdown-{size}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= int(size)


def enter_a_group(page: Page, size: str) -> None:
    """An officer enters the figure for one group, is told which group is missing, and checks the answers."""
    sign_in(page, "olu@example.test")
    page.goto("/kpis/returns/")
    page.get_by_role("link", name="Enter Primary need of EHC plans for April 2025").click()
    page.get_by_label("One group, by primary need").check()
    page.get_by_label("Value").fill("28.3")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the primary need this figure is for")
    assert_accessible(page, f"return-breakdown-error-{size}")
    page.screenshot(path=str(SCREENSHOTS / f"return-breakdown-error-{size}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= int(size)
    page.get_by_label("Primary need (if the figure is for one group)").fill(
        "speech, language and communication needs"
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting")
    expect(page.get_by_text("Speech, language and communication needs", exact=True)).to_be_visible()
    assert_accessible(page, f"return-breakdown-check-{size}")


def test_the_breakdowns_read_at_1280_px(page: Page, pages):
    email, needs, national = pages
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    sign_in(page, email)
    visit(page, "1280", needs, national)
    enter_a_group(page, "1280")


def test_the_breakdowns_reflow_at_320_px(browser: Browser, live_server, pages):
    email, needs, national = pages
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, email)
    visit(page, "320", needs, national)
    enter_a_group(page, "320")
    context.close()
