"""E-mails about progress updates and reminders. Sent from Celery tasks, never inside a request."""

from datetime import date, timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from actions import selectors
from actions.models import Action, ProgressUpdate, Reminder, ReportingPeriod
from core.http import absolute
from core.models import Membership, Partnership, Role, User

REMIND_DAYS_BEFORE_DEADLINE = 3


def partnership_admins(partnership: Partnership) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(partnership=partnership, role=Role.ADMIN).select_related("user")
    ]


def update_email(update: ProgressUpdate, event: str) -> tuple[str, str, list[str]]:
    """Subject, body and recipients for an event on an update."""
    action = update.action
    heading = f"{action.reference} {update.period}: {update.rag.label}"
    if event == "submitted":
        lead = action.recommendation.lead
        recipients = [lead.user] if lead else partnership_admins(action.recommendation.plan.partnership)
        subject = f"Update to review: {heading}"
        body = (
            f"{update.submitted_by} submitted a progress update for {action.reference}.\n\n"
            f"Review it: {absolute(reverse('actions:review', args=[update.pk]))}\n"
        )
    elif event == "approved":
        recipients = [update.created_by]
        subject = f"Update approved: {heading}"
        body = (
            f"{update.reviewed_by} approved your update for {action.reference}.\n\n"
            f"See the action: {absolute(action.get_absolute_url())}\n"
        )
    else:
        recipients = [update.created_by]
        subject = f"Update returned: {heading}"
        body = (
            f"{update.reviewed_by} returned your update for {action.reference}.\n\n"
            f"Reason: {update.return_reason}\n\n"
            f"Change and resubmit it: {absolute(reverse('actions:update', args=[action.pk]))}\n"
        )
    return subject, body, [u.email for u in recipients if u.is_active]


def send_update_email(update_id: int, event: str) -> int:
    update = (
        ProgressUpdate.objects.select_related(
            "action__recommendation__lead__user",
            "action__recommendation__plan__partnership",
            "period",
            "rag",
            "created_by",
            "submitted_by",
            "reviewed_by",
        )
        .filter(pk=update_id)
        .first()
    )
    if update is None:
        return 0
    subject, body, recipients = update_email(update, event)
    if not recipients:
        return 0
    return send_mail(subject, body, None, recipients)


def people_to_remind(action: Action) -> list[User]:
    if action.lead_officer and action.lead_officer.is_active:
        return [action.lead_officer]
    organisations = [o.pk for o in action.owner_organisations.all()]
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id__in=organisations, role=Role.OFFICER, user__is_active=True
        ).select_related("user")
    ]


def reminder_kind(period: ReportingPeriod, today: date) -> str | None:
    if (
        period.update_deadline - timedelta(days=REMIND_DAYS_BEFORE_DEADLINE)
        <= today
        <= period.update_deadline
    ):
        return Reminder.Kind.BEFORE_DEADLINE
    if today > period.update_deadline:
        return Reminder.Kind.AFTER_DEADLINE
    return None


def send_reminders(today: date) -> int:
    """Remind owners of actions missing an update: before the deadline and once it is missed.

    Each reminder is recorded, so running the job again the same day (or a retried task) sends nothing twice.
    """
    sent = 0
    for partnership in Partnership.objects.all():
        period = (
            ReportingPeriod.objects.filter(partnership=partnership, start__lte=today)
            .exclude(update_deadline__lt=today - timedelta(days=1))  # chase only the period just missed
            .order_by("start")
            .first()
        )
        if period is None or (kind := reminder_kind(period, today)) is None:
            continue
        for action in selectors.missing_updates(partnership, period):
            for person in people_to_remind(action):
                sent += remind(action, period, kind, person)
    return sent


def remind(action: Action, period: ReportingPeriod, kind: str, person: User) -> int:
    try:
        with transaction.atomic():
            Reminder.objects.create(action=action, period=period, kind=kind, sent_to=person.email)
    except IntegrityError:
        return 0
    when = "is due by" if kind == Reminder.Kind.BEFORE_DEADLINE else "was due by"
    send_mail(
        f"Progress update {when} {period.update_deadline:%-d %B %Y}: {action.reference}",
        f"The {period} progress update for {action.reference} {when} {period.update_deadline:%-d %B %Y}.\n\n"
        f"Update it: {absolute(reverse('actions:update', args=[action.pk]))}\n",
        None,
        [person.email],
    )
    return 1
