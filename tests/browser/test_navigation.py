"""The menu across the top, in a real browser: one line on a laptop screen for everyone, behind a Menu button on
a phone."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import SCREENSHOTS, assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENU_ITEMS = ".govuk-service-navigation__item"


def rows(page: Page) -> set[int]:
    """The distinct heights at which the menu's entries sit: one for a menu on one line."""
    items = page.locator(MENU_ITEMS)
    return {round(items.nth(i).bounding_box()["y"]) for i in range(items.count())}  # type: ignore[index]


@pytest.mark.parametrize("role", ["officer", "lead", "admin"])
def test_the_menu_fits_one_line_at_1280_px_and_folds_behind_a_button_at_320_px(page: Page, world, role):
    sign_in(page, getattr(world, role).email)
    page.goto("/risks/")  # the current entry is bold, so the widest the menu gets
    for width in (1280, 1024):
        page.set_viewport_size({"width": width, "height": 800})
        expect(page.locator(MENU_ITEMS).first).to_be_visible()
        assert len(rows(page)) == 1, f"the menu wraps for the {role} at {width} px"
    expect(page.get_by_role("link", name="Organisations", exact=True)).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=str(SCREENSHOTS / f"menu-1280-{role}.png"))
    page.set_viewport_size({"width": 320, "height": 640})
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_be_visible()
    expect(page.locator(MENU_ITEMS).first).to_be_hidden()
    menu.click()
    expect(page.get_by_role("link", name="Risk log")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.screenshot(path=str(SCREENSHOTS / f"menu-320-{role}.png"))
    assert_accessible(page, f"menu-320-{role}-open")
