"""`make bench`, after bench_load: the CPU each request type of deadline day costs the web process.

The load test (bench_load) found the CPU saturated; its latency follows from the CPU every request takes. Here the
same people make the same requests, in the same order, as scripts/deadline_day_locustfile.py has them make, through
Django's test client in this one process under production-like settings (DEBUG off, the manifest static files
collected, secure cookies, CSRF enforced with the Origin and Referer a browser sends): each request type is made a
few times to warm up, then REPEATS times, each timed with time.process_time (this process's CPU, whatever else the
machine is doing), with the CPU the PostgreSQL process serving it used (read from /proc in clock ticks, so only its
mean over the repeats means anything) and its queries counted. The median CPU milliseconds, the database's mean and
the queries per request type go to var/bench/request_cpu.json; --profile writes a cProfile of CPU time for a request
type (or * for all) under var/bench/profiles/. Runs on the bench database that bench_dashboards built (and bench_pack gave a meeting);
what it writes there (updates, approvals, returns, packs) it clears first or afterwards, as bench_load does.
"""

import cProfile
import io
import json
import logging
import os
import pstats
import re
import statistics
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.client import ClientHandler
from django.test.utils import override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bench import data as bench
from bench.machine import ADDITIONS, python_speed_ms
from bench.management.commands.bench_load import (
    LEADS,
    OFFICERS,
    UPLOADERS,
    bench_partnerships,
    load_test_users,
    uploader,
)
from bench.pages import CSRF, RAG_CHOICE, REVIEW_LINK, filled_in, lock_version, one
from core.models import User
from kpis.models import Frequency, Return, ReturnPeriod
from reports.models import Pack

BENCH_DIR = settings.VAR_DIR / "bench"
OUTPUT = BENCH_DIR / "request_cpu.json"
REPEATS = 20
# Each makes its Locust user's sequence of requests once per round.
ROLES = ("sign_in", "officer", "lead", "board", "uploader", "builder")
WARM_UP = 5
HOST = "127.0.0.1"
ORIGIN = f"https://{HOST}"
# What production (send_portal.settings.production, as bench_load's gunicorn runs it) sets differently from the
# bench settings, where it changes the work a request does.
PRODUCTION_LIKE = {
    "DEBUG": False,
    "STATIC_ROOT": BENCH_DIR / "static-request-cpu",
    "WHITENOISE_USE_FINDERS": False,
    "STORAGES": {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    },
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_HSTS_SECONDS": 31_536_000,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SESSION_COOKIE_NAME": "__Host-sessionid",
    "CSRF_COOKIE_NAME": "__Host-csrftoken",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
}


def database_cpu() -> float:
    """CPU seconds the PostgreSQL process serving this connection has used so far (same machine)."""
    pid = connection.connection.info.backend_pid
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Recorder:
    """CPU milliseconds and queries of every timed request, by the Locust file's request name."""

    def __init__(self, profile: str = "") -> None:
        self.cpu_ms: dict[str, list[float]] = defaultdict(list)
        self.queries: dict[str, list[int]] = defaultdict(list)
        self.timing = False
        self.profile = profile
        self.last_queries: dict[str, list[str]] = {}
        self.database_cpu_ms: dict[str, list[float]] = defaultdict(list)
        self.profilers: dict[str, cProfile.Profile] = defaultdict(lambda: cProfile.Profile(time.process_time))

    def request(
        self, client: Client, method: str, url: str, name: str, expect: int, **kwargs: Any
    ) -> tuple[str, str]:
        """The page's text and where it redirects to."""
        queries: list[str] = []

        def counted(execute: Any, sql: str, *args: Any) -> Any:
            queries.append(sql)
            return execute(sql, *args)

        profiling = self.timing and self.profile in (name, "*")
        connection.ensure_connection()
        database_before = database_cpu()
        with connection.execute_wrapper(counted):
            if profiling:
                self.profilers[name].enable()
            started = time.process_time()
            response = getattr(client, method)(url, secure=True, **kwargs)
            used = time.process_time() - started
            if profiling:
                self.profilers[name].disable()
        if response.status_code != expect:
            raise CommandError(f"{name}: {url} answered {response.status_code}, not {expect}")
        if self.timing:
            self.last_queries[name] = queries
            self.cpu_ms[name].append(used * 1000)
            self.database_cpu_ms[name].append((database_cpu() - database_before) * 1000)
            self.queries[name].append(len(queries))
        text = b"".join(response).decode() if response.streaming else response.content.decode()
        return text, str(response.headers.get("Location", ""))

    def page(self, client: Client, url: str, name: str, expect: int = 200) -> tuple[str, str]:
        return self.request(client, "get", url, name, expect)

    def post(self, client: Client, url: str, name: str, data: Any, expect: int = 302, **kwargs: Any) -> str:
        headers = {"HTTP_ORIGIN": ORIGIN, "HTTP_REFERER": ORIGIN + url, **kwargs}
        return self.request(client, "post", url, name, expect, data=data, **headers)[1]

    def summary(self) -> dict[str, dict[str, float | int]]:
        return {
            name: {
                "count": len(samples),
                "median_cpu_ms": round(statistics.median(samples), 1),
                "min_cpu_ms": round(min(samples), 1),
                # PostgreSQL's CPU for this connection counts in clock ticks (10 ms): only a mean over many is worth
                # reading.
                "mean_database_cpu_ms": round(statistics.mean(self.database_cpu_ms[name]), 1),
                "median_queries": statistics.median_low(self.queries[name]),
                "max_queries": max(self.queries[name]),
            }
            for name, samples in sorted(self.cpu_ms.items())
        }


