"""`make bench`: builds the bench database from scratch, then times every board dashboard page.

It drops and recreates the database named in DATABASE_URL, which must end in "_bench", loads the
Southend data, adds 10 synthetic partnerships, measures, grows to 153 and measures again, and writes
the figures to var/bench/dashboards.json.
"""

import json
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions.models import Action, ProgressUpdate, Recommendation
from bench import data as bench
from core.middleware import SIGNED_IN_AT
from core.models import Partnership, User
from kpis.models import Comparator, Indicator, Return

OUTPUT = Path(settings.BASE_DIR) / "var" / "bench" / "dashboards.json"
SIZES = (10, 153)


def recreate_database() -> str:
    params = settings.DATABASES["default"]
    name = params["NAME"]
    if not str(name).endswith("_bench"):
        raise CommandError(f"Refusing to drop {name!r}: the bench database's name must end in _bench.")
    connections.close_all()
    admin = psycopg.connect(
        host=params["HOST"],
        port=params["PORT"] or 5432,
        user=params["USER"],
        password=params["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return str(name)


def fresh_database(write: Callable[[str], object]) -> str:
    """The bench database dropped, recreated and migrated, with one connection kept across requests."""
    if settings.DEBUG:
        raise CommandError("Run the bench with DEBUG=false: debug mode logs every query and slows pages.")
    if connection.vendor != "postgresql":
        raise CommandError("The bench runs against PostgreSQL: set DATABASE_URL to a *_bench database.")
    name = recreate_database()
    write(f"Database {name} recreated")
    # One connection kept across requests, as a server with CONN_MAX_AGE keeps one per worker; the
    # project's settings open one per request, which adds the connection set-up to every page.
    connection.settings_dict["CONN_MAX_AGE"] = None
    call_command("migrate", verbosity=0)
    return name


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Build national-scale synthetic data in a separate database and time the board dashboards."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--requests", type=int, default=200)
        parser.add_argument("--warm-up", type=int, default=20)

    def handle(self, *args: object, **options: Any) -> None:
        name = fresh_database(self.stdout.write)
        call_command("load_southend", verbosity=0)
        rng = random.Random(20250601)
        today = timezone.localdate()
        results: dict[str, Any] = {
            "database": name,
            "requests": options["requests"],
            "warm_up": options["warm_up"],
            "connection": "persistent (CONN_MAX_AGE=None) across requests",
            "client": "django.test.Client in-process, server time of the full request/response cycle",
            "sizes": {},
        }
        made_so_far = 0
        for size in SIZES:
            started = time.perf_counter()
            made = bench.create_partnerships(made_so_far + 1, size - made_so_far, today, rng)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            generation = time.perf_counter() - started
            made_so_far = size
            self.stdout.write(f"Generated {made} in {generation:.1f} s")
            pages = self.measure(today, options["requests"], options["warm_up"])
            results["sizes"][str(size)] = {
                "generation_seconds": round(generation, 1),
                "generated": made,
                "rows": self.row_counts(),
                "pages": pages,
            }
        results["same_query_count_at_every_size"] = all(
            len({results["sizes"][str(s)]["pages"][page]["queries"] for s in SIZES}) == 1
            for page in results["sizes"][str(SIZES[0])]["pages"]
        )
        OUTPUT.parent.mkdir(parents=True, exist_ok=True)
        OUTPUT.write_text(json.dumps(results, indent=2) + "\n")
        self.stdout.write(f"Wrote {OUTPUT}")

    def row_counts(self) -> dict[str, int]:
        return {
            "partnerships": Partnership.objects.count(),
            "actions": Action.objects.count(),
            "progress_updates": ProgressUpdate.objects.count(),
            "indicators": Indicator.objects.count(),
            "returns": Return.objects.count(),
            "comparators": Comparator.objects.count(),
        }

    def measure(self, today: Any, requests: int, warm_up: int) -> dict[str, dict[str, float | int]]:
        partnership = Partnership.objects.get(short_name="Bench 001")
        user = User.objects.get(email=f"board@bench{partnership.pk}.example.org")
        client = signed_in_client(user)
        recommendation = (
            Recommendation.objects.filter(plan__partnership=partnership).order_by("number").first()
        )
        indicator = Indicator.objects.filter(partnership=partnership).order_by("code").first()
        assert recommendation and indicator  # noqa: S101 - generated just before
        past = bench.add_months(today.replace(day=1), -8).strftime("%Y-%m")
        pages = {
            "overview": reverse("boards:overview"),
            "overview_past": reverse("boards:overview") + f"?as_at={past}",
            "recommendation": reverse("boards:recommendation", args=[recommendation.pk]),
            "recommendation_past": reverse("boards:recommendation", args=[recommendation.pk])
            + f"?as_at={past}",
            "indicator": reverse("boards:indicator", args=[indicator.pk]),
            "indicator_past": reverse("boards:indicator", args=[indicator.pk]) + f"?as_at={past}",
            "indicator_csv": reverse("boards:indicator_csv", args=[indicator.pk]),
            # Not kept between requests as the board pages are: drawn from the database every time.
            "indicators_list": reverse("kpis:indicators"),
        }
        return time_pages(client, pages, requests, warm_up, self.stdout.write)


def signed_in_client(user: User) -> Client:
    """A test client signed in as the user, past the second sign-in step, as a board member who has used their
    authenticator app."""
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = time.time()
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="Bench", defaults={"confirmed": True})
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def time_pages(
    client: Client, pages: dict[str, str], requests: int, warm_up: int, write: Callable[[str], object]
) -> dict[str, dict[str, float | int]]:
    """Each page's median and 95th percentile server time over `requests` requests, and its query count."""
    figures = {}
    for page, url in pages.items():
        for _ in range(warm_up):
            assert client.get(url).status_code == 200  # noqa: S101
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        # Counted now: the next request empties the log that captured_queries reads from.
        query_count = len(queries.captured_queries)
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200  # noqa: S101
        figures[page] = {
            "p50_ms": round(statistics.median(samples), 1),
            "p95_ms": round(percentile(samples, 0.95), 1),
            "queries": query_count,
        }
        write(
            f"  {page:22} p50 {figures[page]['p50_ms']:6.1f} ms  p95 {figures[page]['p95_ms']:6.1f} ms  "
            f"{figures[page]['queries']} queries"
        )
    return figures
