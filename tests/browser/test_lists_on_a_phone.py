"""Lists read on a phone: each row of KPI returns due, of an upload's problems, of the review queue, of the Board's
meetings and of an indicator's groups is a block at 320 px, every cell under its column's name and in view (found by
usability testers: the link to enter a figure, the problem to fix, who submitted an update, whether a pack is
published, a group's figure, and an indicator's period, quality and target had been columns off the screen's edge)."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page

from actions.models import ProgressUpdate
from kpis.models import DataQuality
from tests.actions.factories import approved_update
from tests.browser.conftest import IN_VIEW, assert_accessible, sign_in
from tests.kpis.factories import IndicatorFactory, ReturnFactory, period_for
from tests.reports.factories import MeetingFactory
from tests.risks.factories import RiskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_TITLE = "Children supported by the Children with Disabilities team without an allocated worker"


def every_cell_in_view(table: Locator) -> None:
    cells = table.locator("td").all()
    assert cells, "the table has no cells"
    off_screen = [cell.inner_text() for cell in cells if not cell.evaluate(IN_VIEW)]
    assert not off_screen, f"cells off the screen: {off_screen}"


def at_320(page: Page, email: str) -> None:
    sign_in(page, email)
    page.set_viewport_size({"width": 320, "height": 640})


def test_at_320_px_each_return_due_shows_its_last_figure_status_and_link_in_view(
    page: Page, live_server, world
):
    indicator = IndicatorFactory(
        owner_organisation=world.council, title=LONG_TITLE, code="CWD_SUPPORTED_NO_WORKER"
    )
    period = period_for(indicator, label="November 2026")
    at_320(page, world.officer.email)

    page.goto("/kpis/returns/")

    table = page.get_by_role("table", name=f"{period.label}: due by")
    every_cell_in_view(table)
    assert table.get_by_text("Last figure").is_visible() and table.get_by_text("This period").is_visible()
    assert table.get_by_role("link", name=f"Enter {LONG_TITLE} for November 2026").evaluate(IN_VIEW)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "returns-due-320")

    page.set_viewport_size({"width": 1280, "height": 800})  # a table again: a row's cells side by side
    tops = {
        cell.evaluate("e => Math.round(e.getBoundingClientRect().top)")
        for cell in table.locator("tbody td").all()
    }
    assert len(tops) == 1 and table.locator("thead").is_visible()


def test_at_320_px_an_uploads_problems_are_read_in_full(page: Page, live_server, world, tmp_path):
    indicator = IndicatorFactory(owner_organisation=world.council, code="KPI_PHONE")
    period_for(indicator, label="April 2025")
    upload = tmp_path / "returns.csv"
    upload.write_text("indicator_code,period,value,numerator,denominator,note\nKPI_PHONE,April 2025,4%,,,\n")
    at_320(page, world.officer.email)

    page.goto("/kpis/returns/upload/")
    page.get_by_label("Upload a file").set_input_files(str(upload))
    page.get_by_role("button", name="Check the file").click()

    problems = page.locator("#upload-errors")
    every_cell_in_view(problems)
    assert problems.get_by_text("Problem").is_visible()
    assert_accessible(page, "upload-errors-320")


def test_at_320_px_the_review_queue_shows_who_submitted_each_update(page: Page, live_server, world):
    submitted = {"state": ProgressUpdate.State.SUBMITTED, "submitted_at": timezone.now()}
    approved_update(world.action, timezone.localdate().replace(day=1), created_by=world.officer, **submitted)
    at_320(page, world.lead.email)

    page.goto("/plan/review/")

    queue = page.get_by_role("table", name="1 update waiting for review, oldest first")
    every_cell_in_view(queue)
    assert queue.get_by_text(f"by {world.officer.get_full_name()}").evaluate(IN_VIEW)
    assert_accessible(page, "review-queue-320")


def test_at_320_px_each_meeting_shows_whether_its_pack_is_published(page: Page, live_server, world):
    MeetingFactory(partnership=world.partnership)
    at_320(page, world.board.email)

    page.goto("/board-packs/")

    meetings = page.get_by_role("table", name="Upcoming meetings")
    every_cell_in_view(meetings)
    assert meetings.get_by_text("Not published").evaluate(IN_VIEW)
    assert_accessible(page, "board-packs-320")


def test_at_320_px_an_indicator_returned_only_by_group_shows_each_groups_figure(
    page: Page, live_server, world
):
    indicator = IndicatorFactory(owner_organisation=world.council, breakdown_topic="Primary need")
    ReturnFactory(
        indicator=indicator, breakdown="Autism or speech, language and communication needs", value=55
    )
    at_320(page, world.board.email)

    page.goto(f"/board/indicators/{indicator.pk}/")

    groups = page.get_by_role("table", name=re.compile("by primary need"))
    every_cell_in_view(groups)
    assert groups.get_by_text("55%").evaluate(IN_VIEW)
    assert page.locator("#values").count() == 0  # no empty table repeating the sentence above it
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "indicator-only-groups-320")


def verify_list(world) -> tuple[str, str]:
    indicator = IndicatorFactory(owner_organisation=world.council, title=LONG_TITLE)
    ReturnFactory(indicator=indicator, submitted_by=world.officer, data_quality=DataQuality.PROVISIONAL)
    return world.lead.email, "/kpis/verify/"


def indicators(world) -> tuple[str, str]:
    indicator = IndicatorFactory(owner_organisation=world.council, title=LONG_TITLE)
    ReturnFactory(indicator=indicator, submitted_by=world.officer, data_quality=DataQuality.PROVISIONAL)
    return world.board.email, "/kpis/indicators/"


def collection_periods(world) -> tuple[str, str]:
    period_for(IndicatorFactory(owner_organisation=world.council), label="November 2026")
    return world.admin.email, "/kpis/periods/"


def recommendation_actions(world) -> tuple[str, str]:
    return world.admin.email, f"/plan/recommendations/{world.recommendation.pk}/"


def live_risks(world) -> tuple[str, str]:
    RiskFactory(partnership=world.partnership, owner=world.lead, title=LONG_TITLE)
    return world.board.email, "/risks/"


def risk_history(world) -> tuple[str, str]:
    risk = RiskFactory(partnership=world.partnership, owner=world.lead, title=LONG_TITLE)
    return world.board.email, f"/risks/{risk.pk}/"


@pytest.mark.parametrize(
    "made", [verify_list, indicators, collection_periods, recommendation_actions, live_risks, risk_history]
)
def test_at_320_px_every_cell_of_a_list_is_in_view_under_its_columns_name(
    page: Page, live_server, world, made
):
    email, address = made(world)
    at_320(page, email)

    page.goto(address)

    lists = page.locator("table.app-table--stack").all()
    assert lists, "no list on the page"
    for table in lists:
        every_cell_in_view(table)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, f"{made.__name__}-320")
