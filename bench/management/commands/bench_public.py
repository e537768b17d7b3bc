"""`make bench`: times the public pages, the open data and the read API on the bench database.

Runs after bench_dashboards, on the same *_bench database at national scale: it publishes a pack for one
synthetic partnership, makes every section and indicator public, and times anonymous requests as a family's
browser makes them, the page cache warm as in service (and once with it emptied before every request, to show
the cost of drawing). Writes var/bench/public.json.
"""

import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.management.commands.bench_dashboards import percentile
from core.models import Partnership
from public import selectors
from public.models import PublicChoices
from reports.models import Meeting, Pack

OUTPUT = Path(settings.BASE_DIR) / "var" / "bench" / "public.json"
PAGES = ["home", "plan", "years", "indicators", "packs", "easy_read", "data"]


def publish_everything(partnership: Partnership) -> None:
    """A published pack as at now, and every section and publishable indicator public."""
    meeting, _ = Meeting.objects.get_or_create(
        partnership=partnership,
        date=timezone.localdate(),
        agenda_item="1",
        defaults={
            "council": "Bench Council",
            "report_title": "SEND and Strategic Action Plan Update",
            "report_author": "Bench Author",
            "executive_director": "Bench Director",
            "democratic_contact": "Bench Officer",
        },
    )
    Pack.objects.get_or_create(
        meeting=meeting,
        version=1,
        defaults={"status": Pack.Status.READY, "as_at": timezone.now(), "published_at": timezone.now()},
    )
    choices, _ = PublicChoices.objects.update_or_create(
        partnership=partnership,
        defaults={
            "show_plan": True,
            "show_summaries": True,
            "show_indicators": True,
            "show_packs": True,
            "show_easy_read": True,
            "take_feedback": True,
        },
    )
    choices.indicators.set(selectors.publishable_indicators(partnership))


def family(number: int) -> str:
    """A reader's address: each request comes from a family of its own, as in service, so the API's limit per
    address is counted (in the shared cache) but not reached."""
    return f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"


class Command(BaseCommand):
    help = "Time the public pages, open data and read API for anonymous readers on the bench database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--requests", type=int, default=200)
        parser.add_argument("--warm-up", type=int, default=20)

    def handle(self, *args: object, **options: Any) -> None:
        if settings.DEBUG:
            raise CommandError("Run the bench with DEBUG=false: debug mode logs every query and slows pages.")
        if not str(settings.DATABASES["default"]["NAME"]).endswith("_bench"):
            raise CommandError("Run on the bench database (its name ends in _bench), after bench_dashboards.")
        partnership = Partnership.objects.filter(short_name="Bench 001").first()
        if partnership is None:
            raise CommandError("No bench partnership: run `manage.py bench_dashboards` first.")
        connection.settings_dict["CONN_MAX_AGE"] = None
        publish_everything(partnership)
        code = partnership.ons_code
        urls = {name: reverse(f"public:{name}", args=[code]) for name in PAGES}
        urls["dataset_json"] = reverse("public:dataset_json", args=[code, "statuses"])
        urls["api_actions"] = f"/api/v1/partnerships/{code}/actions"
        results: dict[str, Any] = {
            "partnerships": Partnership.objects.count(),
            "requests": options["requests"],
            "client": "django.test.Client in-process, anonymous, server time of the full request/response cycle",
            "cache": settings.CACHES["default"]["BACKEND"],  # shared by every process: Redis, or files
            "load_average_at_start": os.getloadavg(),
            "warm": {},
            "drawn_every_time": {},
        }
        client = Client(HTTP_HOST="localhost")
        for name, url in urls.items():
            results["warm"][name] = self.time(
                client, url, options["requests"], options["warm_up"], clear=False
            )
            results["drawn_every_time"][name] = self.time(client, url, 30, 3, clear=True)
            warm, cold = results["warm"][name], results["drawn_every_time"][name]
            self.stdout.write(
                f"  {name:14} warm p50 {warm['p50_ms']:6.1f} p95 {warm['p95_ms']:6.1f} ms, {warm['queries']} queries; "
                f"drawn each time p95 {cold['p95_ms']:6.1f} ms, {cold['queries']} queries"
            )
        results["load_average_at_end"] = os.getloadavg()  # the machine is shared: read the figures with these
        results["public_pages_p95_at_most_50_ms"] = all(
            results["warm"][name]["p95_ms"] <= 50 for name in PAGES
        )
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text(json.dumps(results, indent=2) + "\n")
        self.stdout.write(f"Wrote {OUTPUT}")

    def time(
        self, client: Client, url: str, requests: int, warm_up: int, *, clear: bool
    ) -> dict[str, float | int]:
        for number in range(warm_up):
            if clear:
                cache.clear()
            assert client.get(url, REMOTE_ADDR=family(number)).status_code == 200  # noqa: S101
        if clear:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            client.get(url, REMOTE_ADDR=family(warm_up))
        query_count = len(queries.captured_queries)
        samples = []
        for number in range(requests):
            if clear:
                cache.clear()
            started = time.perf_counter()
            response = client.get(url, REMOTE_ADDR=family(warm_up + 1 + number))
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200  # noqa: S101
        return {
            "p50_ms": round(statistics.median(samples), 1),
            "p95_ms": round(percentile(samples, 0.95), 1),
            "queries": query_count,
        }
