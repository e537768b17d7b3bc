"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server; axe checks each page."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT, AxeResults
from django.conf import settings
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Locator, Page, sync_playwright

from core.models import User
from tests.conftest import authenticator_for
from tests.conftest import sign_in as sign_in_client
from tests.factories import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# Evaluated on an element: it lies within the window's width, none of it scrolled off either side.
# How long a page waits for a real worker to build a pack: on a slow machine running the whole suite on both cores,
# a Board pack took more than 90 seconds (2026-12-05). A build that never finishes still fails the test.
PACK_READY_MS = 240_000
IN_VIEW = """element => {
    const box = element.getBoundingClientRect()
    return box.left >= 0 && box.right <= document.documentElement.clientWidth
}"""
# Two frames after a resize or a change made in place: the page's resize observers have run by then.
SETTLED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def worker(start_worker, settings):
    """A real Celery worker, building into this test's media folder. One process (the solo pool): a journey does
    not kill it, and it stops in a second where a prefork pool with its child took three."""
    return start_worker(MEDIA_ROOT=str(settings.MEDIA_ROOT))


def assert_accessible(page: Page, name: str) -> None:
    """0 axe-core violations at WCAG 2.2 AA. A failing page leaves a full-page screenshot under var/screenshots,
    and so does every page when SCREENSHOTS=1 (`make screenshots`): drawing them all costs the suite a minute."""
    # axe-core (570 KB of script) is put into a page once: a page checked again, narrowed to 320 px or after a
    # change made in place, already has it, and compiling it again took a third of each check.
    # A page's resize observers (a wide table becoming a focusable scroll region) run in the next frames: a
    # check straight after narrowing the window would see the table before it became one.
    page.evaluate(SETTLED)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    # Violations only: axe then skips describing every passing node, a sixth of each page's check.
    options = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
    results = AxeResults(page.evaluate("options => axe.run(document, options)", options))
    if results.violations_count or os.environ.get("SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    assert results.violations_count == 0, f"{name}: {results.generate_report()}"


def follow(locator: Locator) -> None:
    """Click a link or button that loads another page, and wait until that page has loaded: a click returns before
    the browser leaves the old page, so axe run at once can read the old page or find no document at all."""
    with locator.page.expect_navigation():
        locator.click()


def current_code(device: TOTPDevice) -> str:
    # A code can be used once per 30-second step; forget the last use so tests may sign in again at once.
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def sign_in(page: Page, email: str) -> None:
    """Signed in with both factors and on the home page, as the sign-in journey leaves the person: the session is
    made on the server and handed to the browser, so that only the journey's own tests spend time on its forms."""
    session = sign_in_client(Client(), User.objects.get(email=email)).cookies[settings.SESSION_COOKIE_NAME]
    page.goto("/sign-in/")  # the cookie belongs to the live server's address, which the page now has
    page.context.add_cookies([{"name": session.key, "value": session.value, "url": page.url}])
    page.goto("/")


def sign_in_through_the_form(page: Page, email: str, password: str = PASSWORD) -> None:
    """Password, then the code from the user's authenticator app (one is set up for them first)."""
    device = authenticator_for(User.objects.get(email=email))
    page.goto("/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code from your authenticator app").fill(current_code(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()


# The line "Scroll sideways to see the whole table" (or chart) that wide-tables.mjs gives a region that scrolls: just
# above the region, or at the end of its table's caption where the caption is on show.
SCROLL_HINT = """region => {
    const caption = region.querySelector('table > caption:not(.govuk-visually-hidden)')
    const line = caption ? caption.lastElementChild : region.previousElementSibling
    return line && line.matches('.app-scroll-hint') ? line : null
}"""

# A region that scrolls sideways has that line, and a region that fits has none: on a phone a cut-off column
# otherwise looks like the table's end. The check waits two frames first, as the page's resize observer marks the
# regions only after the layout that follows a new width.
UNMARKED_SCROLLING = f"""async () => {{
    const hintOf = {SCROLL_HINT}
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))
    return [...document.querySelectorAll('main :is(.app-scroll-region, .app-table-scroll, .app-chart)')]
    .filter(el => (el.scrollWidth > el.clientWidth + 1) !== Boolean(hintOf(el)))
    .slice(0, 5).map(el => (el.scrollWidth > el.clientWidth + 1 ? 'scrolls, no line: ' : 'fits, with a line: ')
        + (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.className))
}}"""
