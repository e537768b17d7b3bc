"""Democratic services record a meeting of each kind of report, build it with a real worker and read its
accessible web page; every page on the way passes axe."""

import pytest
from playwright.sync_api import expect

from reports.models import Meeting
from tests.browser.conftest import PACK_READY_MS, UNMARKED_SCROLLING, assert_accessible, sign_in
from tests.browser.test_pack_journey import fill_date

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]

KINDS = {
    "scrutiny": ("Scrutiny update", "People Scrutiny Committee", "6. Corporate implications"),
    "partnership_board": (
        "Strategic Partnership Board performance report",
        "SEND Strategic Partnership Board",
        "5. Top risks and their movement",
    ),
    "monitoring": (
        "Monitoring summary for DfE and NHS England",
        "DfE and NHS England monitoring",
        "2. Progress against each recommendation",
    ),
    "easy_read": ("Easy-read summary", "Families", "Things that could go wrong"),
    "custom": ("A report with the sections you choose", "Schools Forum", "1. Needs attention"),
}


def record(page, label: str, body: str) -> None:
    page.goto("/board-packs/meetings/new/")
    page.get_by_label(label).check()
    page.get_by_label("Meeting", exact=True).fill(body)
    page.get_by_label("Council").fill("Test City Council")
    fill_date(page, "Date of the meeting", "10", "6", "2027")
    page.get_by_label("Agenda item number").fill("5")
    page.get_by_label("Report title").fill("SEND Strategic Action Plan update")
    page.get_by_label("Report author").fill("Ada Author, SEND Consultant")
    page.get_by_label("Executive director").fill("Eve Director")
    page.get_by_label("Democratic services contact").fill("Dee Democratic, Democratic Services Officer")
    page.get_by_role("button", name="Record the meeting").click()


@pytest.mark.parametrize("report_type", list(KINDS))
def test_each_kind_of_report_is_built_by_a_worker_and_read_as_an_accessible_web_page(
    page,
    world,
    worker,
    report_type,
):
    label, body, heading = KINDS[report_type]
    sign_in(page, "dem@example.test")
    if report_type == "custom":
        record(page, label, body)
        expect(page.get_by_role("link", name="Choose at least one section for the report")).to_be_visible()
        assert_accessible(page, "report-custom-error")
        page.get_by_label("Needs attention").check()
        page.get_by_label("Top risks and their movement").check()
        page.get_by_role("button", name="Record the meeting").click()
    else:
        record(page, label, body)
    expect(page.get_by_text("Meeting recorded.")).to_be_visible()
    expect(page.locator(".govuk-summary-list__row", has_text="Kind of report")).to_contain_text(label)
    assert_accessible(page, f"report-{report_type}-meeting")
    if report_type == "scrutiny":
        page.get_by_role("link", name="Write its own sections").click()
        page.get_by_label("Other options (optional)").fill("The committee could receive the update annually.")
        assert_accessible(page, "report-scrutiny-sections")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Sections saved.")).to_be_visible()

    page.get_by_role("button", name="Build a pack now").click()
    expect(page.get_by_text("The pack is ready")).to_be_visible(timeout=PACK_READY_MS)
    assert_accessible(page, f"report-{report_type}-ready")
    page.get_by_role("link", name="Open the accessible web page").click()
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert_accessible(page, f"report-{report_type}-web-page")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert page.evaluate(UNMARKED_SCROLLING) == []  # a table that scrolls sideways says so
    assert Meeting.objects.get().report_type == report_type


def test_the_section_checkboxes_show_only_under_the_kind_whose_sections_are_chosen(page, world):
    sign_in(page, "dem@example.test")
    page.goto("/board-packs/meetings/new/")
    sections = page.get_by_role("group", name="Sections of the report")
    expect(sections).to_be_hidden()
    page.get_by_label("Scrutiny update").check()
    expect(sections).to_be_hidden()
    expect(
        page.get_by_text("Its sections: Purpose of report, Recommendations, Background, Other")
    ).to_be_visible()
    page.get_by_label("A report with the sections you choose").check()
    expect(sections).to_be_visible()
    expect(sections.get_by_label("Top risks and their movement")).to_be_visible()
    assert_accessible(page, "report-sections-revealed")
    page.get_by_label("Strategic Partnership Board performance report").check()
    expect(sections).to_be_hidden()
