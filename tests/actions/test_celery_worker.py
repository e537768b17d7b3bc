"""A real Celery worker, over real Redis, runs the portal's jobs against the test database."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from actions.models import ProgressUpdate
from actions.services import (
    UpdateInput,
    progress_update_save,
    progress_update_submit,
    reporting_period_ensure,
)
from send_portal.celery import app as celery_app
from tests.actions.factories import rag

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def postgres_database():
    if connection.vendor != "postgresql":
        if settings.CI:
            pytest.fail("CI=true but the tests are not running on PostgreSQL")
        pytest.skip("the worker needs a database it can share with the test process")
    return connection.settings_dict


@pytest.fixture
def worker(redis_url, postgres_database, tmp_path):
    """A worker process on the test database and the test Redis, writing e-mails to files in tmp_path."""
    db = postgres_database
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "send_portal.settings.local",
        "VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "send_portal",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ],
        cwd=ROOT,
        env=env,
        stdout=(tmp_path / "worker.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    assert celery_app.conf.broker_url == redis_url
    celery_app.conf.task_always_eager = False
    yield tmp_path / "mail"
    celery_app.conf.task_always_eager = True
    process.terminate()
    process.wait(timeout=10)


def wait_for_files(folder: Path, seconds: float) -> list[Path]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if folder.exists() and (files := list(folder.iterdir())):
            return files
        time.sleep(0.2)
    return []


def test_submitting_an_update_emails_the_lead_through_a_real_worker(world, worker):
    memberships = list(world.officer.memberships.all())
    update = progress_update_save(
        action=world.action,
        period=reporting_period_ensure(partnership=world.partnership, day=timezone.localdate()),
        user=world.officer,
        memberships=memberships,
        data=UpdateInput(rag=rag(world.partnership, "amber"), commentary="Behind by a month."),
        lock_version=None,
    )
    progress_update_submit(update=update, user=world.officer, memberships=memberships)
    files = wait_for_files(worker, seconds=20)
    assert files, "the worker sent no e-mail within 20 seconds"
    message = files[0].read_text()
    assert "To: lead@example.test" in message
    assert "Update to review: R2.1" in message
    assert ProgressUpdate.objects.get().state == ProgressUpdate.State.SUBMITTED
