from smtplib import SMTPException

from django.utils import timezone

from actions import notifications, services
from core.models import Partnership
from send_portal.celery import app


@app.task(
    name="actions.send_update_email", autoretry_for=(OSError, SMTPException), retry_backoff=30, max_retries=5
)
def send_update_email(*, update_id: int, event: str) -> int:
    return notifications.send_update_email(update_id, event)


@app.task(name="actions.send_reminders")
def send_reminders() -> int:
    return notifications.send_reminders(timezone.localdate())


@app.task(name="actions.open_reporting_periods")
def open_reporting_periods() -> int:
    """Every partnership has this month's reporting period from the first day of the month."""
    today = timezone.localdate()
    for partnership in Partnership.objects.all():
        services.reporting_period_ensure(partnership=partnership, day=today)
    return Partnership.objects.count()


@app.task(name="actions.remove_expired_held_evidence")
def remove_expired_held_evidence() -> int:
    return services.held_evidence_remove_expired(timezone.now())
