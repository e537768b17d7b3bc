"""Every page in the URLconf, in a real browser, checked by axe at WCAG 2.2 AA (TARGETS U1), and keyboard focus
order on the main journeys.

The pages come from `tests.pages.survey`; each role signs in once. Pages with several states (empty, with
data, errors) are audited in those states by their own journeys' tests; here the default GET is enough.
"""

import re

import pytest
from django.urls import get_resolver, reverse
from playwright.sync_api import Page

from tests.browser.conftest import SETTLED, UNMARKED_SCROLLING, assert_accessible, sign_in
from tests.pages import SIGNED_IN, Visit, survey
from tests.test_permission_matrix import MATRIX, url_names

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_every_page_a_role_may_open_is_audited(site):
    """A URL added to the URLconf is audited once it is in the matrix; without an entry it fails here."""
    names = set(url_names(get_resolver().url_patterns))
    assert names <= set(MATRIX), "add these URLs to MATRIX in tests/test_permission_matrix.py to audit them"
    pages, skipped = survey(site)
    visited = {visit.name for visits in pages.values() for visit in visits}
    assert visited | set(skipped) == {name for name in names if MATRIX[name].get is not None}
    assert visited.isdisjoint(skipped)
    assert set(pages) <= {"anonymous", *SIGNED_IN}, "each role in the audit signs in as its person"


# Reflow (WCAG 1.4.10): at 320 CSS px no page scrolls sideways; a wide table or chart scrolls in its own
# labelled, focusable region, which axe checks. `make screenshots` keeps each page under var/screenshots, at 1280 px
# as every-page-<role>-* and at 320 px as every-page-320-<role>-*.

SIDEWAYS = """() => [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1
        && !el.closest('.app-scroll-region, .app-chart, .govuk-visually-hidden, .govuk-skip-link'))
    .slice(0, 5).map(el => el.tagName.toLowerCase() + '.' + (el.getAttribute('class') || ''))"""


# A date with a time on the 24-hour clock ("2 Dec 2026 17:00"): GOV.UK writes 5pm, 5:30pm, midday, midnight.
CLOCK_TIME = re.compile(r"\b\d{4},? (?:at )?\d{2}:\d{2}\b")

# A caption names the table it belongs to: on a phone it wraps in view rather than run off with the table's columns.
CUT_CAPTIONS = """() => [...document.querySelectorAll(
        'main :is(.app-scroll-region, .app-table-scroll) caption:not(.govuk-visually-hidden)')]
    .filter(caption => caption.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(0, 5).map(caption => caption.textContent.trim().slice(0, 60))"""


@pytest.mark.parametrize("role", ["anonymous", *SIGNED_IN])
def test_every_page_passes_axe_at_1280_and_reflows_at_320_px_as_the_least_privileged_role_that_may_open_it(
    page: Page, site, role
):
    """Each page is loaded once and checked at both widths: the narrow check narrows the same window, as a person
    zooming to 400% does."""
    pages, _ = survey(site, only=role)
    visits = pages[role]
    if role != "anonymous":
        sign_in(page, getattr(site, role).email)
        visits = [Visit("home", reverse("home")), *(visit for visit in visits if visit.name != "home")]
    failures = []
    for visit in visits:
        page.set_viewport_size({"width": 1280, "height": 900})
        response = page.goto(visit.url)
        assert response is not None and response.status == 200, f"{visit.url}: {response and response.status}"
        name = visit.name.replace(":", "-")
        failures += violations(page, f"every-page-{role}-{name}")
        if unmarked := page.evaluate(UNMARKED_SCROLLING):
            failures.append(f"{visit.url} at 1280 px: {unmarked}")
        if clock := CLOCK_TIME.findall(
            page.evaluate("(document.querySelector('main') || document.body).innerText")
        ):
            failures.append(f"{visit.url} gives times as a 24-hour clock, not 5:30pm: {clock[:3]}")
        page.set_viewport_size({"width": 320, "height": 640})
        page.evaluate(SETTLED)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 320:
            failures.append(f"{visit.url} is {width} px wide at 320 px: {page.evaluate(SIDEWAYS)}")
        if unmarked := page.evaluate(UNMARKED_SCROLLING):
            failures.append(f"{visit.url} at 320 px: {unmarked}")
        if cut := page.evaluate(CUT_CAPTIONS):
            failures.append(f"{visit.url} at 320 px, captions cut off: {cut}")
        failures += violations(page, f"every-page-320-{role}-{name}")
    assert not failures, "\n\n".join(failures)


def violations(page: Page, name: str) -> list[str]:
    try:
        assert_accessible(page, name)
    except AssertionError as violation:
        return [str(violation)]
    return []


# Keyboard focus order (WCAG 2.4.3 and 2.4.7): Tab through the whole page and compare with the order of the page itself.

DESCRIBE = """el => {
    const label = el.name || (el.textContent || '').trim().replace(/\\s+/g, ' ') || el.id;
    const region = el.matches('.govuk-skip-link') ? 'skip link'
        : el.closest('header') ? 'header' : el.closest('nav') ? 'navigation'
        : el.closest('main') ? 'main' : el.closest('footer') ? 'footer' : 'between';
    return `${region}: ${el.tagName.toLowerCase()} ${label}`;
}"""

