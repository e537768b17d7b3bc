"""The board dashboards in a real browser, as a new board member reads them; axe checks every page and state."""

import re
from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Action
from core.models import Organisation, Role
from dashboards import selectors
from kpis.models import Indicator
from tests.actions.factories import approved_update
from tests.browser.conftest import SCROLL_HINT, assert_accessible, follow, sign_in
from tests.factories import OrganisationFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COUNCIL = "Southend-on-Sea City Council"
# The line wide-tables.mjs gives a region that scrolls sideways, or None.
SCROLL_LINE = f"region => {{ const line = ({SCROLL_HINT})(region); return line ? line.textContent : null }}"


@pytest.fixture
def southend():
    """The Southend plan and KPIs, with four months of approved updates on recommendation 1's actions."""
    call_command("load_southend", stdout=StringIO())
    council = Organisation.objects.get(name=COUNCIL)
    this_month = selectors.as_at(None).now.month
    actions = Action.objects.filter(recommendation__plan__partnership=council.partnership).order_by("pk")
    for n, action in enumerate(actions):
        for back in range(4, 0, -1):
            key = ["green", "amber", "red", "green", "blue"][(n + back) % 5]
            month = selectors.add_months(this_month, -back)
            written = timezone.make_aware(datetime.combine(selectors.month_end(month), time(17)))
            approved_update(action, month, key, created_at=written, reviewed_at=written + timedelta(days=2))
    return council


def test_a_board_member_reads_the_overview_a_recommendation_a_past_month_and_an_indicator(page, southend):
    member(Role.BOARD, southend, email="bea@example.test", full_name="Bea Board")
    sign_in(page, "bea@example.test")
    page.get_by_role("link", name="Board dashboard").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Board dashboard")
    expect(page.get_by_role("heading", name="Needs attention")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"^The plan's actions by RAG: \d+ "))).to_be_visible()
    expect(page.locator("#since-board")).to_contain_text("compares with")
    assert_accessible(page, "board-overview")

    page.get_by_role("link", name=re.compile(r"^1\. ")).first.click()
    expect(page.get_by_role("heading", name="RAG over the last 12 months")).to_be_visible()
    assert_accessible(page, "board-recommendation")

    earlier = selectors.add_months(selectors.as_at(None).now.month, -2)
    page.get_by_label("Show the position as at").select_option(f"{earlier:%Y-%m}")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text(f"as at {earlier:%B %Y}").first).to_be_visible()
    assert_accessible(page, "board-recommendation-past")

    page.get_by_label("RAG", exact=True).select_option(index=1)
    page.get_by_role("button", name="Filter actions").click()
    expect(page.get_by_role("link", name="Clear filters")).to_be_visible()
    assert_accessible(page, "board-recommendation-filtered")

    page.get_by_role("link", name="Board dashboard").first.click()
    page.get_by_label("Show the position as at").select_option(f"{earlier:%Y-%m}")
    follow(page.get_by_role("button", name="Show"))
    assert_accessible(page, "board-overview-past")

    indicator = Indicator.objects.get(partnership=southend.partnership, code="EHCP_ISSUED_20_WEEKS_PCT")
    number = indicator.recommendations.order_by("number").first().number
    page.get_by_role("link", name=re.compile(rf"^{number}\. ")).first.click()  # its indicators are there
    page.get_by_role("link", name=indicator.title).first.click()
    expect(page.get_by_role("img", name=indicator.title)).to_be_visible()
    assert_accessible(page, "board-indicator-past")
    follow(page.get_by_role("link", name="Show the position now"))
    assert_accessible(page, "board-indicator")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the values as CSV").click()
    lines = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == (
        "Series,Group,Period,Reference date,Value,Value as a number,Qualifier of the number,"
        "Numerator,Denominator,Data quality,Source,Note"
    )
    assert len(lines) > 2


def test_a_board_member_of_a_partnership_without_a_plan_sees_an_empty_dashboard(page):
    member(Role.BOARD, OrganisationFactory(name="New council"), email="new@example.test")
    sign_in(page, "new@example.test")
    page.goto("/board/")
    expect(page.get_by_text("There is no published action plan yet")).to_be_visible()
    assert_accessible(page, "board-overview-empty")


