"""Democratic services, new to the portal, record a meeting, build its pack, watch it build and download it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.reports.test_worker import worker  # noqa: F401 - shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_democratic_services_record_a_meeting_build_the_pack_and_download_both_formats(
    page,
    world,
    worker,  # noqa: F811 - the fixture imported above
    tmp_path,
):
    sign_in(page, "dem@example.test")
    page.get_by_role("link", name="Board packs").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Health and Wellbeing Board packs")
    assert_accessible(page, "packs-empty")

    page.get_by_role("link", name="Record a meeting").click()
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page, "packs-meeting-error")

    page.get_by_label("Council").fill("Test City Council")
    page.get_by_label("Date of the meeting").fill("2030-06-10")
    page.get_by_label("Agenda item number").fill("7")
    page.get_by_label("Time of the item (optional)").fill("18:05")
    page.get_by_label("Report title").fill("SEND and Strategic Action Plan Update")
    page.get_by_label("Report author").fill("Ada Author, SEND Consultant")
    page.get_by_label("Executive director").fill("Eve Director")
    page.get_by_label("Democratic services contact").fill("Dee Democratic, Democratic Services Officer")
    page.get_by_role("button", name="Record the meeting").click()
    expect(page.get_by_text("Meeting recorded.")).to_be_visible()
    assert_accessible(page, "packs-meeting")

    page.get_by_role("button", name="Build a pack now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pack version 1")
    assert_accessible(page, "packs-building")
    expect(page.get_by_text("The pack is ready")).to_be_visible(timeout=60_000)
    assert_accessible(page, "packs-ready")

    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download the PDF").click()
    saved = tmp_path / "pack.pdf"
    pdf.value.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    page.get_by_role("link", name="Open the accessible web page").click()
    expect(page.get_by_role("heading", name="Appendix 4: Self Evaluation Framework (SEF)")).to_be_visible()
    assert_accessible(page, "packs-html-twin")


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

    page.get_by_role("link", name="Remove SEND Strategic Partnership Board").click()
    assert_accessible(page, "governance-remove")
    page.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("No boards or groups have been recorded yet.")).to_be_visible()
