"""With Redis stopped, people keep working: dashboards and progress updates still answer, quickly."""

import time

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import ProgressUpdate
from actions.services import reporting_period_ensure
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
    assert elapsed < 3  # the e-mail to the lead is dropped with a log line, not waited for


@pytest.mark.parametrize("name", ["boards:overview", "actions:plan", "actions:mine", "dashboards:indicators"])
def test_pages_answer_while_the_broker_is_down(client, signed_in, world, broker_down, name):
    signed_in(world.admin)
    assert client.get(reverse(name)).status_code == 200


def test_the_health_check_tells_operators(client, broker_down):
    assert client.get(reverse("health")).json()["broker"] == "unavailable"
