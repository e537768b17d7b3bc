from smtplib import SMTPException

from django.utils import timezone

from risks import notifications, services
from send_portal.celery import app


@app.task(name="risks.send_review_reminders")
def send_review_reminders() -> int:
    return services.review_reminders_send(today=timezone.localdate())


@app.task(
    name="risks.send_review_reminder", autoretry_for=(OSError, SMTPException), retry_backoff=30, max_retries=5
)
def send_review_reminder(*, reminder_id: int) -> int:
    return notifications.send_review_reminder(reminder_id)
