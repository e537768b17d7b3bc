"""A pack whose worker process dies (SIGKILL, a lost container) is built again once, then failed with the reason:
it never says "Building" for ever. On real Redis and on the local file queue, with the worker's main process killed."""

import os
import signal
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from core.models import AuditEvent
from reports import services
from reports.models import Pack
from reports.tasks import build_pack
from tests.reports.test_worker import status, wait_for


def stalled(pack: Pack, attempts: int, seconds_ago: int = 120) -> Pack:
    """As a dead worker leaves it: building, with its last heartbeat long ago."""
    beat = timezone.now() - timedelta(seconds=seconds_ago)
    Pack.objects.filter(pk=pack.pk).update(
        status=Pack.Status.BUILDING, attempts=attempts, started_at=beat, heartbeat_at=beat
    )
    return Pack.objects.get(pk=pack.pk)


@pytest.mark.django_db
def test_a_build_whose_worker_stopped_is_built_again_once(world, meeting):
    pack = stalled(services.pack_request(actor=world.democratic, meeting=meeting), attempts=1)
    assert services.packs_recover_stalled(now=timezone.now()) == 1
    pack.refresh_from_db()
    assert (pack.status, pack.attempts) == (Pack.Status.READY, 2)  # jobs run at once in these tests
    assert AuditEvent.objects.filter(object_type="reports.pack", verb="requeue").count() == 1


@pytest.mark.django_db
def test_a_second_stall_fails_the_pack_with_the_reason_and_it_can_be_tried_again(world, meeting):
    pack = stalled(services.pack_request(actor=world.democratic, meeting=meeting), attempts=2)
    assert services.packs_recover_stalled(now=timezone.now()) == 1
    pack.refresh_from_db()
    assert pack.status == Pack.Status.FAILED
    assert "stopped without finishing, twice" in pack.error
    retried = services.pack_retry(actor=world.democratic, pack=pack)
    assert retried.status == Pack.Status.QUEUED


@pytest.mark.django_db
def test_a_build_that_is_still_beating_is_left_alone(world, meeting):
    pack = stalled(services.pack_request(actor=world.democratic, meeting=meeting), attempts=1, seconds_ago=5)
    assert services.packs_recover_stalled(now=timezone.now()) == 0
    assert status(pack) == Pack.Status.BUILDING


@pytest.fixture
def file_queue(start_worker, tmp_path):
    """The local mode's filesystem queue, shared by this test process and the workers it starts."""
    from send_portal.celery import app as celery_app

    folder = tmp_path / "var" / "celery" / "queue"
    folder.mkdir(parents=True)
    (folder.parent / "processed").mkdir()
    working = (celery_app.conf.broker_url, celery_app.conf.broker_transport_options)
    switch_broker(
        celery_app,
        "filesystem://",
        {
            "data_folder_in": str(folder),
            "data_folder_out": str(folder),
            "processed_folder": str(folder.parent / "processed"),
            "control_folder": str(folder.parent / "control"),
            "store_processed": False,
        },
    )
    yield lambda: start_worker(REDIS_URL="", MEDIA_ROOT=str(settings.MEDIA_ROOT))
    switch_broker(celery_app, *working)


def switch_broker(app, url: str, options: dict) -> None:
    """Points this process's Celery app at another broker, dropping its pooled connections and producers (a
    producer pooled for Redis would otherwise keep sending there)."""
    app.close()
    app.amqp._producer_pool = None
    app.conf.update(broker_url=url, broker_transport_options=options)


@pytest.fixture
def redis_queue(start_worker):
    return lambda: start_worker(MEDIA_ROOT=str(settings.MEDIA_ROOT))


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("queue", ["redis_queue", "file_queue"])
def test_killing_the_worker_process_mid_build_leaves_one_finished_pack(
    world, meeting, request, queue, settings
):
    settings.PACK_STALLED_SECONDS = 3
    start = request.getfixturevalue(queue)
    first = start()
    pack = services.pack_request(actor=world.democratic, meeting=meeting)
    build_pack.apply_async(kwargs={"pack_id": pack.pk})
    assert wait_for(lambda: status(pack) == Pack.Status.BUILDING, 60, every=0.02)
    assert Pack.objects.get(pk=pack.pk).worker.endswith(f":{first.pid}")  # the main process itself builds
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=10)

    assert not wait_for(lambda: status(pack) != Pack.Status.BUILDING, 4)  # nobody is left to finish it
    start()
    assert wait_for(lambda: services.packs_recover_stalled(now=timezone.now()) == 1, 20)
    assert wait_for(lambda: status(pack) == Pack.Status.READY, 90), Pack.objects.get(pk=pack.pk).error
    pack.refresh_from_db()
    assert pack.attempts == 2
    assert Pack.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="reports.pack", verb="build").count() == 1
