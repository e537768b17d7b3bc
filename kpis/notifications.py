"""The e-mail telling an organisation that a figure it returned was queried. Sent from a Celery task."""

from django.core.mail import send_mail
from django.urls import reverse

from core.http import absolute
from core.models import Membership, Role, User
from kpis.figures import period_dated, return_text
from kpis.models import Return


def query_recipients(returned: Return) -> list[User]:
    """Who returned the figure; where no one did, or they have left, the officers of the organisation that owns it."""
    if returned.submitted_by is not None and returned.submitted_by.is_active:
        return [returned.submitted_by]
    officers = Membership.objects.filter(
        organisation_id=returned.indicator.owner_organisation_id, role=Role.OFFICER, user__is_active=True
    ).select_related("user")
    return [membership.user for membership in officers]


def query_email(returned: Return) -> tuple[str, str]:
    indicator = returned.indicator
    period = period_dated(returned.period_label)
    group = f" ({returned.breakdown})" if returned.breakdown else ""
    correct = (
        reverse("kpis:return_enter", args=[indicator.pk, returned.period_id])
        if returned.period_id
        else reverse("kpis:returns_due")
    )
    subject = f"Figure queried: {indicator.title}, {period}"
    body = (
        f"{returned.queried_by} queried the figure {indicator.owner_organisation} returned for {indicator.title}, "
        f"{period}{group}: {return_text(indicator, returned)}.\n\n"
        f"Reason: {returned.query_reason}\n\n"
        "Until it is corrected, the portal tells everyone who reads it not to rely on it.\n\n"
        f"Correct it: {absolute(correct)}\n"
    )
    return subject, body


def send_query_email(return_id: int) -> int:
    returned = (
        Return.objects.select_related("indicator__owner_organisation", "submitted_by", "queried_by")
        .filter(pk=return_id)
        .first()
    )
    if returned is None or not returned.query_reason:
        return 0
    recipients = [user.email for user in query_recipients(returned)]
    if not recipients:
        return 0
    subject, body = query_email(returned)
    return send_mail(subject, body, None, recipients)
