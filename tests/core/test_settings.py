"""Configuration comes from the environment, with safe defaults for the embedded mode only."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "k3y-for-tests-only-9f8e7d6c5b4a39281706f5e4d3c2b1a0-zyxwvut",
    "DATABASE_URL": "postgres://portal:portal@db:5432/portal",
    "ALLOWED_HOSTS": "send.example.org",
}
# Reading the settings loads the settings module alone; starting Django's apps would only add two seconds a call.
PRINT_SETTINGS = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'db': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']), "
    "'broker': s.CELERY_BROKER_URL, 'secret': s.SECRET_KEY, 'debug': s.DEBUG, 'email': s.EMAIL_BACKEND, "
    "'hosts': s.ALLOWED_HOSTS, 'demo': s.DEMO_ACCOUNTS_ALLOWED}))"
)


def run_python(
    code: str, settings_module: str, env: dict[str, str], *args: str
) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "DEBUG",
            "ALLOWED_HOSTS",
            "DEMO_PASSWORD",
            "CI",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    clean.update({"DJANGO_SETTINGS_MODULE": settings_module, **env})
    command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)


def local_settings(tmp_path: Path, **env: str) -> dict[str, object]:
    result = run_python(PRINT_SETTINGS, "send_portal.settings.local", {"VAR_DIR": str(tmp_path), **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_local_defaults_to_sqlite_under_var_and_a_filesystem_broker(tmp_path):
    values = local_settings(tmp_path)
    assert values["db"] == "django.db.backends.sqlite3"
    assert values["name"] == str(tmp_path / "portal.sqlite3")
    assert values["broker"] == "filesystem://"
    assert values["email"] == "django.core.mail.backends.console.EmailBackend"
    assert values["demo"] is True
    assert values["debug"] is False


PRINT_NOT_FOUND = (
    "import django; django.setup(); from django.test import Client; "
    "response = Client(HTTP_HOST='127.0.0.1').get('/no-such-page/'); "
    "print(response.status_code); print(response.content.decode())"
)


def test_local_mode_answers_an_address_that_does_not_exist_with_the_portals_own_page(tmp_path):
    result = run_python(PRINT_NOT_FOUND, "send_portal.settings.local", {"VAR_DIR": str(tmp_path)})
    status, page = result.stdout.split("\n", 1)

    assert status == "404"
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in page
    assert "URLconf" not in page  # Django's debug page lists every address pattern
    # A developer who asks for Django's error pages gets them.
    debug = run_python(
        PRINT_NOT_FOUND, "send_portal.settings.local", {"VAR_DIR": str(tmp_path), "DEBUG": "true"}
    )
    assert "URLconf" in debug.stdout


def test_local_secret_key_is_generated_once_and_kept(tmp_path):
    first = local_settings(tmp_path)["secret"]
    second = local_settings(tmp_path)["secret"]
    assert first == second
    assert len(first) >= 50
    assert (tmp_path / "secret_key").read_text().strip() == first


def test_database_and_redis_urls_come_from_the_environment(tmp_path):
    values = local_settings(
        tmp_path, DATABASE_URL="postgres://u:p@127.0.0.1:5432/elsewhere", REDIS_URL="redis://127.0.0.1:6379/3"
    )
    assert values["db"] == "django.db.backends.postgresql"
    assert values["name"] == "elsewhere"
    assert values["broker"] == "redis://127.0.0.1:6379/3"


def test_a_malformed_boolean_is_refused_with_its_name(tmp_path):
    result = run_python(
        PRINT_SETTINGS, "send_portal.settings.local", {"VAR_DIR": str(tmp_path), "DEBUG": "maybe"}
    )
    assert result.returncode != 0
    assert "DEBUG must be true or false" in result.stderr


@pytest.mark.parametrize("missing", sorted(PRODUCTION_ENV))
def test_production_refuses_to_start_without_required_variable(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_python(PRINT_SETTINGS, "send_portal.settings.production", env)
    assert result.returncode != 0
    assert f"Production settings need these environment variables: {missing}" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = run_python(
        "", "send_portal.settings.production", PRODUCTION_ENV, "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_never_allows_demo_accounts():
    result = run_python(PRINT_SETTINGS, "send_portal.settings.production", PRODUCTION_ENV)
    values = json.loads(result.stdout)
    assert values["demo"] is False
    assert values["debug"] is False
    assert values["hosts"] == ["send.example.org"]


def test_production_refuses_the_demo_set_up():
    result = run_python("", "send_portal.settings.production", PRODUCTION_ENV, "setup_demo")
    assert result.returncode != 0
    assert "Demo accounts are never created under these settings" in result.stderr
