"""E-mails about a queried KPI figure: to the organisation that returned it, and back to whoever queried it when it
is corrected. Sent from Celery tasks."""

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


def figure_named(returned: Return) -> str:
    """The indicator, its period and any group: "Plans issued within 20 weeks, November 2026 (Autism)"."""
    group = f" ({returned.breakdown})" if returned.breakdown else ""
    return f"{returned.indicator.title}, {period_dated(returned.period_label)}{group}"


def query_email(returned: Return) -> tuple[str, str]:
    indicator = returned.indicator
    correct = (
        reverse("kpis:return_enter", args=[indicator.pk, returned.period_id])
        if returned.period_id
        else reverse("kpis:returns_due")
    )
    subject = f"Figure queried: {figure_named(returned)}"
    body = (
        f"{returned.queried_by} queried the figure {indicator.owner_organisation} returned for "
        f"{figure_named(returned)}: {return_text(indicator, returned)}.\n\n"
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


def correction_email(correction: Return, queried: Return) -> tuple[str, str]:
    indicator = correction.indicator
    subject = f"Correction to verify: {figure_named(correction)}"
    body = (
        f"{correction.submitted_by} corrected the figure {indicator.owner_organisation} returned for "
        f"{figure_named(correction)}: it was {return_text(indicator, queried)}, and is now "
        f"{return_text(indicator, correction)}.\n\n"
        f"You queried it: {queried.query_reason}\n\n"
        f"Verify it or query it again: {absolute(reverse('kpis:verify_return', args=[correction.pk]))}\n"
    )
    return subject, body


def send_correction_email(return_id: int) -> int:
    correction = (
        Return.objects.select_related(
            "indicator__owner_organisation", "submitted_by", "supersedes__queried_by"
        )
        .filter(pk=return_id)
        .first()
    )
    if correction is None or correction.supersedes is None:
        return 0
    queried = correction.supersedes
    if queried.queried_by is None or not queried.queried_by.is_active:
        return 0
    subject, body = correction_email(correction, queried)
    return send_mail(subject, body, None, [queried.queried_by.email])
