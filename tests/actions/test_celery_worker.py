"""A real Celery worker, over real Redis, runs the portal's jobs against the test database."""

import time
from pathlib import Path

import pytest
from django.utils import timezone

from actions.models import ProgressUpdate
from actions.services import (
    UpdateInput,
    progress_update_save,
    progress_update_submit,
    reporting_period_ensure,
)
from tests.actions.factories import rag

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(start_worker, tmp_path):
    """A worker writing its e-mails to files in tmp_path."""
    start_worker(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )
    return tmp_path / "mail"


MESSAGE_END = "-" * 79 + "\n"  # what Django's file e-mail backend writes after each message


# How long a test waits for a real worker to start and send: on a slow machine running the whole suite on both cores,
# a worker took more than 20 seconds (2026-12-05). A worker that never sends still fails the test.
WORKER_WAIT_SECONDS = 120


def wait_for_messages(folder: Path, seconds: float = WORKER_WAIT_SECONDS) -> list[str]:
    """The e-mails written to the folder, once each file holds a whole message (the worker writes in steps)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        texts = [path.read_text() for path in folder.iterdir()] if folder.exists() else []
        if texts and all(text.endswith(MESSAGE_END) for text in texts):
            return texts
        time.sleep(0.2)
    return []


def test_submitting_an_update_emails_the_lead_through_a_real_worker(world, worker):
    update = progress_update_save(
        action=world.action,
        period=reporting_period_ensure(partnership=world.partnership, day=timezone.localdate()),
        user=world.officer,
        data=UpdateInput(rag=rag(world.partnership, "amber"), commentary="Behind by a month."),
        lock_version=None,
    )
    progress_update_submit(update=update, user=world.officer)
    messages = wait_for_messages(worker)
    assert messages, f"the worker sent no whole e-mail within {WORKER_WAIT_SECONDS} seconds"
    message = messages[0]
    assert "To: lead@example.test" in message
    assert "Update to review: R2.1" in message
    assert ProgressUpdate.objects.get().state == ProgressUpdate.State.SUBMITTED
