from smtplib import SMTPException

from public import services
from send_portal.celery import app


@app.task(
    name="public.send_feedback_reply", autoretry_for=(OSError, SMTPException), retry_backoff=30, max_retries=5
)
def send_feedback_reply(*, feedback_id: int) -> int:
    return services.feedback_reply_email(feedback_id)


@app.task(name="public.erase_personal_data")
def erase_personal_data() -> int:
    return services.personal_data_erase()
