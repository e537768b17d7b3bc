"""Packs built by a real Celery worker over real Redis: the normal path, a duplicate delivery, a worker
killed mid-render, and the broker down. Required under CI=true; skipped locally without PostgreSQL or Redis."""

import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.models import AuditEvent
from reports import services
from reports.models import Pack
from reports.tasks import build_pack

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(start_worker):
    """A prefork worker with one child, so that killing the child is a worker lost mid-task."""
    return start_worker(pool="prefork", MEDIA_ROOT=str(settings.MEDIA_ROOT))


def wait_for(check: Callable[[], bool], seconds: float, every: float = 0.1) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return False


def status(pack: Pack) -> str:
    return Pack.objects.values_list("status", flat=True).get(pk=pack.pk)


def test_a_click_queues_a_build_that_a_real_worker_finishes(world, meeting, worker, signed_in):
    client = signed_in(world.democratic)
    started = time.monotonic()
    response = client.post(reverse("reports:build", args=[meeting.pk]))
    pack = Pack.objects.get()
    assert response["Location"] == pack.get_absolute_url()
    assert wait_for(lambda: status(pack) == Pack.Status.READY, 60), Pack.objects.get().error
    assert time.monotonic() - started < 60
    pack.refresh_from_db()
    assert Path(pack.pdf.path).read_bytes().startswith(b"%PDF")
    assert client.get(reverse("reports:pdf", args=[pack.pk])).status_code == 200


def test_a_duplicate_delivery_makes_no_second_pack(world, meeting, worker):
    pack = services.pack_request(actor=world.democratic, meeting=meeting)
    build_pack.apply_async(kwargs={"pack_id": pack.pk})
    build_pack.apply_async(kwargs={"pack_id": pack.pk})
    assert wait_for(lambda: status(pack) == Pack.Status.READY, 60)
    time.sleep(2)  # time for the second delivery to be handled
    pack.refresh_from_db()
    assert Pack.objects.count() == 1
    assert pack.attempts == 1
    assert AuditEvent.objects.filter(object_type="reports.pack", verb="build").count() == 1


def test_a_worker_killed_mid_render_leaves_one_finished_pack_after_retry(world, meeting, worker):
    pack = services.pack_request(actor=world.democratic, meeting=meeting)
    build_pack.apply_async(kwargs={"pack_id": pack.pk})
    assert wait_for(lambda: status(pack) == Pack.Status.BUILDING, 60, every=0.02)
    child_pid = int(Pack.objects.get(pk=pack.pk).worker.rsplit(":", 1)[1])
    assert child_pid != worker.pid
    os.kill(child_pid, signal.SIGKILL)
    assert wait_for(lambda: status(pack) == Pack.Status.READY, 90), Pack.objects.get(pk=pack.pk).error
    pack.refresh_from_db()
    assert pack.attempts == 2
    assert Pack.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="reports.pack", verb="build").count() == 1


def test_with_the_broker_down_the_user_gets_a_clear_message_within_3_seconds(
    world, meeting, signed_in, broker_down
):
    client = signed_in(world.democratic)
    started = time.monotonic()
    response = client.post(reverse("reports:build", args=[meeting.pk]), follow=True)
    elapsed = time.monotonic() - started
    assert elapsed < 3
    assert response.status_code == 200
    assert Pack.objects.get().status == Pack.Status.FAILED, Pack.objects.get().status
    assert "job service is not available" in response.content.decode()
    assert b"Try again" in response.content
    assert Pack.objects.get().status == Pack.Status.FAILED
