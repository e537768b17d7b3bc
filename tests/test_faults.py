"""With Redis stopped, people keep working: dashboards and progress updates still answer, quickly."""

import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actions.models import ProgressUpdate
from actions.services import reporting_period_ensure
from core.models import OutboxJob
from tests.actions.factories import rag

pytestmark = pytest.mark.django_db


def test_a_progress_update_is_submitted_while_the_broker_is_down(
    client, signed_in, world, broker_down, django_capture_on_commit_callbacks
):
    reporting_period_ensure(partnership=world.partnership, day=timezone.localdate())
    signed_in(world.officer)
    client.post(
        reverse("actions:update", args=[world.action.pk]),
        {
            "rag": rag(world.partnership, "amber").pk,
            "commentary": "Behind by a month.",
        },
    )
    update = ProgressUpdate.objects.get()
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("actions:check", args=[update.pk]), {"lock_version": update.lock_version}
        )
    elapsed = time.monotonic() - started
    update.refresh_from_db()
    assert response.status_code == 302
    assert update.state == ProgressUpdate.State.SUBMITTED
    assert elapsed < 3  # the e-mail to the lead waits in the outbox; the officer does not wait for it
    waiting = OutboxJob.objects.get()
    assert (waiting.task_name, waiting.queued_at) == ("actions.send_update_email", None)
    assert waiting.kwargs == {"update_id": update.pk, "event": "submitted"}


@pytest.mark.parametrize("name", ["boards:overview", "actions:plan", "actions:mine", "kpis:indicators"])
def test_pages_answer_while_the_broker_is_down(client, signed_in, world, broker_down, name):
    signed_in(world.admin)
    assert client.get(reverse(name)).status_code == 200


def test_the_health_check_tells_operators(client, broker_down):
    assert client.get(reverse("health")).json()["broker"] == "unavailable"


def test_an_e_mail_held_while_the_broker_was_down_is_sent_when_it_returns(
    client, signed_in, world, broker_down, django_capture_on_commit_callbacks, settings
):
    from celery import current_app

    from core.jobs import OUTBOX_GRACE
    from core.tasks import flush_outbox

    reporting_period_ensure(partnership=world.partnership, day=timezone.localdate())
    signed_in(world.officer)
    client.post(
        reverse("actions:update", args=[world.action.pk]),
        {"rag": rag(world.partnership, "amber").pk, "commentary": "Behind by a month."},
    )
    update = ProgressUpdate.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("actions:check", args=[update.pk]), {"lock_version": update.lock_version})
    assert OutboxJob.objects.filter(queued_at__isnull=True).count() == 1
    health = client.get(reverse("health")).json()
    assert health["status"] == "degraded" and health["outbox_waiting"] == 1
    assert not mail.outbox

    # The broker comes back: the worker's sweep queues the e-mail, which is sent once.
    current_app.conf.update(task_always_eager=True)
    OutboxJob.objects.update(created_at=timezone.now() - OUTBOX_GRACE * 2)
    assert flush_outbox() == 1
    assert flush_outbox() == 0
    assert [m.to for m in mail.outbox] == [[world.lead.email]]
    assert mail.outbox[0].subject.startswith("Update to review: R2.1")
    assert OutboxJob.objects.get().queued_at is not None
