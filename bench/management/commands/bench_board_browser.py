"""`make bench`, second step: the board overview in Chromium, on the bench data `bench_dashboards` built.

Serves the portal from a live server on 127.0.0.1, opens the overview as a board member of the first
bench partnership in a fresh browser context each time (a first visit: nothing cached), and reads
the Largest Contentful Paint from a PerformanceObserver, with the page's weight: each response's body
as gzip would send it (level 6, as tests/test_page_weight.py counts it). Writes
var/bench/board_browser.json.
"""

import gzip
import json
import statistics
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.testcases import LiveServerThread
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Request, sync_playwright

from core.middleware import SIGNED_IN_AT
from core.models import Partnership, User

OUTPUT = Path(settings.BASE_DIR) / "var" / "bench" / "board_browser.json"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

# Resolves with the latest LCP candidate once the page has loaded; `buffered` replays those before it.
LCP = """() => new Promise(resolve => {
    new PerformanceObserver(list => {
        const entries = list.getEntries();
        const last = entries[entries.length - 1];
        resolve({ms: last.startTime, element: last.element ? last.element.tagName + '.' + last.element.className : ''});
    }).observe({type: 'largest-contentful-paint', buffered: true});
})"""


def board_session(partnership: Partnership) -> str:
    """A session past both sign-in steps for the partnership's bench board member."""
    user = User.objects.get(email=f"board@bench{partnership.pk}.example.org")
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="Bench", defaults={"confirmed": True})
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SIGNED_IN_AT] = time.time()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return str(session.session_key)


class Command(BaseCommand):
    help = "Measure the board overview's Largest Contentful Paint and weight in Chromium on the bench data."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--loads", type=int, default=10)

    def handle(self, *args: object, **options: Any) -> None:
        if settings.DEBUG:
            raise CommandError("Run the bench with DEBUG=false, as a server would.")
        if not str(connection.settings_dict["NAME"]).endswith("_bench"):
            raise CommandError("Point DATABASE_URL at the *_bench database that bench_dashboards built.")
        partnership = Partnership.objects.filter(short_name="Bench 001").first()
        if partnership is None:
            raise CommandError("No bench data: run bench_dashboards first (make bench runs both).")
        session_key = board_session(partnership)
        server = LiveServerThread("127.0.0.1", StaticFilesHandler)
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise CommandError(f"The live server did not start: {server.error}")
        try:
            results = self.measure(f"http://127.0.0.1:{server.port}", session_key, options["loads"])
        finally:
            server.terminate()
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text(json.dumps(results, indent=2) + "\n")
        self.stdout.write(
            f"Overview in Chromium: LCP median {results['lcp_median_ms']} ms, worst {results['lcp_max_ms']} ms; "
            f"{results['weight_bytes_compressed']:,} bytes compressed. Wrote {OUTPUT}"
        )

    def measure(self, base: str, session_key: str, loads: int) -> dict[str, Any]:
        url = base + reverse("boards:overview")
        lcps: list[float] = []
        weights: list[int] = []
        element = ""
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for _ in range(loads + 1):  # the first load warms the server, not the browser
                context = browser.new_context(viewport={"width": 1280, "height": 800})
                context.add_cookies(
                    [{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": base}]
                )
                page = context.new_page()
                bodies: list[int] = []

                def weigh(request: Request, into: list[int] = bodies) -> None:
                    into.append(gzipped(request))

                page.on("requestfinished", weigh)
                response = page.goto(url, wait_until="load")
                if response is None or response.status != 200:
                    raise CommandError(f"{url} answered {response and response.status}")
                lcp = page.evaluate(LCP)
                page.wait_for_load_state("networkidle")
                lcps.append(lcp["ms"])
                weights.append(sum(bodies))
                element = lcp["element"]
                context.close()
            browser.close()
        lcps, weights = lcps[1:], weights[1:]
        return {
            "page": reverse("boards:overview"),
            "viewport": "1280x800",
            "loads": loads,
            "browser": "Debian Chromium, headless, a fresh context per load (nothing cached)",
            "server": "Django live server thread on 127.0.0.1 with one database connection",
            "lcp_ms": [round(value, 1) for value in lcps],
            "lcp_median_ms": round(statistics.median(lcps), 1),
            "lcp_max_ms": round(max(lcps), 1),
            "lcp_element": element,
            "weight_bytes_compressed": max(weights),
        }


def gzipped(request: Request) -> int:
    """The size of a response's body as gzip (level 6) would send it."""
    response = request.response()
    return len(gzip.compress(response.body(), compresslevel=6)) if response else 0
