"""The e-mail telling a risk's owner that its review date has passed. Sent from a Celery task."""

from django.core.mail import send_mail

from core.http import absolute
from risks.models import ReviewReminder


def send_review_reminder(reminder_id: int) -> int:
    reminder = ReviewReminder.objects.select_related("risk__partnership").filter(pk=reminder_id).first()
    if reminder is None:
        return 0
    risk = reminder.risk
    return send_mail(
        f"Risk review overdue: risk {risk.number}, {risk.title}",
        f"Risk {risk.number} on the {risk.partnership.short_name} SEND risk log, “{risk.title}”, was due for "
        f"review on {reminder.review_date:%-d %B %Y}.\n\n"
        f"Review it, rescore it if it has changed, and set its next review date: "
        f"{absolute(risk.get_absolute_url())}\n",
        None,
        [reminder.sent_to],
    )