class Command(BaseCommand):
    help = "CPU milliseconds and queries per request type of deadline day, in-process, production-like."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--repeats", type=int, default=REPEATS)
        parser.add_argument("--warm-up", type=int, default=WARM_UP)
        parser.add_argument("--output", default=str(OUTPUT))
        parser.add_argument(
            "--roles", default=",".join(ROLES), help="fewer, comma-separated, to look at some request types"
        )
        parser.add_argument(
            "--profile", default="", help="a request type to profile (cProfile) when timed, or * for all"
        )

    def handle(self, *args: object, **options: Any) -> None:
        if settings.DEBUG:
            raise CommandError("Run the bench with DEBUG=false, as a server would.")
        if not str(connection.settings_dict["NAME"]).endswith("_bench"):
            raise CommandError("Point DATABASE_URL at the *_bench database that bench_dashboards built.")
        # As bench_load's stack runs: one kept connection per worker thread, and warnings only in the log.
        connection.settings_dict["CONN_MAX_AGE"] = None
        logging.getLogger().setLevel(logging.WARNING)
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        total = options["warm_up"] + options["repeats"]
        with override_settings(**PRODUCTION_LIKE, ALLOWED_HOSTS=[HOST]):
            call_command("collectstatic", "--noinput", verbosity=0)
            users = load_test_users(pack_build_at=0)
            people = People(users, total)
            recorder = Recorder(options["profile"])
            roles = [role for role in options["roles"].split(",") if role in ROLES]
            try:
                for run in range(total):
                    recorder.timing = run >= options["warm_up"]
                    for role in roles:
                        getattr(people, role)(recorder, run)
            finally:
                people.tidy()
        result = {
            "measured_at": timezone.now().isoformat(),
            "what": "CPU of this process (time.process_time) per request, median, Django test client in-process, "
            "production-like settings with DEBUG off; and the mean CPU of the PostgreSQL process serving it",
            "warm_up": options["warm_up"],
            "repeats": options["repeats"],
            "python_speed_ms": python_speed_ms(),
            "requests": recorder.summary(),
        }
        output = Path(options["output"])
        output.write_text(json.dumps(result, indent=2) + "\n")
        self.stdout.write(
            f"This machine today: {result['python_speed_ms']} ms of CPU for {ADDITIONS:,} additions in Python"
        )
        self.stdout.write(f"  {'request':34} {'CPU ms':>7} {'DB CPU':>7} {'queries':>7}")
        for name, row in result["requests"].items():
            self.stdout.write(
                f"  {name:34} {row['median_cpu_ms']:7} {row['mean_database_cpu_ms']:7} {row['median_queries']:7}"
            )
        self.stdout.write(f"-> {output}")
        if options["profile"]:
            self.write_profiles(recorder)
            (BENCH_DIR / "profiles" / "queries.json").write_text(json.dumps(recorder.last_queries, indent=1))

    def write_profiles(self, recorder: Recorder) -> None:
        """Each profiled request type's cProfile (CPU time) under var/bench/profiles/, raw and as text."""
        folder = BENCH_DIR / "profiles"
        folder.mkdir(exist_ok=True)
        for name, profiler in recorder.profilers.items():
            slug = re.sub(r"[^a-z]+", "-", name).strip("-")
            profiler.dump_stats(folder / f"{slug}.pstats")
            with (folder / f"{slug}.txt").open("w") as stream:
                pstats.Stats(profiler, stream=stream).sort_stats("cumulative").print_stats(120)
                pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(60)
            self.stdout.write(f"Profile of {name!r} -> {folder / slug}.txt")


