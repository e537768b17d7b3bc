"""How production serves many people at once (docs/adr/0013-serving-deadline-day.md): gunicorn's threads, kept
database connections, and Argon2 password hashing. The speed itself is measured by `make bench` (bench_load)."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from bench.management.commands.bench_load import ARRIVAL_SECONDS, by_phase, nice_session
from bench.pages import run_marker
from core.models import Role
from core.privacy import personal_data_warnings
from core.selectors import current_memberships
from send_portal.settings import base
from tests.core.test_passwords import KILLED_BY_AN_ILLEGAL_INSTRUCTION
from tests.core.test_settings import PRODUCTION_ENV, run_python
from tests.factories import PASSWORD, member

ROOT = Path(__file__).resolve().parent.parent
PRINT_DATABASE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "d = s.DATABASES['default']; print(json.dumps([d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], d['OPTIONS']]))"
)


def gunicorn_config(**env: str) -> dict[str, str]:
    """The settings gunicorn itself resolves from gunicorn.conf.py, as it would start in the image."""
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "send_portal.wsgi:application"],
        cwd=ROOT,
        env={**PRODUCTION_ENV, "PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    }


def test_gunicorn_serves_with_threaded_workers_one_per_core_by_default():
    config = gunicorn_config()
    assert config["worker_class"] == "gthread"
    assert config["threads"] == "4"
    assert int(config["workers"]) >= 1
    assert config["keepalive"] == "5"
    assert config["preload_app"] == "True"


def around_gunicorn_hook(
    call: str, *, before: str = "pass", after: str = "pass"
) -> subprocess.CompletedProcess[str]:
    """A fresh interpreter under production settings running `before`, then `call` among gunicorn.conf.py's hooks (as
    gunicorn calls one, here without a server or worker object), then `after`."""
    code = (
        "import gc, runpy, sys, django; django.setup(); "
        f"{before}; exec({call!r}, runpy.run_path('gunicorn.conf.py')); {after}"
    )
    return run_python(code, "send_portal.settings.production", PRODUCTION_ENV)


def printed_around_gunicorn_hook(call: str, *, before: str = "pass", after: str) -> list[str]:
    """What `around_gunicorn_hook` prints, having run to the end."""
    result = around_gunicorn_hook(call, before=before, after=after)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_gunicorn_imports_every_view_before_forking_its_workers():
    printed = printed_around_gunicorn_hook(
        "when_ready(None)",
        after="from django.db import connection; "
        "print('reports.views' in sys.modules, 'actions.views' in sys.modules, connection.connection is None)",
    )
    assert printed == ["True", "True", "True"]


def test_gunicorn_freezes_what_it_loaded_for_the_garbage_collector_before_forking_its_workers():
    printed = printed_around_gunicorn_hook(
        "when_ready(None)", after="print(gc.get_freeze_count(), len(gc.get_objects()))"
    )
    frozen, still_collected = map(int, printed)
    # Every view, Django and the libraries they import: a full collection now walks only what a worker adds.
    assert frozen > 100_000
    assert still_collected < frozen / 10


def test_gunicorn_stops_before_listening_where_passwords_cannot_be_hashed():
    started = around_gunicorn_hook("on_starting(None)")
    killed = around_gunicorn_hook(
        "on_starting(None)",
        before=f"from core import passwords; passwords.HASH_ONCE = {KILLED_BY_AN_ILLEGAL_INSTRUCTION!r}",
    )

    assert started.returncode == 0, started.stderr
    assert killed.returncode != 0
    assert "ImproperlyConfigured: Passwords cannot be hashed on this processor" in killed.stderr


def test_each_gunicorn_worker_fills_its_memory_for_hashing_before_its_first_request():
    printed = printed_around_gunicorn_hook(
        "post_fork(None, None)",
        before="from core.passwords import working_memory; print(len(working_memory.free))",
        after="print(*sorted(len(block) for block in working_memory.free))",
    )
    assert printed == ["0", "104857600", "104857600"]  # two blocks of Django's 100 MiB


def test_gunicorn_worker_and_thread_counts_come_from_the_environment():
    config = gunicorn_config(GUNICORN_WORKERS="3", GUNICORN_THREADS="6")
    assert (config["workers"], config["threads"]) == ("3", "6")


def test_the_image_and_compose_leave_the_worker_settings_to_gunicorn_conf():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web = " ".join(compose["services"]["web"]["command"])
    cmd = (ROOT / "Dockerfile").read_text().split("\nCMD ")[1]
    for command in (web, cmd):
        assert "gunicorn" in command
        assert "--workers" not in command and "--threads" not in command and "-k " not in command
    assert (
        "COPY . ." in (ROOT / "Dockerfile").read_text()
    )  # gunicorn.conf.py is in the image's working directory


def test_production_keeps_database_connections_and_checks_them_before_use():
    result = run_python(PRINT_DATABASE, "send_portal.settings.production", PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip()
        == '[600, true, {"options": "-c jit=off", "server_side_binding": true, "prepare_threshold": 2}]'
    )


def test_kept_connections_can_be_turned_off_from_the_environment():
    result = run_python(
        PRINT_DATABASE, "send_portal.settings.production", {**PRODUCTION_ENV, "DATABASE_CONN_MAX_AGE": "0"}
    )
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.strip()
        == '[0, true, {"options": "-c jit=off", "server_side_binding": true, "prepare_threshold": 2}]'
    )


@pytest.mark.django_db
def test_postgresql_never_compiles_the_portals_queries_to_machine_code():
    """Production's connection options (above) reach a real server: JIT compiling took seconds a page."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
        cursor.execute("SHOW synchronous_commit")  # the test settings' own option is kept beside it
        assert cursor.fetchone() == ("off",)


