"""Every read of meetings and packs. Scoping to the current partnership lives here: another's is a 404."""

from datetime import date

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from actions.models import Plan
from core.models import Partnership
from reports.models import FrontSheet, GovernanceBody, Meeting, Pack
from sef.models import SelfEvaluation


def meetings_in(partnership: Partnership) -> QuerySet[Meeting]:
    return Meeting.objects.filter(partnership=partnership).annotate(
        ready_packs=Count("packs", filter=Q(packs__status=Pack.Status.READY)),
        published_packs=Count("packs", filter=Q(packs__published_at__isnull=False)),
    )


def meetings_listed(partnership: Partnership, today: date) -> tuple[list[Meeting], list[Meeting]]:
    """Upcoming meetings soonest first, then past ones latest first."""
    meetings = meetings_in(partnership)
    return (
        list(meetings.filter(date__gte=today).order_by("date", "agenda_item")),
        list(meetings.filter(date__lt=today).order_by("-date", "agenda_item")),
    )


def earliest_meeting_date(partnership: Partnership) -> date | None:
    """No SEND report went to a Board before the partnership's first Strategic Action Plan started."""
    return Plan.objects.filter(partnership=partnership).aggregate(first=Min("start"))["first"]


def packs_visible(meeting: Meeting, *, drafts: bool) -> list[Pack]:
    """Every version for democratic services and admins; only published versions for everyone else."""
    packs = list(meeting.packs.all())
    return packs if drafts else [pack for pack in packs if pack.is_published]


def front_sheet_of(partnership: Partnership) -> FrontSheet | None:
    return FrontSheet.objects.filter(partnership=partnership).first()


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The same board's last meeting before this one that went ahead."""
    return (
        Meeting.objects.filter(
            partnership_id=meeting.partnership_id,
            body=meeting.body,
            date__lt=meeting.date,
            cancelled_at__isnull=True,
        )
        .order_by("-date", "-agenda_item")
        .first()
    )


def latest_published_pack(meeting: Meeting) -> Pack | None:
    return meeting.packs.filter(published_at__isnull=False).order_by("-version").first()


def meeting_in(partnership: Partnership, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("narrative", "narrative__edited_by").prefetch_related(
            Prefetch(
                "packs",
                queryset=Pack.objects.select_related("requested_by", "published_by").order_by("-version"),
            )
        ),
        partnership=partnership,
        pk=pk,
    )


def pack_in(partnership: Partnership, pk: int, *, drafts: bool = True) -> Pack:
    """A pack of the partnership; a draft is not found for those who see published versions only."""
    packs = Pack.objects.select_related("meeting", "requested_by", "published_by")
    if not drafts:
        packs = packs.filter(published_at__isnull=False)
    return get_object_or_404(packs, meeting__partnership=partnership, pk=pk)


def pack_for_task(pk: int) -> Pack:
    """The worker's read: the task carries only the id, already checked when the pack was requested."""
    return Pack.objects.select_related("meeting__partnership", "meeting__narrative").get(pk=pk)


def last_ready_pack(partnership: Partnership) -> Pack | None:
    return (
        Pack.objects.filter(meeting__partnership=partnership, status=Pack.Status.READY)
        .order_by("-as_at")
        .first()
    )


def governance_of(partnership: Partnership) -> list[GovernanceBody]:
    return list(GovernanceBody.objects.filter(partnership=partnership).order_by("order", "name"))


def governance_body_in(partnership: Partnership, pk: int) -> GovernanceBody:
    return get_object_or_404(GovernanceBody, partnership=partnership, pk=pk)


def sef_for_pack(partnership: Partnership, on: date | None = None) -> SelfEvaluation | None:
    """The version awaiting the Board's agreement, or else the current agreed one; with a date, one dated by then."""
    versions = SelfEvaluation.objects.filter(partnership=partnership).select_related("framework")
    if on is not None:
        versions = versions.filter(dated__lte=on)
    return (
        versions.filter(status=SelfEvaluation.Status.SUBMITTED).order_by("-version").first()
        or versions.filter(status=SelfEvaluation.Status.AGREED).order_by("-version").first()
    )


def meetings_due_a_pack(today: date) -> QuerySet[Meeting]:
    """Meetings still to come, not cancelled, with no scheduled or published pack yet; the caller checks each build window."""
    return (
        Meeting.objects.filter(date__gte=today, cancelled_at__isnull=True)
        .exclude(packs__trigger=Pack.Trigger.SCHEDULE)
        .exclude(packs__published_at__isnull=False)
    )