class People:
    """The Locust file's people, each role's sequence of requests made once per call."""

    def __init__(self, users: dict[str, Any], total: int) -> None:
        self.users = users
        self.handler = ClientHandler(enforce_csrf_checks=True)
        partnerships = bench_partnerships()
        officers = users["officers"]
        # The leads' partnerships' officers submit, so that every lead finds an update waiting.
        self.actions = [
            (officer["email"], officer["actions"][number])
            for number in range(max(len(o["actions"]) for o in officers))
            for officer in officers[:LEADS]
            if number < len(officer["actions"])
        ]
        if len(self.actions) < total:
            raise CommandError(f"{len(self.actions)} actions to update in the leads' areas, not {total}")
        self.officer_clients = {o["email"]: self.signed_in(o) for o in officers[:LEADS]}
        self.board_clients = [self.signed_in(b) for b in users["board"][:LEADS]]
        self.lead_clients = [self.signed_in(lead) for lead in users["leads"]]
        # Uploaders of their own, past bench_load's, so that each upload finds last month's returns still owed.
        first = OFFICERS + UPLOADERS + 10
        spare = partnerships[first : first + total]
        if len(spare) < total:
            raise CommandError(f"Only {len(spare)} partnerships for uploaders, not {total}")
        password_hash = User.objects.get(email=users["officers"][0]["email"]).password
        self.uploaders = [uploader(p, password_hash) for p in spare]
        end = timezone.localdate().replace(day=1) - timedelta(days=1)
        Return.objects.filter(
            partnership__in=spare,
            period__in=ReturnPeriod.objects.filter(
                partnership__in=spare, frequency=Frequency.MONTHLY, label=f"{end:%B %Y}"
            ),
        ).delete()
        self.builder_client = self.signed_in(users["builder"])
        self.packs_before = set(Pack.objects.values_list("pk", flat=True))

    def new_client(self) -> Client:
        """A browser of its own (its own cookies) on the one server: as a gunicorn worker does, the portal's
        middleware is set up once (WhiteNoise reads the static files then), not for every browser."""
        client = Client(enforce_csrf_checks=True, HTTP_HOST=HOST)
        client.handler = self.handler
        return client

    def signed_in(self, account: dict[str, Any]) -> Client:
        """Signed in through the pages, untimed: the sign-in itself is measured by sign_in()."""
        client = self.new_client()
        self.sign_in_pages(Recorder(), client, account)
        return client

    def sign_in_pages(self, recorder: Recorder, client: Client, account: dict[str, Any]) -> None:
        TOTPDevice.objects.filter(user__email=account["email"]).update(last_t=-1)
        form, _ = recorder.page(client, "/sign-in/", "sign in: page")
        after_password = recorder.post(
            client,
            "/sign-in/",
            "sign in: password",
            {
                "csrfmiddlewaretoken": one(CSRF, form),
                "username": account["email"],
                "password": bench.PASSWORD,
            },
        )
        recorder.page(client, after_password, "sign in: on to the second step", expect=302)
        code_page = "/sign-in/two-factor/?next=/"
        form, _ = recorder.page(client, code_page, "sign in: code page")
        code = f"{totp(bytes.fromhex(account['totp_key'])):06d}"
        home = recorder.post(
            client, code_page, "sign in: code", {"csrfmiddlewaretoken": one(CSRF, form), "code": code}
        )
        recorder.page(client, home, "home")

    def sign_in(self, recorder: Recorder, run: int) -> None:
        accounts = self.users["officers"]
        account = accounts[run % len(accounts)]
        self.sign_in_pages(recorder, self.new_client(), account)

    def officer(self, recorder: Recorder, run: int) -> None:
        email, action = self.actions[run]
        client = self.officer_clients[email]
        recorder.page(client, "/plan/mine/", "officer: my actions")
        url = f"/plan/{action}/update/"
        form, _ = recorder.page(client, url, "officer: update form")
        check = recorder.post(
            client,
            url,
            "officer: save update",
            {
                "csrfmiddlewaretoken": one(CSRF, form),
                "rag": RAG_CHOICE.findall(form)[run % 3],
                "commentary": f"Request CPU {email} save {run}: the pilot moved on this month.",
                "next_steps": "Report to the next Board.",
                "risks_and_issues": "",
                "proposed_due_date_0": "",
                "proposed_due_date_1": "",
                "proposed_due_date_2": "",
                "proposed_due_reason": "",
                "evidence_link": "",
                "evidence_link_title": "",
                "lock_version": lock_version(form),
            },
        )
        answers, _ = recorder.page(client, check, "officer: check answers")
        action_page = recorder.post(
            client,
            check,
            "officer: submit update",
            {"csrfmiddlewaretoken": one(CSRF, answers), "lock_version": lock_version(answers)},
        )
        page, _ = recorder.page(client, action_page, "officer: action after submitting")
        if "submitted for review" not in page:
            raise CommandError(f"{action_page} does not say the update was submitted for review")

    def lead(self, recorder: Recorder, run: int) -> None:
        client = self.lead_clients[run % len(self.lead_clients)]
        queue, _ = recorder.page(client, "/plan/review/", "lead: review queue")
        waiting = REVIEW_LINK.search(queue)
        if waiting is None:
            raise CommandError("Nothing in the lead's review queue")
        url = f"/plan/updates/{waiting.group(1)}/review/"
        review, _ = recorder.page(client, url, "lead: review page")
        back = recorder.post(
            client,
            url,
            "lead: approve",
            {
                "csrfmiddlewaretoken": one(CSRF, review),
                "decision": "approve",
                "lock_version": lock_version(review),
            },
        )
        recorder.page(client, back, "lead: review queue")

    def board(self, recorder: Recorder, run: int) -> None:
        account = self.users["board"][run % len(self.board_clients)]
        client = self.board_clients[run % len(self.board_clients)]
        recorder.page(client, "/board/", "board: overview")
        recommendations, indicators = account["recommendations"], account["indicators"]
        recorder.page(
            client,
            f"/board/recommendations/{recommendations[run % len(recommendations)]}/",
            "board: recommendation",
        )
        recorder.page(client, f"/board/indicators/{indicators[run % len(indicators)]}/", "board: indicator")
        # Each round reads another partnership's pages, so the three above are drawn; read again, a page is served
        # from its drawing until the partnership changes something the board shows (dashboards.views.board_page).
        recorder.page(client, "/board/", "board: overview, read again")

    def uploader(self, recorder: Recorder, run: int) -> None:
        client = self.new_client()
        self.sign_in_pages(Recorder(), client, self.uploaders[run])
        recorder.page(client, "/kpis/returns/", "returns: due")
        template, _ = recorder.page(client, "/kpis/returns/upload/template.csv", "returns: template")
        form, _ = recorder.page(client, "/kpis/returns/upload/", "returns: upload page")
        upload = io.StringIO(filled_in(template, lambda number: f"{30 + number % 50}.5"))
        upload.name = "returns.csv"
        preview = recorder.post(
            client,
            "/kpis/returns/upload/",
            "returns: upload file",
            {"csrfmiddlewaretoken": one(CSRF, form), "file": upload},
        )
        confirm, _ = recorder.page(client, preview, "returns: preview")
        due = recorder.post(client, preview, "returns: confirm", {"csrfmiddlewaretoken": one(CSRF, confirm)})
        recorder.page(client, due, "returns: due")

    def builder(self, recorder: Recorder, run: int) -> None:
        client = self.builder_client
        meeting = f"/board-packs/meetings/{self.users['builder']['meeting']}/"
        form, _ = recorder.page(client, meeting, "pack: meeting page")
        pack_page = recorder.post(
            client, f"{meeting}build/", "pack: build", {"csrfmiddlewaretoken": one(CSRF, form)}
        )
        recorder.page(client, pack_page, "pack: pack page")
        for _ in range(3):  # the builder polls every 1-3 seconds while the pack builds
            recorder.page(client, f"{pack_page}status/", "pack: status")

    def tidy(self) -> None:
        """The packs queued here are never built (no worker runs): gone, with their jobs, before bench_load."""
        from send_portal.celery import app

        Pack.objects.exclude(pk__in=self.packs_before).delete()
        app.control.purge()
