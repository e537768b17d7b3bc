import pytest
from playwright.sync_api import expect

from core.models import Role
from core.views import ROLE_PURPOSE
from tests.browser.conftest import assert_accessible, follow, sign_in, sign_in_through_the_form
from tests.factories import PASSWORD, OrganisationFactory, PartnershipFactory, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_page_and_its_error_state_are_accessible(page):
    member(Role.OFFICER, email="pat@example.test")
    page.goto("/sign-in/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert_accessible(page, "sign-in")
    page.get_by_label("E-mail address").fill("pat@example.test")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title("Error: Sign in – SEND partnership portal")
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct e-mail address and password")
    assert_accessible(page, "sign-in-error")


@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_to_an_accessible_home_page_showing_its_work(page, role):
    partnership = PartnershipFactory(name="Southend SEND Area Partnership", short_name="Southend")
    member(role, OrganisationFactory(partnership=partnership), email=f"{role}@example.test")
    sign_in_through_the_form(page, f"{role}@example.test")
    expect(page.get_by_role("heading", level=1)).to_have_text("Southend SEND Area Partnership")
    expect(page.get_by_text(ROLE_PURPOSE[role])).to_be_visible()
    expect(page.get_by_role("link", name="Southend SEND partnership")).to_be_visible()
    assert_accessible(page, f"home-{role}")


def test_organisation_pages_accessibility_statement_and_not_found_are_accessible(page):
    organisation = OrganisationFactory(name="Southend-on-Sea City Council")
    member(Role.ADMIN, organisation, email="admin@example.test", full_name="Alex Admin")
    sign_in(page, "admin@example.test")
    page.get_by_role("link", name="Organisations and people").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations and people")
    assert_accessible(page, "organisations")
    page.get_by_role("link", name="Southend-on-Sea City Council").click()
    expect(page.get_by_role("cell", name="Alex Admin")).to_be_visible()
    assert_accessible(page, "organisation-detail")
    follow(page.get_by_role("link", name="Accessibility statement"))
    assert_accessible(page, "accessibility-statement")
    page.goto("/no-such-page/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page, "not-found")


def test_the_skip_link_is_the_first_thing_keyboard_users_reach(page):
    page.goto("/sign-in/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"


def test_first_sign_in_sets_up_the_authenticator_app_with_accessible_pages(page):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.browser.conftest import current_code

    member(Role.OFFICER, email="new@example.test")
    page.goto("/sign-in/")
    page.get_by_label("E-mail address").fill("new@example.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    assert_accessible(page, "two-factor-setup")
    page.get_by_label("Enter the 6-digit code your app shows").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("alert")).to_contain_text("The code is not right")
    assert_accessible(page, "two-factor-setup-error")
    device = TOTPDevice.objects.get(user__email="new@example.test")
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    page.get_by_label("Enter the 6-digit code your app shows").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor sign-in is set up")
    assert page.locator(".app-recovery-codes li").count() == 10
    assert_accessible(page, "two-factor-recovery-codes")
    page.get_by_role("button", name="I have saved my codes – continue").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "/sign-in/" not in page.url


def test_an_idle_session_warns_two_minutes_before_it_ends_and_can_be_kept(page, settings):
    settings.SESSION_COOKIE_AGE = 123  # the warning then comes 3 seconds after the page loads
    member(Role.BOARD, email="idle@example.test")
    sign_in(page, "idle@example.test")
    dialog = page.get_by_role("dialog", name="You will be signed out soon")
    expect(dialog).to_be_visible(timeout=8_000)
    assert_accessible(page, "session-timeout-warning")
    with page.expect_response("**/session/keep-alive/") as response:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert response.value.status == 204
    expect(dialog).to_be_hidden()
