"""No Docker engine runs here, so the production compose file is checked for structure against the settings."""

import re
from pathlib import Path

import yaml
from django.conf import settings

from send_portal.settings.base import PRODUCTION_REQUIRED_ENV

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ("web", "worker", "beat")


def test_compose_runs_the_database_redis_proxy_web_worker_and_beat():
    assert set(SERVICES) == {"db", "redis", "proxy", "web", "worker", "beat"}


def test_only_the_proxy_is_published_and_it_refuses_what_the_portal_would_refuse():
    assert "ports" not in SERVICES["web"]
    assert SERVICES["proxy"]["ports"] == ["8000:80"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in SERVICES["proxy"]["volumes"]
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    limit = re.search(r"client_max_body_size (\d+)m;", config)
    assert limit is not None
    assert int(limit.group(1)) * 1024 * 1024 == settings.MAX_REQUEST_BYTES
    assert "proxy_pass http://portal;" in config and "server web:8000;" in config


def test_every_service_has_a_health_check_or_depends_on_healthy_services():
    for name in ("db", "redis", "web", "worker"):
        assert SERVICES[name]["healthcheck"]["test"], name
    for name in APP_SERVICES:
        assert SERVICES[name]["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
        }


def test_web_migrates_then_serves_with_gunicorn_and_checks_the_health_page():
    command = " ".join(SERVICES["web"]["command"])
    assert command.index("migrate --noinput") < command.index("gunicorn send_portal.wsgi:application")
    assert "/health/" in " ".join(SERVICES["web"]["healthcheck"]["test"])


def test_worker_and_beat_run_celery_for_the_project():
    assert SERVICES["worker"]["command"][:4] == ["celery", "-A", "send_portal", "worker"]
    assert SERVICES["beat"]["command"][:4] == ["celery", "-A", "send_portal", "beat"]


def test_app_services_get_every_variable_production_settings_require():
    for name in APP_SERVICES:
        environment = SERVICES[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "send_portal.settings.production"
        for variable in PRODUCTION_REQUIRED_ENV:
            assert variable in environment, (name, variable)
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["DATABASE_URL"].endswith("@db:5432/portal")


def test_secrets_are_required_not_defaulted():
    environment = SERVICES["web"]["environment"]
    assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert environment["ALLOWED_HOSTS"].startswith("${ALLOWED_HOSTS:?")
    assert "${POSTGRES_PASSWORD:?" in environment["DATABASE_URL"]


def test_database_and_stored_files_live_on_volumes():
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]
    media_root = SERVICES["web"]["environment"]["MEDIA_ROOT"]
    for name in APP_SERVICES:
        assert f"media:{media_root}" in SERVICES[name]["volumes"]
    assert {"pgdata", "media"} <= set(COMPOSE["volumes"])


def test_the_image_installs_weasyprint_libraries_and_arial_compatible_fonts():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0", "fonts-liberation2"):
        assert package in dockerfile
    # The same installer as make setup (scripts/install-locked.sh), with a compiler for it while it runs.
    assert "./install-locked.sh uv --system --no-cache -r requirements.lock" in dockerfile
    assert "apt-get install -y --no-install-recommends gcc libc6-dev" in dockerfile
    assert "npm ci" in dockerfile


def locked_versions(lock_file: str) -> dict[str, str]:
    """Each package's pinned version in a `uv pip compile` lock file."""
    lines = (ROOT / lock_file).read_text().splitlines()
    return dict(line.split("==", 1) for line in lines if "==" in line and not line.startswith((" ", "#")))


def test_the_tests_run_the_versions_production_installs():
    # The suite installs requirements-dev.lock and the image requirements.lock: what they share must be the same.
    runtime, dev = locked_versions("requirements.lock"), locked_versions("requirements-dev.lock")

    assert runtime.keys() <= dev.keys()
    assert {name: (version, dev[name]) for name, version in runtime.items() if dev[name] != version} == {}
