"""As a new user would: an officer updates an action to Amber with commentary and evidence and submits it;
the lead approves it; the action page and its timeline show it. axe checks every page and state on the way."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import ProgressUpdate
from tests.browser.conftest import assert_accessible, follow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_officer_updates_to_amber_with_evidence_and_the_lead_approves(page, world, tmp_path):
    evidence = tmp_path / "pilot-minutes.pdf"
    evidence.write_bytes(PDF)

    sign_in(page, "officer@example.test")
    page.get_by_role("link", name="Your actions").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your actions")
    assert_accessible(page, "actions-your-actions")

    page.get_by_role("link", name="R2.1 Outcome wanted").click()
    expect(page.get_by_role("heading", name="Progress updates")).to_be_visible()
    assert_accessible(page, "actions-action-page-empty")

    follow(page.get_by_role("button", name="Update progress"))
    assert_accessible(page, "actions-update-form")
    page.get_by_label("Amber – at risk").check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: Update R2\.1 – "))
    expect(page.get_by_role("alert")).to_contain_text("Enter commentary explaining why the action is Amber")
    # The field in error keeps GOV.UK's red border once the character count's script has run.
    expect(page.get_by_label("Commentary")).to_have_class(re.compile(r"\bgovuk-textarea--error\b"))
    expect(page.get_by_label("Commentary")).to_have_css("border-color", "rgb(202, 53, 53)")
    assert_accessible(page, "actions-update-form-error")

    page.get_by_label("Amber – at risk").check()
    page.get_by_label("Commentary").fill("The speech and language pilot started a month late.")
    page.get_by_label("Upload evidence (optional)").set_input_files(str(evidence))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your update before submitting it")
    expect(page.get_by_role("link", name="pilot-minutes.pdf")).to_be_visible()
    assert_accessible(page, "actions-check-answers")

    page.get_by_role("button", name="Submit update").click()
    expect(page.get_by_text("Update for R2.1 submitted for review")).to_be_visible()
    assert_accessible(page, "actions-submitted")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "lead@example.test")
    follow(page.get_by_role("link", name="Review updates").first)
    assert_accessible(page, "actions-review-queue")
    page.get_by_role("link", name="Review R2.1").click()
    expect(page.get_by_text("The speech and language pilot started a month late.")).to_be_visible()
    page.get_by_role("button", name="Return update").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the reason you are returning the update")
    assert_accessible(page, "actions-review-error")
    page.get_by_role("button", name="Approve update").click()
    expect(page.get_by_text("Update for R2.1 approved")).to_be_visible()
    assert_accessible(page, "actions-review-queue-empty")

    page.goto(world.action.get_absolute_url())
    timeline = page.locator(".app-timeline__item").first
    expect(timeline).to_contain_text("Amber")
    expect(timeline).to_contain_text("Approved")
    expect(timeline).to_contain_text("The speech and language pilot started a month late.")
    expect(timeline.get_by_role("link", name="pilot-minutes.pdf")).to_be_visible()
    assert_accessible(page, "actions-action-page-with-history")
    assert ProgressUpdate.objects.get().state == ProgressUpdate.State.APPROVED


def test_plan_pages_missing_updates_and_admin_forms_are_accessible(page, world):
    sign_in(page, "admin@example.test")
    follow(page.get_by_role("link", name="Action plan").first)
    assert_accessible(page, "actions-plan")
    page.goto(world.recommendation.get_absolute_url())
    assert_accessible(page, "actions-recommendation")
    page.get_by_role("link", name="Your work").click()  # the work queues are listed on the home page
    follow(page.get_by_role("link", name="Missing updates").first)
    assert_accessible(page, "actions-missing")
    page.goto(f"/plan/{world.action.pk}/edit/")
    assert_accessible(page, "actions-edit")
    page.goto(f"/plan/{world.action.pk}/replan/")
    page.get_by_role("button", name="Re-plan").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page, "actions-replan-error")
    page.goto(f"/plan/{world.action.pk}/history/")
    assert_accessible(page, "actions-history")


def test_a_long_evidence_file_name_wraps_on_the_check_page_rather_than_push_it_sideways(
    page, world, tmp_path
):
    name = "_".join(["speech_and_language_pilot_minutes"] * 5) + ".pdf"  # 173 characters, no space to wrap at
    evidence = tmp_path / name
    evidence.write_bytes(PDF)
    sign_in(page, "officer@example.test")
    page.goto(f"/plan/{world.action.pk}/update/")
    page.get_by_label("Green – on track").check()
    page.get_by_label("Upload evidence (optional)").set_input_files(str(evidence))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("link", name=name)).to_be_visible()

    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, width
        button = page.get_by_role("button", name="Submit update").bounding_box()
        assert button is not None and button["x"] + button["width"] <= width, width
        assert_accessible(page, f"actions-check-answers-long-file-name-{width}")
