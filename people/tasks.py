from smtplib import SMTPException

from people import notifications
from send_portal.celery import app


@app.task(
    name="people.send_invitation", autoretry_for=(OSError, SMTPException), retry_backoff=30, max_retries=5
)
def send_invitation(*, invitation_id: int) -> int:
    return notifications.send_invitation(invitation_id)


@app.task(
    name="people.send_password_reset", autoretry_for=(OSError, SMTPException), retry_backoff=30, max_retries=5
)
def send_password_reset(*, user_id: int) -> int:
    return notifications.send_password_reset(user_id)
