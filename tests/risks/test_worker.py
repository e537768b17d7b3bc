"""A real Celery worker, over real Redis, runs the periodic review check and sends the reminder it queues."""

from datetime import date

import pytest

from core.models import OutboxJob
from risks.tasks import send_review_reminders
from tests.actions.test_celery_worker import wait_for_messages
from tests.risks.factories import RiskFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_the_periodic_check_run_by_a_worker_emails_the_owner_of_a_risk_past_its_review_date(
    world, start_worker, tmp_path
):
    start_worker(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )
    risk = RiskFactory(partnership=world.partnership, owner=world.lead, review_date=date(2020, 1, 31))
    send_review_reminders.apply_async()
    messages = wait_for_messages(tmp_path / "mail")
    assert messages, "the worker sent no whole e-mail within 30 seconds"
    assert "To: lead@example.test" in messages[0]
    assert f"Risk review overdue: risk {risk.number}" in messages[0]
    assert OutboxJob.objects.get(task_name="risks.send_review_reminder").queued_at is not None
