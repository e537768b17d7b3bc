"""KPI returns in a real browser, as people use them; axe checks every page in each of its states."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from core.models import Organisation, Role
from kpis.models import Indicator, Return, ReturnPeriod
from tests.browser.conftest import IN_VIEW, assert_accessible, follow, sign_in
from tests.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COUNCIL = "Southend-on-Sea City Council"


@pytest.fixture
def southend():
    call_command("load_southend", stdout=StringIO())
    return Organisation.objects.get(name=COUNCIL)


def open_month(council, label="April 2025"):
    return ReturnPeriod.objects.create(
        partnership=council.partnership, frequency="monthly", label=label,
        start=date(2025, 4, 1), end=date(2025, 4, 30), deadline=date(2025, 5, 15),
    )  # fmt: skip


def test_an_officer_fixes_a_bad_row_and_uploads_again(page, southend, tmp_path):
    open_month(southend)
    member(Role.OFFICER, southend, email="olu@example.test", full_name="Olu Officer")
    sign_in(page, "olu@example.test")
    page.get_by_role("link", name="KPI returns").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("KPI returns due")
    expect(page.get_by_role("table", name="April 2025: due by 15 May 2025")).to_be_visible()
    assert_accessible(page, "kpi-returns-due")

    follow(page.get_by_role("link", name="upload a spreadsheet"))
    assert_accessible(page, "kpi-upload")
    with page.expect_download() as template:
        page.get_by_role("link", name="Download the template as a CSV file").click()
    lines = template.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "indicator_code,indicator,period,value,numerator,denominator,note,breakdown"

    bad = tmp_path / "april.csv"
    bad.write_text(
        "indicator_code,period,value,numerator,denominator,note\n"
        "EHCP_ISSUED_20_WEEKS_PCT,April 2025,12.5,5,40,\n"
        "ANNUAL_REVIEWS_12_MONTHS_PCT,April 2025,140,,,Typed an extra digit\n"
        "NEWSLETTER_SUBSCRIBERS,April 2025,2150,,,\n"
    )
    page.get_by_label("Upload a file").set_input_files(bad)
    page.get_by_role("button", name="Check the file").click()
    expect(page).to_have_title("Error: Upload KPI returns – Southend SEND partnership")
    expect(page.get_by_role("alert")).to_contain_text("The file has 1 problem")
    errors = page.get_by_role("table", name="What to fix in your file")
    expect(errors).to_contain_text("3")
    expect(errors).to_contain_text("between 0 and 100")
    assert_accessible(page, "kpi-upload-errors")
    assert not Return.objects.filter(submitted_by__isnull=False).exists()

    good = tmp_path / "april-fixed.csv"
    good.write_text(bad.read_text().replace("April 2025,140,", "April 2025,40,"))
    page.get_by_label("Upload a file").set_input_files(good)
    page.get_by_role("button", name="Upload the fixed file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the returns before saving")
    expect(page.get_by_role("table")).to_contain_text("2,150")
    assert_accessible(page, "kpi-upload-preview")
    # On a phone each return's figures stay beside what they are for, not in columns scrolled off the screen.
    page.set_viewport_size({"width": 320, "height": 640})
    preview = page.get_by_role("table", name="3 returns from your file")
    figures = preview.get_by_role("cell", name="12.5% Numerator: 5 Denominator: 40")
    expect(figures).to_be_visible()
    assert figures.evaluate(IN_VIEW), "the figures are off the screen at 320 px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "kpi-upload-preview-320")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.get_by_role("button", name="Save all 3 returns").click()

    expect(page.get_by_role("alert")).to_contain_text("3 returns saved from your file")
    table = page.get_by_role("table", name="April 2025: due by 15 May 2025")
    expect(table.get_by_role("row", name="Newsletter subscribers")).to_contain_text("Submitted 2,150")
    expect(table.get_by_role("row", name="annual reviews")).to_contain_text("40%")
    assert_accessible(page, "kpi-upload-saved")
    assert Return.objects.filter(submitted_by__isnull=False).count() == 3


def test_entering_one_return_with_check_your_answers(page, southend):
    open_month(southend)
    member(Role.OFFICER, southend, email="olu@example.test")
    sign_in(page, "olu@example.test")
    page.goto("/kpis/returns/")
    page.get_by_role("link", name="e-newsletter subscribers for April 2025").click()
    expect(page.get_by_role("complementary")).to_contain_text("Definition")
    assert_accessible(page, "kpi-enter-return")
    page.get_by_label("Value").fill("12.5")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("Value is a count, so it must be a whole number")
    assert_accessible(page, "kpi-enter-return-error")
    page.get_by_label("Value").fill("2150")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before submitting")
    assert_accessible(page, "kpi-check-answers")
    page.get_by_role("button", name="Submit return").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Return saved: SEND Partnership e-newsletter subscribers, April 2025"
    )
    assert_accessible(page, "kpi-return-saved")


def test_returns_due_with_no_open_period_is_accessible(page, southend):
    member(Role.OFFICER, southend, email="olu@example.test")
    sign_in(page, "olu@example.test")
    page.goto("/kpis/returns/")
    expect(page.get_by_text("no collection period is open")).to_be_visible()
    assert_accessible(page, "kpi-returns-due-empty")


def test_a_lead_verifies_and_queries_returns(page, southend):
    period = open_month(southend)
    officer = member(Role.OFFICER, southend)
    member(Role.LEAD, southend, email="lee@example.test")
    from kpis.services import Figures, ReturnInput, return_submit

    for code, value in (("NEWSLETTER_SUBSCRIBERS", 2150), ("EHCP_ISSUED_20_WEEKS_PCT", 12)):
        return_submit(
            user=officer,
            item=ReturnInput(Indicator.objects.get(code=code), period, Figures(value=Decimal(value))),
        )
    sign_in(page, "lee@example.test")
    follow(page.get_by_role("link", name="Verify returns").first)
    assert_accessible(page, "kpi-verify-list")
    page.get_by_role("link", name="e-newsletter subscribers, April 2025").click()
    page.get_by_label("Query it with the organisation").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why you are querying this return")
    assert_accessible(page, "kpi-verify-error")
    page.get_by_label("Why are you querying it?").fill("2,150 is more than the whole mailing list")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_role("alert")).to_contain_text("Whoever returned it gets your reason by e-mail")
    follow(page.get_by_role("link", name="Review New EHC plans issued"))
    assert_accessible(page, "kpi-verify-return")
    page.get_by_label("Mark as verified").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("There are no returns waiting for verification.")).to_be_visible()
    assert_accessible(page, "kpi-verify-empty")


def test_indicator_pages_admin_forms_and_export_are_accessible(page, southend):
    member(Role.ADMIN, southend, email="ada@example.test")
    sign_in(page, "ada@example.test")
    page.get_by_role("link", name="Indicators").first.click()
    expect(page.get_by_role("table")).to_contain_text("EHC plans maintained")
    assert_accessible(page, "kpi-indicators")
    page.get_by_role("link", name="EHC plans maintained", exact=True).click()
    expect(page.get_by_role("table", name="Every value returned")).to_contain_text("1,737")
    assert_accessible(page, "kpi-indicator-detail")
    follow(page.get_by_role("link", name="Record a comparator"))
    assert_accessible(page, "kpi-comparator-form")
    page.get_by_role("button", name="Record comparator").click()
    expect(page).to_have_title(
        "Error: Record a comparator for EHC plans maintained – Southend SEND partnership"
    )
    assert_accessible(page, "kpi-comparator-form-error")
    page.goto(f"/kpis/indicators/{Indicator.objects.get(code='EHCP_MAINTAINED').pk}/edit/")
    assert_accessible(page, "kpi-indicator-edit")
    page.goto("/kpis/indicators/new/")
    page.get_by_role("button", name="Add indicator").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, "kpi-indicator-create-error")
    page.goto("/kpis/periods/")
    expect(page.get_by_text("No collection periods yet")).to_be_visible()
    assert_accessible(page, "kpi-periods-empty")
    follow(page.get_by_role("link", name="Open a period"))
    assert_accessible(page, "kpi-period-form")
    page.get_by_label("Monthly").check()
    page.get_by_label("Label").fill("April 2025")
    page.get_by_label("First day").fill("2025-04-01")
    page.get_by_label("Last day").fill("2025-04-30")
    page.get_by_label("Returns due by").fill("2025-04-10")
    page.get_by_role("button", name="Open period").click()
    expect(page.get_by_role("alert")).to_contain_text("Returns can be due only after the period ends")
    assert_accessible(page, "kpi-period-form-error")
    page.get_by_label("Returns due by").fill("2025-05-15")
    page.get_by_role("button", name="Open period").click()
    expect(page.get_by_role("alert")).to_contain_text("April 2025 is open for returns")
    assert_accessible(page, "kpi-periods")
    page.goto("/kpis/indicators/export/")
    assert_accessible(page, "kpi-export")