def test_the_twelve_month_rag_grid_fits_at_desktop_width_and_opens_on_the_latest_months_on_a_phone(
    page, southend
):
    member(Role.BOARD, southend, email="bea@example.test", full_name="Bea Board")
    sign_in(page, "bea@example.test")
    grid = page.get_by_role("region", name=re.compile(r"^The approved RAG of each action for each month"))
    latest = selectors.as_at(None).now.month

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/board/")
    page.get_by_role("link", name=re.compile(r"^1\. ")).first.click()
    assert grid.evaluate("region => region.scrollWidth <= region.clientWidth")
    assert grid.evaluate(SCROLL_LINE) is None  # it fits: nothing says to scroll
    expect(grid).not_to_have_class(re.compile(r"\bapp-scrolled-past-start\b"))

    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    last_month = grid.get_by_role("columnheader").last
    expect(last_month).to_have_text(f"{latest:%b}{latest:%Y}")
    assert grid.evaluate("region => region.scrollLeft > 0")
    box, region = last_month.bounding_box(), grid.bounding_box()
    assert region["x"] <= box["x"] and box["x"] + box["width"] <= region["x"] + region["width"] + 1
    assert grid.evaluate(SCROLL_LINE) == "Scroll sideways to see the whole table."
    expect(page.get_by_text("Scroll sideways to see the whole table.").first).to_be_visible()
    # A table whose caption is on show has the line under the caption's words, not above it, where it would read as
    # the end of the section before; the line is not made part of the table's name.
    indicators = page.get_by_role(
        "region", name=re.compile(r"^Indicators for recommendation 1, as at \w+ \d{4}$")
    )
    expect(indicators.locator("caption .app-scroll-hint")).to_have_text(
        "Scroll sideways to see the whole table."
    )
    assert indicators.evaluate("region => !region.previousElementSibling.matches('.app-scroll-hint')")
    # Months scrolled under the frozen action column are shadowed by it, and only while they are.
    expect(grid).to_have_class(re.compile(r"\bapp-scrolled-past-start\b"))
    frozen = grid.get_by_role("columnheader", name="Action")
    assert frozen.evaluate("cell => getComputedStyle(cell, '::after').content") == '""'
    grid.evaluate("region => { region.scrollLeft = 0 }")
    expect(grid).not_to_have_class(re.compile(r"\bapp-scrolled-past-start\b"))
    assert frozen.evaluate("cell => getComputedStyle(cell, '::after').content") == "none"


def test_an_indicators_chart_on_a_phone_is_drawn_for_its_width_with_text_at_reading_size(page, southend):
    """The wide chart at a phone's width scrolled, hiding its latest values, and its text was under 10 px."""
    member(Role.BOARD, southend, email="bea@example.test", full_name="Bea Board")
    sign_in(page, "bea@example.test")
    indicator = Indicator.objects.get(partnership=southend.partnership, code="EHCP_ISSUED_20_WEEKS_PCT")
    chart = page.get_by_role("img", name=indicator.title)
    smallest_text = (
        "svg => Math.min(...[...svg.querySelectorAll('text')].map(t => t.getBoundingClientRect().height))"
    )

    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/board/indicators/{indicator.pk}/")
        expect(chart).to_have_count(1)  # one of the two drawings is shown, and read out, at each width
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        assert chart.evaluate(smallest_text) >= 12
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert chart.evaluate("svg => svg.closest('figure').classList.contains('app-chart--narrow')")
    assert_accessible(page, "board-indicator-320")


def test_on_a_phone_the_overview_gives_its_two_counts_before_the_recommendations_and_each_month_in_words(
    page, southend
):
    member(Role.BOARD, southend, email="bea@example.test", full_name="Bea Board")
    sign_in(page, "bea@example.test")
    counts = page.get_by_role("link", name=re.compile(r"actions? needs? attention$"))
    first_row = page.locator(".app-recommendation-row").first

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/board/")
    beside, row = counts.bounding_box(), first_row.bounding_box()
    assert beside["x"] > row["x"] + row["width"]  # on a desk, in the column at the side

    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    above, row = counts.bounding_box(), first_row.bounding_box()
    assert above["y"] + above["height"] <= row["y"]  # on a phone, before the first recommendation
    first_row.get_by_text(re.compile(r" to .+ \d{4} for .+, month by month$")).click()
    latest = selectors.as_at(None).now.month
    expect(first_row.get_by_role("listitem").last).to_have_text(
        re.compile(rf"^{latest:%b %Y} \(still being reported\): \d+ ")
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "board-overview-320-months-open")


def test_on_a_desk_opening_a_recommendations_months_keeps_its_title_bar_and_columns_in_place(page, southend):
    member(Role.BOARD, southend, email="bea@example.test", full_name="Bea Board")
    sign_in(page, "bea@example.test")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/board/")
    row = page.locator(".app-recommendation-row").nth(1)
    title, bar, columns = (
        row.get_by_role("heading"),
        row.locator(".app-rag-bar"),
        row.locator(".app-small-multiples"),
    )
    summary = row.locator("summary")

    def boxes() -> list[dict[str, float]]:
        """Each part's box on the page, not in the window: opening the months may scroll the window."""
        scrolled = page.evaluate("window.scrollY")
        return [
            {**box, "y": box["y"] + scrolled}
            for box in (part.bounding_box() for part in (title, bar, columns, summary))
        ]

    before = boxes()
    summary.click()
    months = row.get_by_role("list")
    expect(months).to_be_visible()
    after = boxes()

    for was, now in zip(before, after, strict=True):
        # Each keeps its column and its width, and moves up or down by less than a line (the row's first line loses
        # the summary's height, and its parts are centred on it).
        assert abs(now["x"] - was["x"]) <= 1 and abs(now["width"] - was["width"]) <= 1, (was, now)
        assert abs(now["y"] - was["y"]) < 20, (was, now)
    listed = months.bounding_box()
    listed_y = listed["y"] + page.evaluate("window.scrollY")
    assert listed_y >= max(part["y"] + part["height"] for part in after) - 1  # the months open below the row
    assert listed["width"] > after[1]["width"]  # across the row, not squeezed into the columns' cell
    assert_accessible(page, "board-overview-1280-months-open")
