"""An action's milestones read on a phone, as the partnership admin: the links to change or remove one are in view
at 320 px without scrolling the table sideways (found by a usability tester: they had been a column of their own,
off the screen's edge)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.actions.factories import MilestoneFactory
from tests.browser.conftest import IN_VIEW, SCREENSHOTS, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_at_320_px_the_admin_sees_each_milestones_change_and_remove_links_without_scrolling(
    page: Page, live_server, world
):
    due = timezone.localdate() + timedelta(days=60)
    MilestoneFactory(
        action=world.action,
        title="Joint commissioning strategy agreed by the Health and Wellbeing Board",
        due_date=due,
    )
    sign_in(page, world.admin.email)
    page.set_viewport_size({"width": 320, "height": 640})

    page.goto(world.action.get_absolute_url())

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "action-milestones-320.png"), full_page=True)
    milestones = page.get_by_role("table", name=f"Milestones of {world.action.reference}")
    assert milestones.evaluate(IN_VIEW), "the milestones table runs past the screen's edge at 320 px"
    for name in ("Change", "Remove"):
        links = milestones.get_by_role("link", name=name)
        expect(links).to_have_count(2)
        assert all(link.evaluate(IN_VIEW) for link in links.all()), f"{name} is off the screen at 320 px"
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "action-milestones-320")


def test_an_officer_sees_the_milestones_on_a_phone_without_the_admins_links(page: Page, live_server, world):
    sign_in(page, world.officer.email)
    page.set_viewport_size({"width": 320, "height": 640})

    page.goto(world.action.get_absolute_url())

    milestones = page.get_by_role("table", name=f"Milestones of {world.action.reference}")
    expect(milestones.get_by_role("cell", name="Pilot in three wards")).to_be_visible()
    expect(milestones.get_by_role("link")).to_have_count(0)
