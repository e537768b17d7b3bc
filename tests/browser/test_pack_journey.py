"""Democratic services, new to the portal, record a meeting, build its pack, watch it build and download it."""

from datetime import date

import pytest
from playwright.sync_api import expect

from reports.models import GovernanceRelation
from tests.browser.conftest import (
    IN_VIEW,
    PACK_READY_MS,
    UNMARKED_SCROLLING,
    assert_accessible,
    follow,
    sign_in,
)
from tests.reports.factories import GovernanceBodyFactory

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def fill_date(page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_democratic_services_record_correct_build_and_publish_a_pack_that_board_members_then_read(
    page,
    world,
    worker,
    tmp_path,
):
    partnership_board = GovernanceBodyFactory(
        partnership=world.partnership, name="SEND Strategic Partnership Board"
    )
    GovernanceRelation.objects.create(
        body=partnership_board,
        to=GovernanceBodyFactory(partnership=world.partnership, name="Health and Wellbeing Board"),
        kind=GovernanceRelation.Kind.REPORTS_TO,
    )
    sign_in(page, "dem@example.test")
    page.get_by_role("link", name="Board packs").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Board packs")
    assert_accessible(page, "packs-empty")

    page.get_by_role("link", name="Record a meeting").click()
    page.get_by_label("Meeting", exact=True).fill("")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    summary = page.locator(".govuk-error-summary")
    for message in [
        "Enter the name of the meeting",
        "Enter the date of the meeting",
        "Enter the report title",
    ]:
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    expect(page.get_by_text("This field is required.")).to_have_count(0)
    assert_accessible(page, "packs-meeting-error")

    page.get_by_label("Meeting", exact=True).fill("Health and Wellbeing Board")
    page.get_by_label("Council").fill("Test City Council")
    fill_date(page, "Date of the meeting", "1", "1", "2020")  # a slip of the year
    page.get_by_label("Agenda item number").fill("seven")
    page.get_by_label("Time of the item (optional)").fill("6.05pm")
    page.get_by_label("Report title").fill("SEND and Strategic Action Plan Update")
    page.get_by_label("Report author").fill("Ada Author, SEND Consultant")
    page.get_by_label("Executive director").fill("Eve Director")
    page.get_by_label("Democratic services contact").fill("Dee Democratic, Democratic Services Officer")
    page.get_by_role("button", name="Record the meeting").click()
    expect(
        summary.get_by_role(
            "link", name="Enter the agenda item as a number, like 7, or with a letter, like 7a"
        )
    ).to_be_visible()
    expect(summary.get_by_text("when the Strategic Action Plan started")).to_be_visible()
    assert_accessible(page, "packs-meeting-mistaken-date")

    fill_date(page, "Date of the meeting", "10", "6", "2027")
    page.get_by_label("Agenda item number").fill("7")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_text("Meeting recorded.")).to_be_visible()
    expect(page.get_by_text("End of 2 June 2027")).to_be_visible()  # five clear working days before
    assert_accessible(page, "packs-meeting")

    page.get_by_role("link", name="Change the meeting's details").click()
    expect(page.get_by_role("group", name="Date of the meeting").get_by_label("Day")).to_have_value("10")
    assert_accessible(page, "packs-meeting-change")
    fill_date(page, "Date of the meeting", "15", "6", "2027")
    page.get_by_role("button", name="Save the changes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Health and Wellbeing Board, 15 June 2027")

    # The Board's first meeting here: what the portal had nothing to draft from is written before the pack is built.
    expect(
        page.get_by_text("3 sections of the report still say there was nothing to draft them from")
    ).to_be_visible()
    page.get_by_role("link", name="Write them in the narrative").click()
    page.get_by_label("3. Background").fill("The area SEND inspection took place in March 2023.")
    page.get_by_label("5. Impact to date").fill("Families wait less for an assessment.")
    page.get_by_label("6. Priorities").fill("Preparing for adulthood")
    page.get_by_role("button", name="Save the narrative").click()
    expect(page.get_by_text("Narrative saved.")).to_be_visible()
    expect(page.get_by_text("still say there was nothing to draft")).to_have_count(0)

    page.get_by_role("button", name="Build a pack now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pack version 1")
    assert_accessible(page, "packs-building")
    expect(page.get_by_text("The pack is ready")).to_be_visible(timeout=PACK_READY_MS)
    expect(page.get_by_text("Board members cannot see this version until you publish it")).to_be_visible()
    assert_accessible(page, "packs-ready")

    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download the PDF").click()
    saved = tmp_path / "pack.pdf"
    pdf.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish version 1 of the pack?")
    assert_accessible(page, "packs-publish-confirm")
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("Version 1 is published: board members can now read it.")).to_be_visible()
    expect(page.get_by_text("PDF checksum (SHA-256)")).to_be_visible()
    assert_accessible(page, "packs-published")

    page.get_by_role("link", name="Back to the meeting").click()
    expect(page.get_by_role("link", name="Delete the meeting")).to_have_count(0)
    page.get_by_role("button", name="Build a supplementary version").click()
    expect(page.get_by_role("link", name="Enter why a new version is needed")).to_be_visible()
    assert_accessible(page, "packs-supplementary-error")
    # An address, as people paste them, is one long word: on a phone it must wrap, not widen the page.
    page.get_by_label("Why a new version is needed").fill(
        "The time of the item changed: www.southend.gov.uk/SENDStrategyAndHealthAndWellbeingBoardPapers"
    )
    page.get_by_role("button", name="Build a supplementary version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pack version 2")
    expect(page.get_by_text("The pack is ready")).to_be_visible(timeout=PACK_READY_MS)

    page.get_by_role("link", name="Open the accessible web page").click()
    expect(page.get_by_role("heading", name="Appendix 4: Self Evaluation Framework (SEF)")).to_be_visible()
    assert_accessible(page, "packs-html-twin")
    headings_smaller_than_the_text = page.evaluate(
        """() => {
          const text = parseFloat(getComputedStyle(document.body).fontSize)
          return [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
            .filter(heading => parseFloat(getComputedStyle(heading).fontSize) < text)
            .map(heading => heading.textContent.trim())
        }"""
    )
    assert headings_smaller_than_the_text == []
    # On a wide screen running text keeps a readable line (38em of 19 px: 722 px), not the window's width.
    widest_paragraph = page.evaluate(
        "Math.max(...[...document.querySelectorAll('main p')].map(p => p.getBoundingClientRect().width))"
    )
    assert 300 < widest_paragraph <= 722
    # On a phone the governance chart keeps its text at about its drawn size and scrolls in its own region.
    page.set_viewport_size({"width": 320, "height": 800})
    chart = page.locator("figure.governance-chart svg")
    assert chart.evaluate("svg => svg.getBoundingClientRect().width >= 0.9 * svg.viewBox.baseVal.width")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    expect(page.get_by_text("Scroll sideways to see the whole chart.")).to_be_visible()
    # As on the portal's pages, every region that scrolls says so, and one that fits does not.
    assert page.evaluate(UNMARKED_SCROLLING) == []
    # Each action's status and commentary are under its name on a phone, not columns past the screen's edge.
    action_cells = page.locator("table.actions-table td").all()
    assert action_cells and all(cell.evaluate(IN_VIEW) for cell in action_cells)
    assert_accessible(page, "packs-html-twin-320")
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.get_by_text("Scroll sideways to see the whole chart.")).to_be_hidden()
    assert page.evaluate(UNMARKED_SCROLLING) == []

    page.context.clear_cookies()
    sign_in(page, "board@example.test")
    page.goto("/board-packs/")
    expect(page.get_by_role("cell", name="Published")).to_be_visible()
    page.get_by_role("link", name="Health and Wellbeing Board, 15 June 2027").click()
    expect(page.get_by_role("link", name="Version 1", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Version 2", exact=True)).to_have_count(0)  # still a draft
    expect(page.get_by_role("link", name="Change the meeting's details")).to_have_count(0)
    assert_accessible(page, "packs-board-member")


def test_democratic_services_cancel_a_meeting_and_delete_one_recorded_by_mistake(page, world):
    from tests.reports.factories import MeetingFactory

    cancelled = MeetingFactory(partnership=world.partnership, date=date(2027, 3, 9))
    mistaken = MeetingFactory(partnership=world.partnership, date=date(2027, 3, 16))
    sign_in(page, "dem@example.test")
    page.goto(cancelled.get_absolute_url())
    page.get_by_role("link", name="Cancel the meeting").click()
    page.get_by_role("button", name="Cancel the meeting").click()
    expect(page.get_by_role("link", name="Enter why the meeting is cancelled")).to_be_visible()
    assert_accessible(page, "packs-cancel-error")
    page.get_by_label("Why the meeting is cancelled").fill("The Board was not quorate.")
    page.get_by_role("button", name="Cancel the meeting").click()
    expect(page.get_by_text("Meeting cancelled.")).to_be_visible()
    expect(page.get_by_role("button", name="Build a pack now")).to_have_count(0)
    assert_accessible(page, "packs-meeting-cancelled")

    page.goto(mistaken.get_absolute_url())
    follow(page.get_by_role("link", name="Delete the meeting"))
    assert_accessible(page, "packs-delete")
    page.get_by_role("button", name="Delete the meeting").click()
    expect(page.get_by_text("The meeting of 16 March 2027 has been deleted.")).to_be_visible()
    expect(page.get_by_role("cell", name="Cancelled")).to_be_visible()
    assert_accessible(page, "packs-list")


def test_democratic_services_add_change_and_remove_a_board_of_the_governance_list(page, world):
    sign_in(page, "dem@example.test")
    page.get_by_role("link", name="Board packs").first.click()
    page.get_by_role("link", name="Governance: the boards and groups the governance chart shows").click()
    expect(page.get_by_text("No boards or groups have been recorded yet.")).to_be_visible()
    assert_accessible(page, "governance-empty")

    page.get_by_role("link", name="Add a board or group").click()
    page.get_by_label("Position in the list").fill("first")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Enter the name")).to_be_visible()
    expect(page.get_by_role("link", name="Enter the position as a whole number")).to_be_visible()
    assert_accessible(page, "governance-add-error")

    page.get_by_label("Name").fill("SEND Strategic Partnership Board")
    page.get_by_label("Membership").fill("Director of Children's Services\nParent carer forum chair")
    page.get_by_label("Position in the list").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("SEND Strategic Partnership Board added")).to_be_visible()
    assert_accessible(page, "governance-list")

    page.get_by_role("link", name="Change SEND Strategic Partnership Board").click()
    page.get_by_label("Meets").fill("Bi-monthly")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Bi-monthly")).to_be_visible()

    follow(page.get_by_role("link", name="Remove SEND Strategic Partnership Board"))
    assert_accessible(page, "governance-remove")
    page.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("No boards or groups have been recorded yet.")).to_be_visible()
