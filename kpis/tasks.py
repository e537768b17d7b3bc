from smtplib import SMTPException

from kpis import national_services, notifications
from send_portal.celery import app


@app.task(name="kpis.import_national_statistics")
def import_national_statistics(*, import_id: int) -> str:
    return national_services.national_statistics_run(import_id=import_id)


@app.task(
    name="kpis.send_query_email", autoretry_for=(OSError, SMTPException), retry_backoff=30, max_retries=5
)
def send_query_email(*, return_id: int) -> int:
    return notifications.send_query_email(return_id)


@app.task(
    name="kpis.send_correction_email", autoretry_for=(OSError, SMTPException), retry_backoff=30, max_retries=5
)
def send_correction_email(*, return_id: int) -> int:
    return notifications.send_correction_email(return_id)
