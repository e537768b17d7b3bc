"""Democratic services check where the drafted narrative came from, edit it, and redraft one section."""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.models import Narrative
from tests.actions.factories import approved_update
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_pack_journey import fill_date
from tests.reports.factories import NarrativeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_democratic_services_see_the_sources_keep_their_edits_and_redraft_one_section(page, world):
    today = timezone.localdate()
    NarrativeFactory(meeting__partnership=world.partnership, meeting__date=date(today.year - 1, 6, 10))
    approved_update(
        world.action, today, "green", commentary="Pilot running in three wards.", reviewed_at=timezone.now()
    )
    sign_in(page, "dem@example.test")
    page.get_by_role("link", name="Board packs").first.click()
    page.get_by_role("link", name="Record a meeting").click()
    page.get_by_label("Council").fill("Test City Council")
    fill_date(page, "Date of the meeting", "20", "1", str(today.year + 1))
    page.get_by_label("Agenda item number").fill("7")
    page.get_by_label("Report title").fill("SEND and Strategic Action Plan Update")
    page.get_by_label("Report author").fill("Ada Author, SEND Consultant")
    page.get_by_label("Executive director").fill("Eve Director")
    page.get_by_label("Democratic services contact").fill("Dee Democratic, Democratic Services Officer")
    page.get_by_role("button", name="Record the meeting").click()

    page.get_by_role("link", name="Edit the narrative").click()
    expect(page.get_by_label("Progress towards recommendation 2")).to_contain_text(
        "R2.1 (" + f"{today:%B %Y}" + "): Pilot running in three wards."
    )
    page.get_by_text("Sources of the draft of Progress towards recommendation 2").click()
    expect(page.get_by_text("Approved update for R2.1")).to_be_visible()
    assert_accessible(page, "narrative-sources")

    page.get_by_label("5. Impact to date").fill("The author's own impact.")
    page.get_by_role("button", name="Save the narrative").click()
    expect(page.get_by_text("Narrative saved.")).to_be_visible()

    page.get_by_role("link", name="Edit the narrative").click()
    page.get_by_role("link", name="ask for a section to be drafted again").click()
    page.get_by_role("button", name="Draft it again").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page, "narrative-redraft-error")

    page.get_by_label("Every section you have not changed").check()
    page.get_by_role("button", name="Draft it again").click()
    expect(page.get_by_text("again from the data")).to_be_visible()
    assert_accessible(page, "narrative-redrafted")
    assert (
        Narrative.objects.get(meeting__date=date(today.year + 1, 1, 20)).impact == "The author's own impact."
    )

    page.set_viewport_size({"width": 320, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
