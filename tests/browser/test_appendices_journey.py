"""Democratic services put a meeting's appendices in order and upload a PDF appendix; axe checks every state."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfWriter

from tests.browser.conftest import PACK_READY_MS, assert_accessible, follow, sign_in
from tests.reports.factories import MeetingFactory, NarrativeFactory

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def untagged_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def card_titles(page) -> list[str]:
    return page.locator(".govuk-summary-card__title").all_inner_texts()


def test_democratic_services_reorder_the_appendices_and_upload_a_pdf_appendix(
    page,
    world,
    worker,
):
    meeting = MeetingFactory(partnership=world.partnership)
    NarrativeFactory(meeting=meeting)
    sign_in(page, "dem@example.test")
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Change the appendices").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Appendices")
    assert card_titles(page) == [
        "Appendix 1: Strategic Action Plan annual update",
        "Appendix 2: Strategic Action Plan action status table",
        "Appendix 3: Governance chart",
        "Appendix 4: Self Evaluation Framework (SEF)",
    ]
    assert_accessible(page, "appendices-list")

    page.get_by_role("button", name="Move up appendix 3, Governance chart").click()
    expect(page.get_by_text("“Governance chart” moved up")).to_be_visible()
    assert card_titles(page)[1:3] == [
        "Appendix 2: Governance chart",
        "Appendix 3: Strategic Action Plan action status table",
    ]
    assert_accessible(page, "appendices-moved")

    page.get_by_role("link", name="Upload an appendix").click()
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Enter the appendix's title")).to_be_visible()
    expect(page.get_by_role("link", name="Select a file")).to_be_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page, "appendix-upload-error")

    page.get_by_label("Title").fill("Scanned minutes of the SEND Strategic Partnership Board")
    page.get_by_label("File").set_input_files(
        {"name": "minutes.pdf", "mimeType": "application/pdf", "buffer": untagged_pdf(2)}
    )
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("uploaded as the last appendix")).to_be_visible()
    expect(page.get_by_text("is a PDF without tags, so screen readers cannot read its pages")).to_be_visible()
    expect(page.get_by_text("PDF, 2 pages")).to_be_visible()
    expect(page.get_by_text("Not tagged", exact=True)).to_be_visible()
    assert card_titles(page)[-1] == "Appendix 5: Scanned minutes of the SEND Strategic Partnership Board"
    assert_accessible(page, "appendices-uploaded-untagged")

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, "appendices-320")

    page.set_viewport_size({"width": 1280, "height": 900})
    # The pack built now prints the appendices in the new order, and its web page links the uploaded file.
    page.get_by_role("link", name="Back to the meeting").click()
    page.get_by_role("button", name="Build a pack now").click()
    expect(page.get_by_text("The pack is ready")).to_be_visible(timeout=PACK_READY_MS)
    page.get_by_role("link", name="Open the accessible web page").click()
    contents = page.get_by_role("navigation", name="Contents")
    expect(contents.get_by_role("link", name="Appendix 2: Governance chart")).to_be_visible()
    upload = page.get_by_role(
        "link", name="Scanned minutes of the SEND Strategic Partnership Board (PDF, 2 pages)"
    )
    expect(upload).to_be_visible()
    assert_accessible(page, "appendices-pack-html-twin")
    assert page.request.get(upload.get_attribute("href")).body().startswith(b"%PDF")
    page.go_back()
    page.goto(meeting.get_absolute_url())
    page.get_by_role("link", name="Change the appendices").click()
    follow(page.get_by_role("link", name="Remove appendix 1"))
    assert_accessible(page, "appendix-remove")
    page.get_by_role("button", name="Remove").click()
    expect(
        page.get_by_text("“Strategic Action Plan annual update” removed from the appendices")
    ).to_be_visible()
    assert card_titles(page)[0] == "Appendix 1: Governance chart"
