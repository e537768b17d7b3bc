"""Every read of meetings and packs. Scoping to the current partnership lives here: another's is a 404."""

from datetime import date, datetime, time

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from actions.models import Milestone, Plan, ProgressUpdate, RecommendationSummary
from core.models import Partnership
from dashboards import selectors as kpi_selectors
from dashboards.models import Indicator, Return
from reports.models import GovernanceBody, Meeting, Pack
from sef.models import SelfEvaluation


def meetings_in(partnership: Partnership) -> QuerySet[Meeting]:
    return Meeting.objects.filter(partnership=partnership).annotate(
        ready_packs=Count("packs", filter=Q(packs__status=Pack.Status.READY))
    )


def meeting_in(partnership: Partnership, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("narrative", "narrative__edited_by").prefetch_related(
            Prefetch("packs", queryset=Pack.objects.select_related("requested_by").order_by("-version"))
        ),
        partnership=partnership,
        pk=pk,
    )


def pack_in(partnership: Partnership, pk: int) -> Pack:
    return get_object_or_404(
        Pack.objects.select_related("meeting", "requested_by"), meeting__partnership=partnership, pk=pk
    )


def pack_for_task(pk: int) -> Pack:
    """The worker's read: the task carries only the id, already checked when the pack was requested."""
    return Pack.objects.select_related("meeting__partnership", "meeting__narrative").get(pk=pk)


def previous_ready_pack(pack: Pack) -> Pack | None:
    """The partnership's last finished pack before this one: what 'change since the last pack' is measured from."""
    earlier = Pack.objects.filter(
        meeting__partnership_id=pack.meeting.partnership_id, status=Pack.Status.READY
    ).exclude(pk=pack.pk)
    if pack.as_at is not None:
        earlier = earlier.filter(as_at__lt=pack.as_at)
    return earlier.order_by("-as_at").first()


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


def sef_for_pack(partnership: Partnership) -> SelfEvaluation | None:
    """The version awaiting the Board's agreement, or else the current agreed one."""
    versions = SelfEvaluation.objects.filter(partnership=partnership).select_related("framework")
    return (
        versions.filter(status=SelfEvaluation.Status.SUBMITTED).order_by("-version").first()
        or versions.filter(status=SelfEvaluation.Status.AGREED).order_by("-version").first()
    )


def meetings_due_a_pack(today: date) -> QuerySet[Meeting]:
    """Meetings still to come with no scheduled pack yet; the caller checks each one's build window."""
    return Meeting.objects.filter(date__gte=today).exclude(packs__trigger=Pack.Trigger.SCHEDULE)


# What a drafted narrative is written from: the evidence between the previous meeting of the same Board and now


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The last meeting of the same body before this one: what 'since the last Board' is measured from."""
    return (
        Meeting.objects.filter(partnership=meeting.partnership, body=meeting.body, date__lt=meeting.date)
        .select_related("narrative")
        .order_by("-date")
        .first()
    )


def next_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(partnership=meeting.partnership, body=meeting.body, date__gt=meeting.date)
        .order_by("date")
        .first()
    )


def drafting_window(meeting: Meeting, as_at: datetime) -> tuple[datetime | None, datetime]:
    """From the start of the previous meeting's day (None when there was none) to the given as-at time."""
    previous = previous_meeting(meeting)
    if previous is None:
        return None, as_at
    return timezone.make_aware(datetime.combine(previous.date, time.min)), as_at


def approved_updates_between(
    partnership: Partnership, since: datetime | None, as_at: datetime
) -> QuerySet[ProgressUpdate]:
    """Updates approved in the window, oldest first, with what a paragraph about them needs."""
    updates = ProgressUpdate.objects.filter(
        action__recommendation__plan__partnership=partnership,
        action__recommendation__plan__status=Plan.Status.PUBLISHED,
        state=ProgressUpdate.State.APPROVED,
        reviewed_at__lte=as_at,
    )
    if since is not None:
        updates = updates.filter(reviewed_at__gt=since)
    return updates.select_related("action__recommendation", "period", "rag", "reviewed_by").order_by(
        "reviewed_at", "pk"
    )


def milestones_completed_between(
    partnership: Partnership, since: datetime | None, as_at: datetime
) -> QuerySet[Milestone]:
    milestones = Milestone.objects.filter(
        action__recommendation__plan__partnership=partnership,
        action__recommendation__plan__status=Plan.Status.PUBLISHED,
        completed_on__lte=timezone.localdate(as_at),
    )
    if since is not None:
        milestones = milestones.filter(completed_on__gte=timezone.localdate(since))
    return milestones.select_related("action__recommendation").order_by("completed_on", "pk")


def summaries_of_year(partnership: Partnership, year: str) -> list[RecommendationSummary]:
    return list(
        RecommendationSummary.objects.filter(
            recommendation__plan__partnership=partnership,
            recommendation__plan__status=Plan.Status.PUBLISHED,
            year=year,
        )
        .select_related("recommendation")
        .order_by("recommendation__number")
    )


def sef_awaiting_agreement(meeting: Meeting, since: datetime | None) -> SelfEvaluation | None:
    """A version submitted to this meeting, or submitted since the last one without a meeting named."""
    submitted = SelfEvaluation.objects.filter(
        partnership=meeting.partnership, status=SelfEvaluation.Status.SUBMITTED
    )
    for_this_meeting = submitted.filter(meeting_date=meeting.date)
    unnamed = submitted.filter(meeting_date__isnull=True)
    if since is not None:
        unnamed = unnamed.filter(submitted_at__gt=since)
    return (for_this_meeting | unnamed).order_by("-version").first()


def indicator_values_at(indicators: list[Indicator], when: datetime | None) -> dict[int, Return]:
    """Each indicator's latest figure as it stood at a time (none before the first Board), in one query.

    A figure entered in the portal was known when it was submitted; one loaded from a published document
    (no submitter) was known at the date it describes, not on the day the portal loaded it.
    """
    if when is None:
        return {}
    known = Q(submitted_by__isnull=False, submitted_at__lte=when) | Q(
        submitted_by__isnull=True, reference_date__lte=timezone.localdate(when)
    )
    latest: dict[int, Return] = {}
    for returned in (
        kpi_selectors.current_returns()
        .filter(known, indicator__in=indicators)
        .order_by("indicator_id", "-reference_date", "-submitted_at", "-pk")
    ):
        latest.setdefault(returned.indicator_id, returned)
    return latest


def indicators_linked_to_plan(partnership: Partnership, roles: frozenset[str]) -> list[Indicator]:
    """The indicators linked to a recommendation that the given roles may see, with their links."""
    return list(
        kpi_selectors.visible_indicators(partnership, roles)
        .filter(recommendations__isnull=False)
        .distinct()
        .prefetch_related("recommendations")
        .order_by("title")
    )
