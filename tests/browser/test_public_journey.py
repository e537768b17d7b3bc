"""The public pages as a family meets them, and the moderator's side, in Chromium with axe at WCAG 2.2 AA."""

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from actions.models import RecommendationSummary
from kpis.models import Comparator, Geography
from public.models import Feedback
from tests.actions.factories import approved_update
from tests.browser.conftest import IN_VIEW, assert_accessible, sign_in
from tests.conftest import public_everything
from tests.kpis.factories import IndicatorFactory, ReturnFactory
from tests.public.factories import at, pack_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def public_site(world):
    approved_update(
        world.action,
        date(2025, 2, 1),
        "green",
        commentary="The pilot started in three wards.",
        reviewed_at=at(date(2025, 3, 3)),
    )
    RecommendationSummary.objects.create(
        recommendation=world.recommendation,
        year="2023-24",
        published_label="October 2024",
        what_we_wanted="Families to know where to find help.",
        what_we_did=["Rewrote the Local Offer pages", "Held three co-design sessions"],
        difference_it_made="More families found what they needed.",
        priority_heading="Priority 2024-25",
        priority="Keep improving the Local Offer.",
    )
    indicator = IndicatorFactory(owner_organisation=world.council, title="Plans issued within 20 weeks")
    ReturnFactory(
        indicator=indicator,
        value=61,
        reference_date=date(2025, 2, 28),
        period_label="February 2025",
        submitted_by=world.officer,
        submitted_at=at(date(2025, 3, 5)),
    )
    Comparator.objects.create(
        indicator=indicator,
        geography=Geography.ENGLAND,
        period_label="2024",
        reference_date=date(2024, 12, 31),
        value=46,
        source_document="National statistics",
    )
    pack_for(world.partnership, cut_off=date(2025, 3, 31))
    public_everything(world.partnership, indicator)
    return world


