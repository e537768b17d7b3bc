"""A lead adds a risk to the SEND risk log, rescores it and escalates it to the board; democratic services then
build the board's performance report, where the risk shows with its movement."""

import re

import pytest
from playwright.sync_api import expect

from reports.models import ReportType
from risks.models import Escalation, Risk
from tests.browser.conftest import PACK_READY_MS, assert_accessible, sign_in
from tests.browser.test_pack_journey import fill_date
from tests.reports.factories import NarrativeFactory

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_lead_adds_rescores_and_escalates_a_risk_and_the_board_report_shows_it(
    page,
    world,
    worker,
):
    meeting = NarrativeFactory(
        meeting__partnership=world.partnership,
        meeting__report_type=ReportType.PARTNERSHIP_BOARD,
        meeting__body="SEND Strategic Partnership Board",
        meeting__appendices=False,
    ).meeting
    sign_in(page, "lead@example.test")
    page.get_by_role("link", name="Risk log").first.click()
    expect(page.get_by_text("There are no open or escalated risks on the log.")).to_be_visible()
    assert_accessible(page, "risk-log-empty")
    page.get_by_role("link", name="Add a risk").click()
    page.get_by_role("button", name="Add the risk").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page, "risk-add-errors")

    page.get_by_label("Risk", exact=True).fill("Too few educational psychologists")
    page.get_by_label("Cause").fill("Vacancies in the educational psychology service.")
    page.get_by_label("Effect").fill("Advice for EHC needs assessments is late.")
    page.get_by_label("Controls (optional)").fill("Locum cover\nWeekly triage")
    page.get_by_label("R2.1:").check()
    fill_date(page, "Review date", "31", "3", "2030")
    page.get_by_role("group", name="Likelihood before controls").get_by_label("4 – Likely").check()
    page.get_by_role("group", name="Impact before controls").get_by_label("5 – Severe").check()
    page.get_by_role("group", name="Likelihood with the controls in place").get_by_label(
        "3 – Possible"
    ).check()
    page.get_by_role("group", name="Impact with the controls in place").get_by_label("4 – Major").check()
    page.get_by_role("button", name="Add the risk").click()
    expect(page.get_by_text("Risk 1 added to the log.")).to_be_visible()
    expect(page.get_by_text("12, High: likelihood 3 (Possible) × impact 4 (Major)")).to_be_visible()
    assert_accessible(page, "risk-added")

    page.get_by_role("link", name="Rescore").click()
    page.get_by_role("group", name="Likelihood with the controls in place").get_by_label(
        "2 – Unlikely"
    ).check()
    page.get_by_label("Why the scores changed").fill("Two locum psychologists started in January.")
    page.get_by_role("button", name="Save the new scores").click()
    expect(page.get_by_text("Risk 1 rescored")).to_be_visible()
    history = page.get_by_role("table", name="History of its scores, latest first")
    expect(history).to_contain_text("12 to 8")
    expect(history).to_contain_text("Two locum psychologists started in January.")

    page.get_by_role("link", name="Close risk 1").click()
    page.get_by_label("Why the risk can be closed").fill("Locums cover the vacancies.")
    page.get_by_role("button", name="Close the risk").click()
    expect(page.get_by_text("Risk 1 is closed.")).to_be_visible()
    page.get_by_role("link", name="Reopen risk 1").click()
    page.get_by_label("Why the risk is reopened").fill("The locums left.")
    page.get_by_role("button", name="Reopen the risk").click()
    expect(page.get_by_text("Risk 1 is open again.")).to_be_visible()
    statuses = page.get_by_role("table", name="History of its status and details, latest first")
    expect(statuses).to_contain_text("Closed to open: The locums left.")
    expect(statuses).to_contain_text("Open to closed: Locums cover the vacancies.")
    assert_accessible(page, "risk-reopened")

    page.get_by_role("link", name="Escalate to the Strategic partnership board").click()
    page.get_by_label("Why the Strategic partnership board needs to know").fill("Needs partners' funding.")
    page.get_by_role("button", name="Escalate the risk").click()
    expect(page.get_by_text("Risk 1 is escalated to the Strategic partnership board.")).to_be_visible()
    expect(page.get_by_text("from the Operations group to the Strategic partnership board")).to_be_visible()
    assert_accessible(page, "risk-escalated")

    page.get_by_role("link", name="Back to the risk log").click()
    heat_map = page.get_by_role("table", name="Heat map of live risks, scored with the controls in place")
    expect(heat_map.get_by_role("link", name="Risk 1")).to_be_visible()
    assert_accessible(page, "risk-log-heat-map")
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "risk-log-heat-map-320")

    risk = Risk.objects.get()
    assert (risk.status, risk.residual_score, risk.score_changes.count()) == ("escalated", 8, 2)
    assert Escalation.objects.get().escalated_by.email == "lead@example.test"

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("about:blank")
    page.context.clear_cookies()
    sign_in(page, "dem@example.test")
    page.goto(meeting.get_absolute_url())
    page.get_by_role("button", name="Build a pack now").click()
    expect(page.get_by_text("The pack is ready")).to_be_visible(timeout=PACK_READY_MS)
    page.get_by_role("link", name="Open the accessible web page").click()
    top = page.get_by_role("table", name="The 1 highest scored risk")
    expect(top).to_contain_text("Risk 1: Too few educational psychologists")
    expect(top).to_contain_text("8, Medium (2 × 4)")
    expect(top).to_contain_text("Escalated")
    in_report = page.get_by_role("table", name=re.compile("^Heat map of live risks at "))
    expect(in_report).to_contain_text("Risk 1")
    expect(page.get_by_text("Likelihood 2 (Unlikely) × impact 4 (Major), 8, medium: risk 1")).to_be_visible()
    assert_accessible(page, "risk-in-board-report")
