"""The partnership's organisations read on a phone: each one's kind and the number of people with a role for it are
in view at 320 px (found by a usability tester: the kind and the count had been columns off the screen's edge)."""

import pytest
from playwright.sync_api import Page, expect

from core.models import Organisation
from tests.browser.conftest import IN_VIEW, assert_accessible, sign_in
from tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_at_320_px_each_organisations_kind_and_count_of_people_are_in_view(page: Page, live_server, world):
    OrganisationFactory(
        partnership=world.partnership,
        name="Mid and South Essex NHS Foundation Trust",
        kind=Organisation.Kind.NHS_TRUST,
    )
    sign_in(page, world.admin.email)
    page.set_viewport_size({"width": 320, "height": 640})

    page.goto("/partnership/organisations/")

    organisations = page.get_by_role("table", name="3 organisations")
    council = organisations.get_by_role("row", name="Council Council 5")
    trust = organisations.get_by_role("row", name="Mid and South Essex NHS Foundation Trust NHS trust 0")
    for row in (council, trust):
        expect(row).to_be_visible()
        assert all(cell.evaluate(IN_VIEW) for cell in row.get_by_role("cell").all()), (
            "a cell is off the screen"
        )
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "organisations-320")