def look(page: Page, name: str) -> None:
    """Axe at 1280 px, then at 320 px with no sideways scrolling."""
    assert_accessible(page, f"public-{name}")
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, f"{name} scrolls sideways at 320 px"
    assert_accessible(page, f"public-320-{name}")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_family_reads_the_progress_sends_a_question_and_finds_the_open_data(page: Page, public_site):
    page.set_default_timeout(30_000)  # a long journey on a machine shared with other test runs
    code = public_site.partnership.ons_code
    page.goto(f"/public/{code}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("How the partnership is doing")
    look(page, "home")
    page.get_by_role("link", name="Progress on the plan").first.click()
    expect(page.get_by_text("The pilot started in three wards.")).to_be_visible()
    look(page, "plan")
    # On a phone what the partnership reported is under each action, not a column past the screen's edge.
    page.set_viewport_size({"width": 320, "height": 640})
    reported = page.get_by_role("cell", name="The pilot started in three wards.")
    assert (
        reported.evaluate(IN_VIEW) and reported.evaluate("cell => cell.getBoundingClientRect().width") > 250
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("navigation", name="Public pages").get_by_role("link", name="Year by year").click()
    expect(page.get_by_text("Rewrote the Local Offer pages")).to_be_visible()
    look(page, "years")
    page.get_by_role("navigation", name="Public pages").get_by_role("link", name="Indicators").click()
    expect(page.get_by_role("cell", name="61%")).to_be_visible()
    look(page, "indicators")
    page.get_by_role("navigation", name="Public pages").get_by_role("link", name="Board reports").click()
    look(page, "packs")
    page.get_by_role("navigation", name="Public pages").get_by_role("link", name="Easy read").click()
    expect(page.get_by_text("On track: 1 thing.")).to_be_visible()
    look(page, "easy-read")

    page.goto(f"/public/{code}/feedback/")
    look(page, "feedback")
    page.wait_for_timeout(3100)  # a person takes a few seconds; the time trap refuses a form sent at once
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your message")
    assert page.title().startswith("Error: ")
    look(page, "feedback-errors")
    page.get_by_label("A question").check()
    page.get_by_label("Your message").fill("When will the new specialist places open?")
    page.get_by_label("Your e-mail address (optional)").fill("sam@example.test")
    page.wait_for_timeout(3100)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Message sent")).to_be_visible()
    look(page, "feedback-sent")
    assert Feedback.objects.get().contact == "sam@example.test"
    page.get_by_role("link", name="See what families said and what we did").click()
    expect(page.get_by_text("Nothing has been published here yet.")).to_be_visible()
    look(page, "you-said")

    page.get_by_role("navigation", name="Public pages").get_by_role("link", name="Open data").click()
    look(page, "open-data")
    page.get_by_role("link", name="Indicator values").click()
    expect(page.get_by_role("caption")).to_have_text("Data dictionary")
    look(page, "dataset")


def test_the_message_limit_counts_line_breaks_and_emoji_as_the_count_below_the_box_does(
    page: Page, public_site
):
    """A browser sends each line break as two characters, and the count below the box counts an emoji as two: a
    message the count says fits is sent, and one over it is refused with the count the box gave."""
    fits = (
        ("a" * 99 + "\n") * 19 + "\N{GRINNING FACE}" + "b" * 98
    )  # 2,000 as the box counts, 1,999 code points
    page.goto(f"/public/{public_site.partnership.ons_code}/feedback/")
    page.get_by_label("A question").check()
    message = page.get_by_label("Your message")

    message.fill(fits + "c")
    expect(page.get_by_text("You have 1 character too many")).to_be_visible()
    page.wait_for_timeout(3100)  # the time trap refuses a form sent at once
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("you entered 2,001 characters")
    assert not Feedback.objects.exists()

    message.fill(fits)
    expect(page.get_by_text("You have 0 characters remaining")).to_be_visible()
    page.wait_for_timeout(3100)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", name="Message sent")).to_be_visible()
    assert Feedback.objects.get().message.replace("\r\n", "\n") == fits


def test_a_moderator_replies_publishes_and_chooses_what_is_public(page: Page, public_site):
    item = Feedback.objects.create(
        partnership=public_site.partnership,
        kind=Feedback.Kind.SUGGESTION,
        message="Please hold the forum in the evening.",
        name="Sam Parent",
        contact="sam@example.test",
    )
    page.set_default_timeout(30_000)
    sign_in(page, public_site.admin.email)
    page.goto("/partnership/feedback/")
    look(page, "moderation")
    page.get_by_role("link", name="open this message").click()
    look(page, "moderate")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a summary of what the person said")
    look(page, "moderate-errors")
    page.get_by_label("You said").fill("Parents asked for forums in the evening.")
    page.get_by_label("We did").fill("The next two forums are at 6pm.")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published on the 'You said, we did' page")).to_be_visible()
    item.refresh_from_db()
    assert item.state == Feedback.State.PUBLISHED
    page.goto(f"/public/{public_site.partnership.ons_code}/you-said-we-did/")
    expect(page.get_by_text("The next two forums are at 6pm.")).to_be_visible()

    page.goto("/partnership/public-pages/")
    look(page, "choices")
    page.get_by_label("How many days to keep").fill("2")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a number of days from 7 to 730")
    look(page, "choices-errors")

    page.get_by_role("link", name="Your API tokens").click()  # in the header, beside the person's name
    page.get_by_label("What is the token for?").fill("Monthly report")
    page.get_by_label("The action plan with each action's latest approved status").check()
    page.get_by_role("button", name="Create the token").click()
    expect(page.get_by_role("heading", name="Token created")).to_be_visible()
    look(page, "tokens")


def test_at_320_px_each_indicator_shows_its_figure_and_comparators_under_their_names(page: Page, public_site):
    page.set_viewport_size({"width": 320, "height": 640})

    page.goto(f"/public/{public_site.partnership.ons_code}/indicators/")

    table = page.get_by_role("table", name="Latest figures and comparators")
    cells = table.locator("td").all()
    assert cells and all(cell.evaluate(IN_VIEW) for cell in cells)
    assert table.get_by_role("cell", name="46%").evaluate(IN_VIEW)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, "public-indicators-stacked-320")
