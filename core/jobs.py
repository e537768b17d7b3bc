"""Queues background jobs after the current transaction commits, without ever failing the user's request."""

import logging
from typing import Any

from celery import Task
from django.db import transaction
from kombu.exceptions import OperationalError

from core.health import broker_ok

logger = logging.getLogger(__name__)


def send_task(task: Task, **kwargs: Any) -> bool:
    """Queue the task now; False (and a log line) when the broker cannot take it.

    A one-second ping first: Celery's own connection retries take several seconds to give up,
    and the person who clicked is waiting.
    """
    if not task.app.conf.task_always_eager and not broker_ok():
        logger.warning("Broker unavailable: %s(%s) not queued", task.name, kwargs)
        return False
    try:
        task.apply_async(kwargs=kwargs, retry=False)
    except (OperationalError, OSError) as error:
        logger.warning("Could not queue %s(%s): %s", task.name, kwargs, error)
        return False
    return True


def enqueue_on_commit(task: Task, **kwargs: Any) -> None:
    """For side effects of a write (e-mails): queued once the write is committed, dropped if it rolls back."""
    transaction.on_commit(lambda: send_task(task, **kwargs))
