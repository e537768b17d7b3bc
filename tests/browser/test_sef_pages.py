"""As a new user would: a lead edits an area in a new draft and submits it, democratic services records the
Board's agreement, and the compare view shows the change. axe checks every page and the form error states."""

import re

import pytest
from playwright.sync_api import expect

from actions.seed.loader import load_southend_plan
from core.models import Role
from core.seed.southend import load_southend_partnership
from sef.models import AreaEvaluation, SelfEvaluation
from sef.seed.loader import load_southend_sef
from tests.browser.conftest import assert_accessible, follow, sign_in
from tests.factories import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_ITEM = "Health visitors now join every early years panel."


@pytest.fixture
def southend():
    partnership = load_southend_partnership()
    load_southend_plan(partnership)
    load_southend_sef(partnership)
    council = partnership.organisations.get(name="Southend-on-Sea City Council")
    member(Role.LEAD, council, email="lead@example.test", full_name="Lee Lead")
    member(Role.DEMOCRATIC, council, email="dem@example.test", full_name="Dee Democratic")
    return partnership


def test_a_lead_edits_and_submits_a_draft_and_democratic_services_records_agreement(page, southend):
    sign_in(page, "lead@example.test")
    page.get_by_role("link", name="Self-evaluation").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Self-evaluation")
    assert_accessible(page, "sef-index")

    page.get_by_role("link", name="Area SEND inspection framework").click()
    expect(page.get_by_text("Leaders evaluate services and make improvements")).to_be_visible()
    assert_accessible(page, "sef-framework")
    page.go_back()

    page.get_by_role("link", name="Southend SEND Area Partnership: Special Educational Needs").click()
    expect(
        page.get_by_text("Submitted for agreement at the Health and Wellbeing Board of 10 December 2024")
    ).to_be_visible()
    assert_accessible(page, "sef-version-submitted")
    page.get_by_role("link", name="Part A: context and key issues").click()
    page.get_by_role("link", name="Key issue 6", exact=True).click()  # from the list after the contents
    issue = page.locator("#key-issue-6")
    expect(issue).to_contain_text("Just over a third of EHC plans were reviewed within 12 months")
    expect(issue).to_be_in_viewport()
    assert_accessible(page, "sef-part-a")
    page.get_by_role("link", name="Area 8", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Leaders have an accurate, shared understanding"
    )
    assert_accessible(page, "sef-area")
    follow(page.get_by_role("link", name="Part C: priorities"))
    assert_accessible(page, "sef-part-c")
    follow(page.get_by_role("link", name="Links to the action plan"))
    assert_accessible(page, "sef-links-empty")
    page.get_by_role("link", name="Print version").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Self Evaluation")
    assert_accessible(page, "sef-print")

    page.goto("/self-evaluation/")
    page.get_by_role("button", name="Start a new draft").click()
    expect(page.get_by_role("alert")).to_contain_text("Version 3 started as a draft")
    assert_accessible(page, "sef-version-draft")
    page.get_by_role("link", name="Area 1", exact=True).click()
    follow(page.get_by_role("link", name="Edit area 1"))
    assert_accessible(page, "sef-area-edit")

    page.get_by_label("Inconsistent experiences", exact=False).first.check()
    page.get_by_role("button", name="Save area 1").click()
    expect(page).to_have_title("Error: Edit area 1 – version 3 – Southend SEND partnership")
    expect(page.get_by_role("alert")).to_contain_text("Enter why you have made this judgement")
    assert_accessible(page, "sef-area-edit-error")

    do_well = page.get_by_label("What we do well")
    do_well.fill(do_well.input_value() + "\n\n" + NEW_ITEM)
    page.get_by_label("Why this judgement").fill("Timeliness of assessments is still below national.")
    page.get_by_label("R3.2:", exact=False).check()
    page.get_by_role("button", name="Save area 1").click()
    expect(page.get_by_role("alert")).to_contain_text("Area 1 saved.")
    expect(page.get_by_text(NEW_ITEM)).to_be_visible()
    assert_accessible(page, "sef-area-saved")
    page.get_by_role("link", name="Links to the action plan").click()
    expect(page.get_by_role("cell", name="Area 1")).to_be_visible()
    assert_accessible(page, "sef-links")

    page.get_by_role("link", name="Part C: priorities").click()
    follow(page.get_by_role("link", name="Edit priority 6.2"))
    assert_accessible(page, "sef-priority-edit")
    page.get_by_label("Priority", exact=True).fill("")
    page.get_by_role("button", name="Save priority").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the priority")
    assert_accessible(page, "sef-priority-edit-error")
    page.get_by_label("Priority", exact=True).fill("SEND champions across the area will be in place.")
    page.get_by_label("R6.7:", exact=False).check()
    page.get_by_role("button", name="Save priority").click()
    expect(page.get_by_role("alert")).to_contain_text("Priority 6.2 saved.")
    expect(page.get_by_text("Actions: R6.7")).to_be_visible()

    page.get_by_role("link", name="Overview").click()
    page.get_by_role("link", name="Submit for agreement").click()
    page.get_by_label("Date of the meeting").fill("31/02/2025")
    page.get_by_role("button", name="Submit for agreement").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the date of the meeting as day/month/year")
    assert_accessible(page, "sef-submit-error")
    page.get_by_label("Date of the meeting").fill("10/06/2025")
    page.get_by_role("button", name="Submit for agreement").click()
    expect(page.get_by_role("alert")).to_contain_text("Version 3 submitted for agreement.")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, "dem@example.test")
    page.goto("/self-evaluation/")
    page.get_by_role("link", name="Southend SEND Area Partnership").first.click()
    follow(page.get_by_role("link", name="Record the Board's agreement"))
    assert_accessible(page, "sef-agree")
    page.get_by_role("button", name="Record agreement").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter the date it was agreed")
    assert_accessible(page, "sef-agree-error")
    page.get_by_label("Date it was agreed").fill("10/06/2025")
    page.get_by_label("Minute reference").fill("HWB 23/25")
    page.get_by_role("button", name="Record agreement").click()
    expect(page.get_by_role("alert")).to_contain_text("Version 3 recorded as agreed. It is now locked.")
    expect(page.get_by_text("Locked: this version cannot change.")).to_be_visible()
    assert_accessible(page, "sef-version-agreed")

    page.get_by_role("link", name="compare with it").click()
    expect(page.get_by_role("cell", name=NEW_ITEM)).to_be_visible()
    expect(page.get_by_text("Added").first).to_be_visible()
    assert_accessible(page, "sef-compare")
    page.goto("/self-evaluation/")
    expect(
        page.get_by_text("Agreed by the Health and Wellbeing Board on 10 June 2025 (minute HWB 23/25)")
    ).to_be_visible()
    assert_accessible(page, "sef-index-after")


