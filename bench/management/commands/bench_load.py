"""`make bench`, last step: deadline day. The production stack on this machine (gunicorn configured by
gunicorn.conf.py, PostgreSQL, Redis and a real Celery worker, under production settings with DEBUG off) is driven
by Locust (scripts/deadline_day_locustfile.py) for two minutes: 60 officers saving and submitting updates,
30 board members reading dashboards, 5 recommendation leads approving and 5 organisations uploading KPI returns,
each signing in with their password and authenticator code, and one pack built half-way through.

Afterwards every update Locust saw submitted is looked up: each must be stored once. Figures per request type,
the load average beside them, and the check go to var/bench/load.json. Runs on the bench database that
bench_dashboards built (and bench_pack filled with a meeting).
"""

import json
import os
import resource
import secrets
import signal
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from datetime import timedelta
from itertools import chain
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions.models import Action, ProgressUpdate, Recommendation
from bench import data as bench
from bench.machine import ADDITIONS, python_speed_ms
from core.models import Membership, Organisation, Partnership, Role, User
from kpis.models import Frequency, Indicator, ReturnPeriod
from reports.models import Meeting

BENCH_DIR = settings.VAR_DIR / "bench"
OUTPUT = BENCH_DIR / "load.json"
LOCUSTFILE = Path(settings.BASE_DIR) / "scripts" / "deadline_day_locustfile.py"
OFFICERS, BOARD_MEMBERS, LEADS, UPLOADERS = 60, 30, 5, 5
USERS = OFFICERS + BOARD_MEMBERS + LEADS + UPLOADERS
RUN_SECONDS = 120
# Users arrive over the first 40 seconds rather than all at once: each sign-in hashes a password, on purpose
# slowly, and 100 of them in the same second would queue behind one another.
SPAWN_PER_SECOND = 2.5
# Everyone has arrived and signed in by then (the sign-in itself takes a few seconds of thinking).
ARRIVAL_SECONDS = round(USERS / SPAWN_PER_SECOND) + 10
TARGET_P95_MS = 300
PORT = 8765
# A busy machine takes a while to import the portal into every worker.
LOAD_SAMPLE_SECONDS = 5
STARTUP_SECONDS = 120
DEVICE_NAME = "Load test"


