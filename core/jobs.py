"""Queues background jobs without ever failing the user's request, and without losing a job the broker could
not take: side effects of a write go through the outbox (core.models.OutboxJob)."""

import logging
from datetime import timedelta
from typing import Any

from celery import Task, current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.health import broker_ok
from core.models import OutboxJob

logger = logging.getLogger(__name__)

# The outbox is swept for jobs older than this, so a sweep never races the on-commit send of a new job.
OUTBOX_GRACE = timedelta(seconds=30)


def registered(task_name: str) -> Task:
    """Jobs are queued by task name, so that a service never imports its app's tasks module (which imports the
    service); each app's tasks are registered when Django starts (its AppConfig.ready)."""
    return current_app.tasks[task_name]


def send_task(task_name: str, **kwargs: Any) -> bool:
    """Queue the task now; False (and a log line) when the broker cannot take it.

    A one-second ping first: Celery's own connection retries take several seconds to give up,
    and the person who clicked is waiting.
    """
    task = registered(task_name)
    if not task.app.conf.task_always_eager and not broker_ok():
        logger.warning("Broker unavailable: %s(%s) not queued", task.name, kwargs)
        return False
    try:
        task.apply_async(kwargs=kwargs, retry=False)
    except (OperationalError, OSError) as error:
        logger.warning("Could not queue %s(%s): %s", task.name, kwargs, error)
        return False
    return True


def enqueue_on_commit(task_name: str, **kwargs: Any) -> None:
    """For side effects of a write (e-mails): recorded with the write, queued once it commits, kept if the broker
    cannot take it, and gone with the write if it rolls back."""
    job = OutboxJob.objects.create(task_name=task_name, kwargs=kwargs)
    transaction.on_commit(lambda: outbox_send(task_name, job.pk, kwargs))


def outbox_send(task_name: str, job_id: int, kwargs: dict[str, Any]) -> bool:
    """Claims the job (so no sweep sends it as well), queues it, and gives it back if the broker refused it."""
    claimed = OutboxJob.objects.filter(pk=job_id, queued_at__isnull=True).update(queued_at=timezone.now())
    if not claimed:
        return False
    if send_task(task_name, **kwargs):
        return True
    OutboxJob.objects.filter(pk=job_id).update(
        queued_at=None, attempts=F("attempts") + 1, last_error="The broker could not be reached"
    )
    return False


def outbox_flush() -> int:
    """Queues every job still waiting; returns how many were queued. Run by the worker every minute."""
    waiting = OutboxJob.objects.filter(queued_at__isnull=True, created_at__lte=timezone.now() - OUTBOX_GRACE)
    return sum(
        outbox_send(job.task_name, job.pk, job.kwargs) for job in waiting.only("pk", "task_name", "kwargs")
    )