def test_an_admin_adds_to_the_judgement_scale_and_is_told_why_a_used_level_stays(page, southend):
    member(Role.ADMIN, southend.organisations.first(), email="admin@example.test")
    evaluation = SelfEvaluation.objects.get(partnership=southend, version=2)
    sign_in(page, "admin@example.test")
    page.get_by_role("link", name="Self-evaluation").first.click()
    page.get_by_role("link", name="Area SEND inspection framework").click()
    page.get_by_role("link", name="Add a judgement").click()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("link", name="Enter the judgement")).to_be_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page, "sef-judgement-add-error")

    page.get_by_label("Judgement").fill("Too early to say")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("“Too early to say” added to the judgement scale")).to_be_visible()
    assert_accessible(page, "sef-framework-admin")

    first = southend.judgement_levels.order_by("order").first()
    AreaEvaluation.objects.filter(evaluation=evaluation, area__number=1).update(judgement=first)
    follow(page.get_by_role("link", name=f"Remove {first.label}"))
    assert_accessible(page, "sef-judgement-remove")
    page.get_by_role("button", name="Remove judgement").click()
    expect(page.get_by_text("so it stays on the scale")).to_be_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page, "sef-judgement-remove-refused")


def test_on_a_phone_the_eleven_areas_take_three_lines_above_the_page_not_eleven(page, southend):
    version = SelfEvaluation.objects.get(partnership=southend, dated="2024-10-10")
    sign_in(page, "lead@example.test")
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/self-evaluation/{version.pk}/")
    areas = page.get_by_role("navigation", name=f"Parts of version {version.version}").get_by_role(
        "link", name=re.compile(r"^Area \d+$")
    )
    expect(areas).to_have_count(11)
    lines = {round(box["y"]) for box in (link.bounding_box() for link in areas.all()) if box}
    assert len(lines) <= 3
    assert page.evaluate("document.documentElement.scrollWidth") == 320
