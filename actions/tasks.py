from celery import shared_task
from django.utils import timezone

from actions import notifications


@shared_task(name="actions.send_update_email")
def send_update_email(*, update_id: int, event: str) -> int:
    return notifications.send_update_email(update_id, event)


@shared_task(name="actions.send_reminders")
def send_reminders() -> int:
    return notifications.send_reminders(timezone.localdate())
