"""Every read of meetings and packs. Scoping to the current partnership lives here: another's is a 404."""

from datetime import date, datetime

from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from actions import selectors as action_selectors
from actions.models import AnnualUpdate, Milestone, Plan, ProgressUpdate, RecommendationSummary
from core.models import Partnership
from kpis import selectors as kpi_selectors
from kpis.models import Indicator, Return
from reports.models import (
    Appendix,
    FrontSheet,
    GovernanceBody,
    GovernanceDocument,
    GovernanceRelation,
    Meeting,
    Pack,
    PackAttachment,
)
from reports.report_types import NarrativePart, narrative_parts
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


def narrative_parts_of(meeting: Meeting) -> list[NarrativePart]:
    """The parts of the narrative the meeting's report prints, with one for each recommendation of the published
    plan where the report has such parts."""
    plan = action_selectors.published_plan(meeting.partnership)
    numbers = list(plan.recommendations.values_list("number", flat=True)) if plan else []
    return narrative_parts(meeting.report_type, meeting.sections, numbers)


def front_sheet_of(partnership: Partnership) -> FrontSheet | None:
    return FrontSheet.objects.filter(partnership=partnership).first()


def previous_meeting(meeting: Meeting, as_at: datetime | None = None) -> Meeting | None:
    """The same board's last meeting before this one that went ahead; with `as_at`, the last whose data cut-off
    had passed by then. A narrative drafted before the meeting in between is held counts its changes since the
    data its Board has seen, not since a meeting still to come."""
    earlier = (
        Meeting.objects.filter(
            partnership_id=meeting.partnership_id,
            body=meeting.body,
            date__lt=meeting.date,
            cancelled_at__isnull=True,
        )
        .select_related("narrative")
        .order_by("-date", "-agenda_item")
    )
    if as_at is None:
        return earlier.first()
    # The cut-off is worked out from each meeting's dates, so the few earlier meetings are read to find it.
    return next((previous for previous in earlier if previous.cut_off_at <= as_at), None)


def latest_published_pack(meeting: Meeting) -> Pack | None:
    return meeting.packs.filter(published_at__isnull=False).order_by("-version").first()


def meeting_in(partnership: Partnership, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("narrative", "narrative__edited_by").prefetch_related(
            Prefetch(
                "packs",
                queryset=Pack.objects.select_related("requested_by", "published_by").order_by("-version"),
            ),
            Prefetch(
                "appendices",
                queryset=Appendix.objects.select_related("document__body", "evaluation").order_by(
                    "order", "pk"
                ),
            ),
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


def governance_of(partnership: Partnership) -> list[GovernanceBody]:
    return list(governance_bodies_in(partnership))


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


# What a drafted narrative is written from: the evidence between the previous meeting of the same Board and now


def next_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(
            partnership=meeting.partnership,
            body=meeting.body,
            date__gt=meeting.date,
            cancelled_at__isnull=True,
        )
        .order_by("date")
        .first()
    )


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


def annual_update_of(partnership: Partnership, year: str | None) -> AnnualUpdate | None:
    """The opening published with the year's summaries, if one was loaded."""
    return AnnualUpdate.objects.filter(partnership=partnership, year=year).first() if year else None


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
    """Each indicator's latest figure as it stood at a time (none before the first Board), in one query."""
    if when is None:
        return {}
    latest: dict[int, Return] = {}
    for returned in (
        kpi_selectors.headline_returns()
        .filter(kpi_selectors.known_by(when), indicator__in=indicators)
        .order_by("indicator_id", *kpi_selectors.LATEST_FIRST)
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


def governance_relations_of(partnership: Partnership) -> list[GovernanceRelation]:
    return list(
        GovernanceRelation.objects.filter(body__partnership=partnership)
        .select_related("body", "to")
        .order_by("body__order", "to__order", "kind")
    )


def governance_documents_of(partnership: Partnership) -> QuerySet[GovernanceDocument]:
    return GovernanceDocument.objects.filter(body__partnership=partnership).select_related("body")


def appendices_of(meeting: Meeting) -> list[Appendix]:
    """The meeting's appendices in the order the pack prints them."""
    return list(
        Appendix.objects.filter(meeting=meeting)
        .select_related("document__body", "evaluation")
        .order_by("order", "pk")
    )


def appendix_in(partnership: Partnership, pk: int) -> Appendix:
    return get_object_or_404(
        Appendix.objects.select_related("meeting"), meeting__partnership=partnership, pk=pk
    )


def pack_attachment_in(partnership: Partnership, pack_pk: int, number: int) -> PackAttachment:
    return get_object_or_404(
        PackAttachment.objects.select_related("pack__meeting"),
        pack__meeting__partnership=partnership,
        pack__status=Pack.Status.READY,
        pack_id=pack_pk,
        number=number,
    )


def governance_bodies_in(partnership: Partnership) -> QuerySet[GovernanceBody]:
    return GovernanceBody.objects.filter(partnership=partnership).order_by("order", "name")


def relations_initial(body: GovernanceBody) -> dict[str, list[int]]:
    """The bodies this one reports and is accountable to, as the governance form's initial choices."""
    relations = GovernanceRelation.objects.filter(body=body)
    return {
        "reports_to_bodies": [r.to_id for r in relations if r.kind == GovernanceRelation.Kind.REPORTS_TO],
        "accountable_to_bodies": [
            r.to_id for r in relations if r.kind == GovernanceRelation.Kind.ACCOUNTABLE_TO
        ],
    }


def governance_page(partnership: Partnership) -> list[GovernanceBody]:
    """The bodies with who each answers to and the documents held for it, in three queries."""
    return list(
        governance_bodies_in(partnership).prefetch_related(
            Prefetch(
                "answers_to", queryset=GovernanceRelation.objects.select_related("to").order_by("to__order")
            ),
            Prefetch("documents", queryset=GovernanceDocument.objects.order_by("kind", "-version")),
        )
    )


def governance_document_in(partnership: Partnership, pk: int) -> GovernanceDocument:
    return get_object_or_404(
        GovernanceDocument.objects.select_related("body"), body__partnership=partnership, pk=pk
    )