class Command(BaseCommand):
    help = "Deadline day: Locust drives the production stack with 100 signed-in users for two minutes."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--run-time", type=int, default=RUN_SECONDS, help="seconds of load")
        parser.add_argument(
            "--users", type=int, default=USERS, help="fewer, in the same mix, to try the script"
        )
        parser.add_argument("--output", default=str(OUTPUT))

    def handle(self, *args: object, **options: Any) -> None:
        if settings.DEBUG:
            raise CommandError("Run the bench with DEBUG=false, as a server would.")
        if not str(connection.settings_dict["NAME"]).endswith("_bench"):
            raise CommandError("Point DATABASE_URL at the *_bench database that bench_dashboards built.")
        if not settings.REDIS_URL:
            raise CommandError(
                "Set REDIS_URL: production runs its jobs through Redis, and so does this test."
            )
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        speed = python_speed_ms()
        users_file = BENCH_DIR / "load-users.json"
        users_file.write_text(json.dumps(load_test_users(pack_build_at=options["run_time"] // 2)))
        self.stdout.write("Load test users ready; collecting static files for production settings")
        stack = ProductionStack(BENCH_DIR)
        started_at = timezone.now()
        try:
            stack.start()
            self.stdout.write(f"gunicorn ({stack.gunicorn_summary()}) and a Celery worker are up")
            cpu_before = stack.cpu_seconds()
            locust_result, load = run_locust(stack.url, users_file, options["run_time"], options["users"])
            load["stack_cpu_seconds"] = {
                name: round(seconds - cpu_before[name], 1) for name, seconds in stack.cpu_seconds().items()
            }
        finally:
            stack.stop()
        stored = stored_once_check(locust_result["submitted"], started_at)
        result = summarise(
            locust_result, load, stored, stack.gunicorn_summary(), options["run_time"], options["users"]
        )
        # The machine's speed changes by half from one minute to the next on some days: read before and after.
        result["python_speed_ms"] = {"before": speed, "after": python_speed_ms()}
        output = Path(options["output"])
        output.write_text(json.dumps(result, indent=2) + "\n")
        self.report(result, output)

    def report(self, result: dict[str, Any], output: Path) -> None:
        self.stdout.write(
            f"Deadline day, {result['users']} users for {result['run_seconds']} s on {result['server']}; "
            f"load average {result['load_average']['before']} before, "
            f"{result['load_average']['mean_during']} mean and {result['load_average']['max_during']} max during"
        )
        self.stdout.write(
            f"Stack CPU: {result['load_average']['stack_cpu_seconds']} s, {result['stack_cpu']['cores_used_on_average']} "
            f"cores on average, {result['stack_cpu']['web_and_database_ms_per_request']} ms of web and database CPU "
            f"per request; Locust {result['load_average']['locust_cpu_seconds']} s; machine "
            f"{result['load_average']['machine_cpu_busy_percent']}% busy; {ADDITIONS:,} additions in Python took "
            f"{result['python_speed_ms']['before']} ms of CPU before and {result['python_speed_ms']['after']} ms after"
        )
        arrived = result["after_arrival"]
        self.stdout.write(
            f"  {'request':34} {'count':>6} {'per s':>6} {'p50':>6} {'p95':>6} {'p99':>6} errors"
            f"  p95 after {arrived['seconds']} s"
        )
        rows = {**result["requests"], "all requests": result["total"]}
        later = {**arrived["requests"], "all requests": arrived["total"]}
        for name, row in rows.items():
            self.stdout.write(
                f"  {name:34} {row['count']:6} {row['per_second']:6} {row['p50_ms']:6} {row['p95_ms']:6} "
                f"{row['p99_ms']:6} {row['errors']:6}  {later.get(name, {}).get('p95_ms')}"
            )
        self.stdout.write(
            "People's pages, p95 by part of the run: "
            + "; ".join(
                f"{phase} ({part['from_second']}-{part['to_second']} s) {part['p95_ms']} ms"
                for phase, part in result["pages_by_phase"].items()
            )
        )
        if result["script_errors"]:
            self.stdout.write(
                f"Script errors (steps that raised, none of their requests timed): {result['script_errors']}"
            )
        stored = result["submitted_updates"]
        self.stdout.write(
            f"Updates submitted {stored['submitted']}, stored once {stored['stored_once']}, lost {stored['lost']}, "
            f"duplicated {stored['duplicated']}; pack: {result['pack_build']}"
        )
        self.stdout.write(
            f"Every request type p95 <= {TARGET_P95_MS} ms: {result['met']['p95']}; "
            f"no errors: {result['met']['no_errors']} -> {output}"
        )


def totp_key(user: User) -> str:
    """A confirmed authenticator for the user whose secret the load test knows, as their phone would."""
    TOTPDevice.objects.filter(user=user, name=DEVICE_NAME).delete()
    return str(TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True).key)


def member(email: str, partnership: Partnership, role: str, password_hash: str) -> User:
    """A user with one role in the partnership's first organisation, sharing the bench users' password."""
    user, _ = User.objects.get_or_create(
        email=email, defaults={"full_name": email.split("@")[0].title(), "password": password_hash}
    )
    organisation = Organisation.objects.filter(partnership=partnership).order_by("pk").first()
    Membership.objects.get_or_create(user=user, partnership=partnership, organisation=organisation, role=role)
    return user


def bench_partnerships() -> list[Partnership]:
    partnerships = list(Partnership.objects.filter(short_name__startswith="Bench ").order_by("short_name"))
    if len(partnerships) < OFFICERS + UPLOADERS:
        raise CommandError("No bench data: run bench_dashboards first (make bench runs it).")
    return partnerships


@transaction.atomic
def load_test_users(pack_build_at: int) -> dict[str, Any]:
    """Who signs in, their authenticator secrets, and what each will open; this period's updates start empty."""
    partnerships = bench_partnerships()
    officer_areas = partnerships[:OFFICERS]
    today = timezone.localdate()
    ProgressUpdate.objects.filter(
        action__recommendation__plan__partnership__in=officer_areas,
        period__start__lte=today,
        period__end__gte=today,
    ).delete()
    password_hash = User.objects.get(email=f"officer@bench{officer_areas[0].pk}.example.org").password
    return {
        "password": bench.PASSWORD,
        "officers": [officer(p) for p in officer_areas],
        "board": [board_member(p) for p in partnerships[:BOARD_MEMBERS]],
        "leads": [lead(p, password_hash) for p in officer_areas[:LEADS]],
        "uploaders": [uploader(p, password_hash) for p in partnerships[OFFICERS : OFFICERS + UPLOADERS]],
        "builder": builder(password_hash),
        "pack_build_at_seconds": pack_build_at,
    }


def officer(partnership: Partnership) -> dict[str, Any]:
    user = User.objects.get(email=f"officer@bench{partnership.pk}.example.org")
    actions = Action.objects.filter(recommendation__plan__partnership=partnership, lead_officer=user)
    return {
        "email": user.email,
        "totp_key": totp_key(user),
        "actions": list(actions.order_by("pk").values_list("pk", flat=True)),
    }


def board_member(partnership: Partnership) -> dict[str, Any]:
    user = User.objects.get(email=f"board@bench{partnership.pk}.example.org")
    recommendations = Recommendation.objects.filter(plan__partnership=partnership).order_by("number")
    indicators = Indicator.objects.filter(partnership=partnership).order_by("code")
    return {
        "email": user.email,
        "totp_key": totp_key(user),
        "recommendations": list(recommendations.values_list("pk", flat=True)),
        "indicators": list(indicators.values_list("pk", flat=True)[:6]),
    }


def lead(partnership: Partnership, password_hash: str) -> dict[str, Any]:
    """The lead of every recommendation in the partnership, so every update submitted there reaches them."""
    user = member(f"lead@bench{partnership.pk}.example.org", partnership, Role.LEAD, password_hash)
    membership = Membership.objects.get(user=user, partnership=partnership, role=Role.LEAD)
    Recommendation.objects.filter(plan__partnership=partnership).update(lead=membership)
    return {"email": user.email, "totp_key": totp_key(user)}


def uploader(partnership: Partnership, password_hash: str) -> dict[str, Any]:
    """An officer of the organisation that owns the partnership's indicators, with last month's period open."""
    user = member(f"returns@bench{partnership.pk}.example.org", partnership, Role.OFFICER, password_hash)
    end = timezone.localdate().replace(day=1) - timedelta(days=1)
    ReturnPeriod.objects.get_or_create(
        partnership=partnership,
        frequency=Frequency.MONTHLY,
        label=f"{end:%B %Y}",
        defaults={
            "start": end.replace(day=1),
            "end": end,
            "deadline": timezone.localdate() + timedelta(days=14),
        },
    )
    return {"email": user.email, "totp_key": totp_key(user)}


def builder(password_hash: str) -> dict[str, Any]:
    """Democratic services at Southend, who builds the pack for the next Board meeting (bench_pack's meeting)."""
    meeting = Meeting.objects.filter(partnership__short_name="Southend").order_by("-date").first()
    if meeting is None:
        raise CommandError(
            "No Southend meeting: run bench_dashboards and bench_pack first (make bench runs them)."
        )
    user = member("democratic-load@bench.example.org", meeting.partnership, Role.DEMOCRATIC, password_hash)
    return {"email": user.email, "totp_key": totp_key(user), "meeting": meeting.pk}


class ProductionStack:
    """gunicorn (its settings from gunicorn.conf.py) and a Celery worker, under production settings."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.url = f"https://127.0.0.1:{PORT}"
        self.processes: list[subprocess.Popen[bytes]] = []
        self.environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "send_portal.settings.production",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": str(folder / "static"),
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LOG_LEVEL": "WARNING",
        }

    def start(self) -> None:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=settings.BASE_DIR,
            env=self.environment,
            check=True,
        )
        certificate, key = self.certificate()
        self.launch(
            "gunicorn",
            [
                "-m",
                "gunicorn",
                "send_portal.wsgi:application",
                "--bind",
                f"127.0.0.1:{PORT}",
                "--certfile",
                str(certificate),
                "--keyfile",
                str(key),
                "--access-logfile",
                str(self.folder / "load-access.log"),
                "--access-logformat",
                '%(t)s "%(r)s" %(s)s %(M)s ms',
            ],
        )
        # A pack queued by an earlier run, stopped before its build, would be built now and weigh on this one.
        subprocess.run(  # noqa: S603 - our own arguments
            [sys.executable, "-m", "celery", "-A", "send_portal", "purge", "--force"],
            cwd=settings.BASE_DIR,
            env=self.environment,
            check=True,
            capture_output=True,
        )
        # As docker-compose runs it: two processes, yielding the CPU so that people's pages come before a pack build.
        self.launch(
            "worker",
            ["-m", "celery", "-A", "send_portal", "worker", "--concurrency=2", "--loglevel=WARNING"],
            nice=10,
        )
        self.wait_until_serving()

    def certificate(self) -> tuple[Path, Path]:
        """A self-signed certificate: production cookies are Secure, so the portal is only usable over HTTPS."""
        certificate, key = self.folder / "tls-cert.pem", self.folder / "tls-key.pem"
        if not certificate.exists():
            subprocess.run(  # noqa: S603 - our own arguments
                [
                    "openssl",
                    "req",
                    "-x509",
                    "-newkey",
                    "rsa:2048",
                    "-nodes",
                    "-days",
                    "7",
                    "-subj",
                    "/CN=127.0.0.1",
                ]
                + ["-keyout", str(key), "-out", str(certificate)],
                check=True,
                capture_output=True,
            )
        return certificate, key

    def launch(self, name: str, arguments: list[str], nice: int = 0) -> None:
        log = (self.folder / f"load-{name}.log").open("w")
        process = subprocess.Popen(  # noqa: S603 - our own arguments
            [sys.executable, *arguments],
            cwd=settings.BASE_DIR,
            env=self.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        if nice:
            nice_session(process.pid, nice)
        self.processes.append(process)

    def wait_until_serving(self) -> None:
        insecure = ssl.create_default_context()
        insecure.check_hostname = False
        insecure.verify_mode = ssl.CERT_NONE
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/health/", timeout=2, context=insecure) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise CommandError(
            f"gunicorn did not answer {self.url}/health/ within {STARTUP_SECONDS} s: see {self.folder}/load-gunicorn.log"
        )

    def stop(self) -> None:
        for process in self.processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    def cpu_seconds(self) -> dict[str, float]:
        """CPU time used so far by gunicorn, the Celery worker (each with its children) and this database's
        PostgreSQL connections: what the load cost, whatever else the machine was doing."""
        used = dict.fromkeys(("gunicorn", "worker", "postgres"), 0.0)
        database = str(connection.settings_dict["NAME"])
        tick = os.sysconf("SC_CLK_TCK")
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            group = int(fields[2])  # the process group: each of ours leads its own (start_new_session)
            seconds = (int(fields[11]) + int(fields[12])) / tick
            for name, process in zip(("gunicorn", "worker"), self.processes, strict=True):
                if group == process.pid:
                    used[name] += seconds
            if command.startswith("postgres:") and f" {database} " in command:
                used["postgres"] += seconds
        return used

    def gunicorn_summary(self) -> str:
        """The worker class and counts gunicorn.conf.py gives under this environment."""
        namespace: dict[str, Any] = {}
        exec((Path(settings.BASE_DIR) / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102 - our own file
        return f"{namespace['workers']} {namespace['worker_class']} workers x {namespace['threads']} threads"


def nice_session(pid: int, nice: int) -> None:
    """Gives the process's whole session the nice value, where Linux shares the CPU between sessions.

    With the kernel's autogroups (on by default), the CPU is shared between sessions first and by nice value only
    within one: a niced process in a session of its own, as each part of the stack is started here, would get as
    much CPU as all of gunicorn's threads together. The session's weight plays the part of the worker container's
    `cpu_shares` in docker-compose. (Autogroups apply where the machine gives processes no CPU control group of
    their own, as on the bench machines; elsewhere the kernel ignores this, and the worker takes a full share.)
    """
    autogroup = Path(f"/proc/{pid}/autogroup")
    if autogroup.exists():
        autogroup.write_text(str(nice))


class LoadAverage(threading.Thread):
    """The one-minute load average every few seconds while the test runs: other work on the machine shows."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.finished = threading.Event()

    def run(self) -> None:
        while not self.finished.wait(LOAD_SAMPLE_SECONDS):
            self.samples.append(os.getloadavg()[0])


def run_locust(
    url: str, users_file: Path, run_time: int, users: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    result_file = BENCH_DIR / "load-locust.json"
    result_file.unlink(missing_ok=True)
    before = os.getloadavg()[0]
    busy_before = cpu_times()
    locust_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampler = LoadAverage()
    sampler.start()
    locust = subprocess.run(  # noqa: S603 - our own arguments
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--users",
            str(users + 1),  # and democratic services, who builds the pack
            "--spawn-rate",
            str(SPAWN_PER_SECOND),
            "--run-time",
            f"{run_time}s",
            "--stop-timeout",
            "10",
            "--host",
            url,
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=settings.BASE_DIR,
        env={**os.environ, "LOAD_USERS_FILE": str(users_file), "LOAD_RESULT_FILE": str(result_file)},
        stdout=(BENCH_DIR / "load-locust.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    sampler.finished.set()
    busy_after = cpu_times()
    locust_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if not result_file.exists():
        raise CommandError(
            f"Locust ended ({locust.returncode}) without results: see {BENCH_DIR}/load-locust.log"
        )
    samples = sampler.samples or [before]
    idle = busy_after[1] - busy_before[1]
    total = busy_after[0] - busy_before[0]
    load = {
        "before": round(before, 2),
        "mean_during": round(sum(samples) / len(samples), 2),
        "max_during": round(max(samples), 2),
        "machine_cpu_busy_percent": round(100 * (1 - idle / total), 1) if total else None,
        "locust_cpu_seconds": round(
            locust_after.ru_utime + locust_after.ru_stime - locust_before.ru_utime - locust_before.ru_stime, 1
        ),
    }
    return json.loads(result_file.read_text()), load


def cpu_times() -> tuple[int, int]:
    """All and idle CPU time of the machine so far, from /proc/stat (every process, not only ours)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return sum(fields), fields[3] + fields[4]


def stored_once_check(submitted: list[str], since: Any) -> dict[str, Any]:
    """Each update Locust saw submitted must be stored once, as submitted or (by a lead since) approved."""
    marker = submitted[0].split(" ")[0] if submitted else ""
    stored = Counter(
        dict(
            ProgressUpdate.objects.filter(
                commentary__in=submitted,
                state__in=[ProgressUpdate.State.SUBMITTED, ProgressUpdate.State.APPROVED],
            )
            .values_list("commentary")
            .annotate(rows=Count("pk"))
            .values_list("commentary", "rows")
        )
    )
    unreported = ProgressUpdate.objects.filter(
        commentary__startswith=marker, submitted_at__gte=since, state=ProgressUpdate.State.SUBMITTED
    ).exclude(commentary__in=submitted)
    return {
        "submitted": len(submitted),
        "distinct": len(set(submitted)),
        "stored_once": sum(1 for text in set(submitted) if stored[text] == 1),
        "lost": sum(1 for text in set(submitted) if stored[text] == 0),
        "duplicated": sum(1 for text in set(submitted) if stored[text] > 1),
        "stored_but_not_seen_submitted": unreported.count() if marker else 0,
        "approved_since": ProgressUpdate.objects.filter(
            commentary__in=submitted, state=ProgressUpdate.State.APPROVED
        ).count(),
    }


def percentile(samples: list[float], percent: int) -> float:
    """Nearest rank."""
    ordered = sorted(samples)
    return ordered[max(1, -(-percent * len(ordered) // 100)) - 1]


def figures(samples: list[float], errors: int, seconds: float) -> dict[str, Any]:
    return {
        "count": len(samples),
        "per_second": round(len(samples) / seconds, 2),
        "p50_ms": round(percentile(samples, 50)) if samples else None,
        "p95_ms": round(percentile(samples, 95)) if samples else None,
        "p99_ms": round(percentile(samples, 99)) if samples else None,
        "errors": errors,
    }


def after_arrival(samples: dict[str, list[list[float]]], seconds: float) -> dict[str, Any]:
    """The same figures for the requests made once everyone has arrived and signed in: people arrive over the
    first ARRIVAL_SECONDS, each sign-in hashing a password on purpose slowly, so the two parts of the run load the
    machine differently. Errors are counted for the whole run only."""
    later = {
        name: [ms for at, ms in timed if at >= ARRIVAL_SECONDS] for name, timed in sorted(samples.items())
    }
    rest = max(1.0, seconds - ARRIVAL_SECONDS)
    return {
        "seconds": ARRIVAL_SECONDS,
        "requests": {name: figures(ms, 0, rest) for name, ms in later.items() if ms},
        "total": figures(list(chain.from_iterable(later.values())), 0, rest),
    }


def by_phase(samples: dict[str, list[list[float]]], pack: dict[str, Any], seconds: float) -> dict[str, Any]:
    """The p95 of people's pages in each part of the run: while people arrive and sign in, then before, during and
    after the pack's build. The sign-in's own steps and the pack's are left out, so each part compares the same
    pages; where in the run the slowest come from says what loads the machine then."""
    pages = [
        (at, ms)
        for name, timed in samples.items()
        if not name.startswith(("sign in", "pack")) and name != "home"
        for at, ms in timed
    ]
    # A build not finished by the end of the run lasts to its end; a pack never clicked, from the end.
    clicked = pack.get("clicked_at_seconds", seconds)
    finished = clicked + pack.get("click_to_finished_seconds", seconds - clicked)
    phases = {
        "arriving": (0, ARRIVAL_SECONDS),
        "before the pack's build": (ARRIVAL_SECONDS, clicked),
        "during the pack's build": (clicked, finished),
        "after the pack's build": (finished, seconds),
    }
    parts = {}
    for phase, (start, end) in phases.items():
        timings = [ms for at, ms in pages if start <= at < end]
        parts[phase] = {
            "from_second": round(start),
            "to_second": round(end),
            "count": len(timings),
            "p95_ms": round(percentile(timings, 95)) if timings else None,
        }
    return parts


def summarise(
    locust: dict[str, Any],
    load: dict[str, Any],
    stored: dict[str, Any],
    server: str,
    run_time: int,
    users: int,
) -> dict[str, Any]:
    seconds = locust["seconds"]
    timings = {name: [ms for _, ms in timed] for name, timed in sorted(locust["samples"].items())}
    requests = {name: figures(ms, locust["errors"].get(name, 0), seconds) for name, ms in timings.items()}
    everything = list(chain.from_iterable(timings.values()))
    return {
        "measured_at": timezone.now().isoformat(),
        "users": f"{users} (+1 democratic services officer who builds the pack)",
        "mix": {
            "officers": OFFICERS,
            "board_members": BOARD_MEMBERS,
            "leads": LEADS,
            "uploaders": UPLOADERS,
        },
        "run_seconds": run_time,
        "spawn_per_second": SPAWN_PER_SECOND,
        "think_time_seconds": "1-3, uniform, between every two requests",
        "server": server,
        "stack": "production settings, DEBUG off; gunicorn over TLS (self-signed) on 127.0.0.1; PostgreSQL; "
        "Redis; a Celery worker; Locust (one process) on the same machine",
        "load_average": load,
        "requests": requests,
        "total": figures(everything, sum(locust["errors"].values()), seconds),
        "after_arrival": after_arrival(locust["samples"], seconds),
        "pages_by_phase": by_phase(locust["samples"], locust["pack"], seconds),
        # What the load cost the stack, which other work on the machine does not change (its timings it does).
        "stack_cpu": {
            "cores_used_on_average": round(sum(load["stack_cpu_seconds"].values()) / seconds, 2),
            "web_and_database_ms_per_request": round(
                1000
                * (load["stack_cpu_seconds"]["gunicorn"] + load["stack_cpu_seconds"]["postgres"])
                / max(1, len(everything))
            ),
        },
        # Steps that raised inside the script (the locustfile's `failed`): counted in the errors, and named here,
        # since no request of theirs was timed.
        "script_errors": {name: count for name, count in locust["errors"].items() if name not in timings},
        "error_examples": locust["error_examples"],
        "submitted_updates": stored,
        "pack_build": locust["pack"],
        "target_p95_ms": TARGET_P95_MS,
        "met": {
            "p95": all(
                row["p95_ms"] is not None and row["p95_ms"] <= TARGET_P95_MS for row in requests.values()
            ),
            "no_errors": sum(locust["errors"].values()) == 0,
            "nothing_lost_or_duplicated": stored["lost"] == 0 and stored["duplicated"] == 0,
        },
    }