@pytest.mark.django_db
def test_a_statement_the_portal_sends_again_is_prepared_once_on_its_connection():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    officer = member(Role.OFFICER)
    for _ in range(3):
        assert list(current_memberships(officer))  # the query of every signed-in request
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert len([statement for statement in prepared if 'FROM "core_membership"' in statement]) == 1
    assert any('"core_membership"."user_id" = $1' in statement for statement in prepared)


def test_passwords_are_hashed_with_argon2_at_djangos_strength():
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        stored = make_password(PASSWORD)
    assert stored.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")


@pytest.mark.django_db
def test_a_password_stored_with_pbkdf2_still_signs_in_and_is_then_stored_with_argon2(client):
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        user = member(Role.OFFICER, email="pat@example.test")
        user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        user.save(update_fields=["password"])
        response = client.post(reverse("login"), {"username": "pat@example.test", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")


def test_the_worker_yields_the_cpu_to_peoples_pages():
    """Containers share the CPU by their control groups' weights; a nice value inside one orders only its own."""
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert services["worker"]["cpu_shares"] <= services["web"]["cpu_shares"] // 10
    assert "nice" not in services["worker"]["command"]


@pytest.mark.skipif(not Path("/proc/self/autogroup").exists(), reason="a kernel without autogroups")
def test_the_load_tests_worker_yields_the_cpu_although_it_runs_in_a_session_of_its_own():
    """Linux shares the CPU between sessions before nice values: the worker's whole session is niced."""
    # A process outside any session's group (one a service manager started) reads an empty file: compare, not parse.
    own_session = Path("/proc/self/autogroup").read_text()
    worker = subprocess.Popen(["sleep", "30"], start_new_session=True)  # noqa: S607 - a fixed command
    try:
        assert Path(f"/proc/{worker.pid}/autogroup").read_text().split()[-1] == "0"

        nice_session(worker.pid, 10)

        assert Path(f"/proc/{worker.pid}/autogroup").read_text().split()[-1] == "10"
        assert Path("/proc/self/autogroup").read_text() == own_session
    finally:
        worker.kill()
        worker.wait()


def test_the_load_tests_run_marker_never_looks_like_personal_data():
    """The update form refuses text that looks like an NHS number; a marker made from the clock did one run in
    eleven, and every save of that run was refused."""
    markers = {run_marker() for _ in range(2_000)}
    assert len(markers) == 2_000
    assert [marker for marker in markers if personal_data_warnings(f"{marker} save 1")] == []
    assert personal_data_warnings("Load1764561236 save 1") == ["an NHS number"]


def test_the_load_test_reports_where_in_the_run_peoples_slowest_pages_came_from():
    """Each page counts in the part of the run it was made in; sign-ins and the pack's own steps count in none."""
    clicked = ARRIVAL_SECONDS + 10.0
    samples = {
        "officer: save update": [
            [1.0, 900.0],
            [ARRIVAL_SECONDS + 1, 80.0],
            [clicked + 1, 400.0],
            [clicked + 30, 60.0],
        ],
        "board: overview": [[2.0, 700.0], [clicked + 2, 500.0]],
        "sign in: password": [[ARRIVAL_SECONDS + 2, 5_000.0]],
        "home": [[clicked + 3, 5_000.0]],
        "pack: status": [[clicked + 4, 5_000.0]],
    }

    phases = by_phase(samples, {"clicked_at_seconds": clicked, "click_to_finished_seconds": 20.0}, 120.0)

    assert {phase: (part["count"], part["p95_ms"]) for phase, part in phases.items()} == {
        "arriving": (2, 900),
        "before the pack's build": (1, 80),
        "during the pack's build": (2, 500),
        "after the pack's build": (1, 60),
    }
    assert phases["during the pack's build"]["to_second"] == round(clicked + 20)


def test_a_pack_build_not_finished_by_the_end_of_the_load_test_counts_as_building_to_the_end():
    clicked = ARRIVAL_SECONDS + 10.0
    samples = {"board: overview": [[clicked - 1, 80.0], [clicked + 50, 400.0]]}

    phases = by_phase(samples, {"built": False, "clicked_at_seconds": clicked}, 120.0)

    assert phases["during the pack's build"] == {
        "from_second": round(clicked),
        "to_second": 120,
        "count": 1,
        "p95_ms": 400,
    }
    assert phases["after the pack's build"]["count"] == 0
