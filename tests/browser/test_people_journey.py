"""An admin runs the partnership's people in Chromium, with axe on every state; an invitee joins by password."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect

from core.models import Role, User
from tests.browser.conftest import assert_accessible, current_code, follow, sign_in
from tests.factories import PASSWORD, member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a-long-new-password-9876"


def emailed_path(message: str) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message).group(1)


def test_an_admin_invites_a_person_who_joins_with_a_password_and_two_factor(
    page: Page, browser: Browser, live_server, world
):
    sign_in(page, world.admin.email)
    page.goto(reverse("people:index"))
    assert_accessible(page, "people-index")
    follow(page.get_by_role("link", name="Invite a person"))
    assert_accessible(page, "people-invite")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter their full name")
    assert_accessible(page, "people-invite-errors")
    page.get_by_label("Full name").fill("Nia New")
    page.get_by_label("E-mail address").fill("nia@example.test")
    page.get_by_label("Organisation").select_option(label="Council")
    page.get_by_label("Officer").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Invitation sent to nia@example.test")
    expect(page.get_by_role("region", name="Invitations")).to_contain_text("Nia New")
    assert_accessible(page, "people-index-with-invitation")

    [message] = mail.outbox
    invitee_context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    invitee = invitee_context.new_page()
    invitee.goto(emailed_path(message.body))
    expect(invitee.get_by_role("heading", level=1)).to_contain_text("Join the")
    assert_accessible(invitee, "people-join")
    invitee.get_by_label("Create a password").fill("short")
    invitee.get_by_label("Confirm your password").fill("short")
    invitee.get_by_role("button", name="Create account").click()
    expect(invitee.locator(".govuk-error-summary")).to_contain_text("too short")
    assert_accessible(invitee, "people-join-errors")
    invitee.get_by_label("Create a password").fill(NEW_PASSWORD)
    invitee.get_by_label("Confirm your password").fill(NEW_PASSWORD)
    invitee.get_by_role("button", name="Create account").click()
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    # The authenticator is stored with the first code sent (the set-up page itself writes nothing).
    invitee.get_by_label("Enter the 6-digit code your app shows").fill("000000")
    invitee.get_by_role("button", name="Continue").click()
    expect(invitee.get_by_role("alert")).to_contain_text("The code is not right")
    device = TOTPDevice.objects.get(user__email="nia@example.test")
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    invitee.get_by_label("Enter the 6-digit code your app shows").fill(current_code(device))
    invitee.get_by_role("button", name="Continue").click()
    invitee.get_by_role("button", name="I have saved my codes – continue").click()
    expect(invitee.get_by_role("heading", level=1)).to_be_visible()
    assert "/sign-in/" not in invitee.url
    assert invitee.evaluate("document.documentElement.scrollWidth") <= 320

    nia = User.objects.get(email="nia@example.test")
    page.goto(reverse("people:person", args=[nia.pk]))
    assert_accessible(page, "people-person")
    follow(page.get_by_role("link", name="Change roles"))
    assert_accessible(page, "people-change-roles")
    page.get_by_label("Officer").uncheck()
    page.get_by_label("Board member").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Board member")
    assert list(nia.memberships.values_list("role", flat=True)) == [Role.BOARD]

    follow(page.get_by_role("link", name="Reset two-factor sign-in"))
    assert_accessible(page, "people-reset-two-factor")
    page.get_by_role("button", name="Reset two-factor sign-in").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Not set up yet")
    invitee.goto(reverse("home"))
    assert "/sign-in/" in invitee.url  # her session ended at once

    follow(page.get_by_role("link", name="Deactivate"))
    assert_accessible(page, "people-deactivate")
    page.get_by_role("button", name="Deactivate").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Deactivated")
    assert_accessible(page, "people-person-deactivated")
    invitee_context.close()


def test_an_admin_unlocks_an_officer_locked_out_after_too_many_attempts(page: Page, world):
    locked = member(Role.OFFICER, world.council, email="lockie@example.test", full_name="Lockie Locked")
    attempts = Client()
    for _ in range(10):
        attempts.post(reverse("login"), {"username": locked.email, "password": "wrong"})
    sign_in(page, world.admin.email)
    page.goto(reverse("people:index"))
    expect(page.get_by_role("row", name=re.compile("Lockie Locked"))).to_contain_text("Locked out")
    page.get_by_role("link", name="Lockie Locked").click()
    follow(page.get_by_role("link", name="Unlock sign-in"))
    assert_accessible(page, "people-unlock")
    page.get_by_role("button", name="Unlock").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Can sign in")
    response = attempts.post(reverse("login"), {"username": locked.email, "password": PASSWORD})
    assert response.status_code == 302


def test_organisations_are_added_renamed_and_deactivated_in_the_browser(page: Page, world):
    sign_in(page, world.admin.email)
    page.goto(reverse("core:organisations"))
    follow(page.get_by_role("link", name="Add an organisation"))
    assert_accessible(page, "organisation-add")
    follow(page.get_by_role("button", name="Add organisation"))
    assert_accessible(page, "organisation-add-errors")
    page.get_by_label("Name").fill("Healthwatch")
    page.get_by_label("Voluntary sector").check()
    page.get_by_role("button", name="Add organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Healthwatch")
    follow(page.get_by_role("link", name="Rename"))
    assert_accessible(page, "organisation-rename")
    page.get_by_label("Name").fill("Healthwatch Southend")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Healthwatch Southend")
    follow(page.get_by_role("link", name="Deactivate"))
    assert_accessible(page, "organisation-deactivate")
    page.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_role("main")).to_contain_text("Deactivated No one can be given a role in it.")
    follow(page.get_by_role("link", name="Reactivate"))
    assert_accessible(page, "organisation-reactivate")
    page.get_by_role("button", name="Reactivate").click()
    expect(page.get_by_role("main")).to_contain_text("Healthwatch Southend is active again")
    page.goto(reverse("core:organisations"))
    expect(page.get_by_role("row", name=re.compile("Healthwatch Southend"))).not_to_contain_text(
        "Deactivated"
    )


def test_password_reset_pages_are_accessible_and_say_the_same_for_any_address(page: Page, world):
    page.goto(reverse("login"))
    follow(page.get_by_role("link", name="Forgotten your password?"))
    assert_accessible(page, "password-reset")
    follow(page.get_by_role("button", name="Send reset link"))
    assert_accessible(page, "password-reset-errors")
    page.get_by_label("E-mail address").fill(world.officer.email)
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    assert_accessible(page, "password-reset-sent")
    [message] = mail.outbox
    page.goto(emailed_path(message.body))
    assert_accessible(page, "password-reset-new")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm your new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    assert_accessible(page, "password-reset-done")