# The elements Tab should stop at, in the order of the page: one stop per radio group (its checked radio).
TAB_STOPS = f"""() => {{
    const describe = {DESCRIBE};
    const candidates = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, details > summary, [tabindex]');
    return [...candidates].filter(el => {{
        if (el.disabled || el.tabIndex < 0 || el.closest('[hidden], dialog:not([open])')) return false;
        if (!el.getClientRects().length || getComputedStyle(el).visibility === 'hidden') return false;
        if (el.type !== 'radio') return true;
        const group = [...document.getElementsByName(el.name)];
        return el === (group.find(radio => radio.checked) || group[0]);
    }}).map(describe);
}}"""

# What shows that an element has focus: for GOV.UK radios and checkboxes it is drawn on the label's ::before.
FOCUS_STYLE = """el => {
    const drawnOnLabel = el.matches('.govuk-radios__input, .govuk-checkboxes__input');
    const style = getComputedStyle(drawnOnLabel ? el.labels[0] : el, drawnOnLabel ? '::before' : null);
    return [style.outlineStyle, style.outlineColor, style.outlineWidth, style.boxShadow,
            style.backgroundColor, style.color, style.borderWidth].join(' ');
}"""

FOCUSED = f"""() => {{
    const el = document.activeElement;
    if (el === document.body) return null;
    (window.tabbed = window.tabbed || []).push(el);
    return {{stop: ({DESCRIBE})(el), visible: el.matches(':focus-visible'), style: ({FOCUS_STYLE})(el)}};
}}"""

UNFOCUSED_STYLES = f"() => {{ document.activeElement.blur(); return window.tabbed.map({FOCUS_STYLE}); }}"


def tab_through(page: Page) -> list[str]:
    """Presses Tab until focus leaves the page; fails on a trap, or a stop whose focus cannot be seen."""
    expected = page.evaluate(TAB_STOPS)
    stops: list[str] = []
    focus_styles: list[str] = []
    hidden: list[str] = []
    for _ in range(len(expected) + 2):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            break
        assert focused["stop"] not in stops, f"focus came back to {focused['stop']}: a trap after {stops}"
        stops.append(focused["stop"])
        focus_styles.append(focused["style"])
        if not focused["visible"]:
            hidden.append(focused["stop"])
    else:
        pytest.fail(f"focus never left the page after {stops}")
    unfocused = page.evaluate(UNFOCUSED_STYLES)
    hidden += [stop for stop, on, off in zip(stops, focus_styles, unfocused, strict=True) if on == off]
    assert not hidden, f"focus is not visible on {hidden}"
    assert stops == expected, "Tab does not follow the order of the page"
    return stops


def in_region(stops: list[str], region: str) -> list[str]:
    return [stop.removeprefix(f"{region}: ") for stop in stops if stop.startswith(f"{region}: ")]


def regions(stops: list[str]) -> list[str]:
    """The regions focus passes through, each once, in the order it reaches them."""
    passed: list[str] = []
    for stop in stops:
        region = stop.split(":")[0]
        if not passed or passed[-1] != region:
            passed.append(region)
    return passed


def test_sign_in_tabs_from_the_skip_link_to_the_fields_and_the_button(page: Page):
    page.goto(reverse("login"))
    stops = tab_through(page)
    assert stops[0] == "skip link: a Skip to main content"
    assert in_region(stops, "main") == [
        "input username",
        "input password",
        "button Sign in",
        "a Forgotten your password?",
    ]
    assert regions(stops) == ["skip link", "header", "main", "footer"]

    page.reload()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # follow the skip link: the next Tab is in the form
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "username"


def test_the_progress_update_form_tabs_through_every_field_in_order_to_continue(page: Page, site):
    site.submitted_update.delete()  # a submitted update opens as waiting for review, with no form
    sign_in(page, site.officer.email)
    page.goto(reverse("actions:update", kwargs={"pk": site.action.pk}))
    stops = tab_through(page)
    form = [stop for stop in in_region(stops, "main") if not stop.startswith("a ")]
    assert form == [
        "input rag",
        "textarea commentary",
        "textarea next_steps",
        "textarea risks_and_issues",
        "input completed_milestones",
        "input proposed_due_date_0",
        "input proposed_due_date_1",
        "input proposed_due_date_2",
        "textarea proposed_due_reason",
        "input evidence_file",
        "input evidence_link",
        "input evidence_link_title",
        "button Continue",
    ]


def test_the_board_overview_tabs_from_the_skip_link_through_navigation_to_the_content(page: Page, site):
    sign_in(page, site.board.email)
    page.goto(reverse("boards:overview"))
    stops = tab_through(page)
    assert stops[0] == "skip link: a Skip to main content"
    assert regions(stops) == ["skip link", "header", "navigation", "main", "footer"]
    assert in_region(stops, "navigation")[0] == "a Board dashboard"
    main = in_region(stops, "main")
    assert main[:3] == ["select as_at", "select board", "button Show"]
    assert f"a {site.recommendation.number}. {site.recommendation.short_title}" in main
