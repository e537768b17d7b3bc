"""Every read behind the public pages, the open data and the public API.

What the public sees of the plan and the indicators is what the partnership's last published Board pack showed:
statuses from approved updates as at that pack's data time (actions.selectors.approved_as_at through
reports.content), figures as they were known then (kpis.selectors.known_by), never a draft, an update
awaiting approval or anything approved after the pack's cut-off. A section the admin has not made public is
not found.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from actions import selectors as action_selectors
from actions.models import Plan, ProgressUpdate, RecommendationSummary
from core.documents import document_name
from core.models import Partnership, User
from dashboards.selectors import published_packs
from kpis import selectors as kpi_selectors
from kpis.figures import return_text
from kpis.models import Comparator, Geography, Indicator, Return
from public.models import ApiToken, Feedback, PublicChoices
from reports import selectors as report_selectors
from reports.content import (
    PACK_READER_ROLES,
    RecommendationPart,
    comparator_shown,
    latest_comparator,
    plan_parts,
)
from reports.models import Meeting, Pack, PackAttachment

SECTIONS = ("plan", "summaries", "indicators", "packs", "easy_read", "feedback")


def choices_of(partnership: Partnership) -> PublicChoices:
    """The partnership's choices; a partnership that never chose has published nothing."""
    return PublicChoices.objects.filter(partnership=partnership).first() or PublicChoices(
        partnership=partnership
    )


def public_partnership(code: str) -> tuple[Partnership, PublicChoices]:
    """A partnership by its ONS code with its choices, in one query; 404 when it publishes nothing."""
    found = get_object_or_404(
        PublicChoices.objects.select_related("partnership"), partnership__ons_code=code.upper()
    )
    if not found.any_section:
        raise Http404("This partnership publishes nothing")
    return found.partnership, found


def section_is_shown(choices: PublicChoices, section: str) -> bool:
    return bool(getattr(choices, "take_feedback" if section == "feedback" else f"show_{section}"))


def section_shown(choices: PublicChoices, section: str) -> None:
    """404 for a section the admin has not made public."""
    if not section_is_shown(choices, section):
        raise Http404("This section is not public")


def publishing_partnerships() -> QuerySet[PublicChoices]:
    """Partnerships with at least one public section, by name, each with the key of its last published pack
    (`last_pack_pk`, for last_published_packs)."""
    return (
        PublicChoices.objects.select_related("partnership")
        .exclude(
            show_plan=False,
            show_summaries=False,
            show_indicators=False,
            show_packs=False,
            show_easy_read=False,
            take_feedback=False,
        )
        .annotate(last_pack_pk=Subquery(public_packs(OuterRef("partnership")).values("pk")[:1]))
        .order_by("partnership__name")
    )


def public_packs(partnership: Partnership | OuterRef) -> QuerySet[Pack]:
    """Published versions of the partnership's public packs, the latest meeting first, newest version first (of
    the outer query's partnership, given an OuterRef)."""
    return (
        published_packs()
        .filter(meeting__partnership=partnership)
        # A paper is public from the day it is issued, however early democratic services give it to the board; an
        # exempt (Part 2) paper never is.
        .filter(Q(issue_date__isnull=True) | Q(issue_date__lte=timezone.localdate()))
        .exclude(meeting__classification=Meeting.Classification.PART_2)
        .select_related("meeting")
        .order_by("-meeting__date", "-version")
    )


def last_published_pack(partnership: Partnership) -> Pack | None:
    return public_packs(partnership).first()


def last_published_packs(found: Iterable[PublicChoices]) -> dict[int, Pack]:
    """The last published pack of each partnership publishing_partnerships() found, by key, in one query."""
    return Pack.objects.select_related("meeting").in_bulk([choices.last_pack_pk for choices in found])  # type: ignore[attr-defined]


def pack_data_time(pack: Pack | None) -> datetime | None:
    """The moment the public pages show: the data time of the last published pack, never after its cut-off."""
    if pack is None:
        return None
    cut_off = pack.meeting.cut_off_at
    return min(pack.as_at, cut_off) if pack.as_at else cut_off


def public_pack_in(partnership: Partnership, pk: int) -> Pack:
    return get_object_or_404(public_packs(partnership), pk=pk)


def public_attachment(pack: Pack, number: int) -> PackAttachment:
    """An uploaded appendix of a pack already found public (public_pack_in)."""
    return get_object_or_404(pack.attachments, number=number)


def published_plan_parts(partnership: Partnership, as_at: datetime | None) -> list[RecommendationPart]:
    """The recommendations and their actions with each status as the last published pack gave it."""
    if as_at is None:
        return []
    return plan_parts(partnership, as_at)


def summaries_by_year(partnership: Partnership) -> list[tuple[str, list[RecommendationSummary]]]:
    """Each year's summaries of the published plan's recommendations, the latest year first."""
    years: dict[str, list[RecommendationSummary]] = {}
    summaries = (
        RecommendationSummary.objects.filter(
            recommendation__plan__partnership=partnership, recommendation__plan__status=Plan.Status.PUBLISHED
        )
        .select_related("recommendation")
        .order_by("-year", "recommendation__number")
    )
    for summary in summaries:
        years.setdefault(summary.year, []).append(summary)
    return list(years.items())


def publishable_indicators(partnership: Partnership) -> QuerySet[Indicator]:
    """The indicators an admin may make public: those a Board pack shows, never a restricted one."""
    return kpi_selectors.visible_indicators(partnership, PACK_READER_ROLES).order_by("title")


def public_indicators(choices: PublicChoices) -> QuerySet[Indicator]:
    return publishable_indicators(choices.partnership).filter(pk__in=choices.indicators.values("pk"))


@dataclass(frozen=True)
class PublicFigure:
    """An indicator as the public sees it: its latest figure at the pack's data time and its comparators."""

    indicator: Indicator
    latest: Return | None
    shown: str
    source: str  # the published document the latest figure was taken from, where it was not returned here
    england: str
    region: str


def public_figures(choices: PublicChoices, as_at: datetime | None) -> list[PublicFigure]:
    """The chosen indicators with their figure as known at the pack's data time, suppression applied."""
    if as_at is None:
        return []
    indicators = list(public_indicators(choices).prefetch_related("comparators"))
    values = report_selectors.indicator_values_at(indicators, as_at)
    figures = []
    for indicator in indicators:
        comparators = [
            c for c in indicator.comparators.all() if c.reference_date <= timezone.localdate(as_at)
        ]
        latest = values.get(indicator.pk)
        figures.append(
            PublicFigure(
                indicator=indicator,
                latest=latest,
                shown=return_text(indicator, latest) if latest else "No figure yet",
                source=document_name(latest.source_document) if latest and latest.source_document else "",
                england=comparator_shown(indicator, latest_comparator(comparators, Geography.ENGLAND)),
                region=comparator_shown(indicator, latest_comparator(comparators, Geography.REGION)),
            )
        )
    return figures


def public_values(choices: PublicChoices, as_at: datetime | None) -> QuerySet[Return]:
    """Every figure of the chosen indicators as known at the pack's data time, for the open data: the headline
    figures and their breakdowns, each row saying which."""
    if as_at is None:
        return Return.objects.none()
    return (
        kpi_selectors.current_returns()
        .filter(kpi_selectors.known_by(as_at), indicator__in=public_indicators(choices))
        .select_related("indicator")
        .order_by("indicator__code", "reference_date", "breakdown", "pk")
    )


def public_comparators(choices: PublicChoices, as_at: datetime | None) -> QuerySet[Comparator]:
    """England, the region and the statistical neighbours beside the chosen indicators, each with its period, as
    the pack's data time knew them (dated by then, as public_figures reads them), for the open data."""
    if as_at is None:
        return Comparator.objects.none()
    return (
        Comparator.objects.filter(
            indicator__in=public_indicators(choices), reference_date__lte=timezone.localdate(as_at)
        )
        .select_related("indicator")
        .order_by("indicator__code", "reference_date", "geography", "pk")
    )


def status_history(partnership: Partnership, as_at: datetime | None) -> list[ProgressUpdate]:
    """Each action's approved status month by month, as known at the pack's data time (the latest revision of
    each month only)."""
    if as_at is None:
        return []
    updates = (
        action_selectors.approved_as_at(as_at)
        .filter(action__in=action_selectors.actions_in(partnership))
        .select_related("action__recommendation", "rag", "period")
        .order_by("action__recommendation__number", "action__order", "period__start", "-revision")
    )
    latest: dict[tuple[int, int], ProgressUpdate] = {}
    for update in updates:
        latest.setdefault((update.action_id, update.period_id), update)
    return list(latest.values())


# Families' feedback


def you_said_we_did(partnership: Partnership) -> QuerySet[Feedback]:
    """What a moderator published: their summary and the response, nothing the sender wrote themselves."""
    return Feedback.objects.filter(partnership=partnership, state=Feedback.State.PUBLISHED).order_by(
        "-published_at", "-pk"
    )


def moderation_queue(partnership: Partnership) -> QuerySet[Feedback]:
    return Feedback.objects.filter(
        partnership=partnership, state__in=[Feedback.State.NEW, Feedback.State.REPLIED]
    ).order_by("received_at", "pk")


def moderated(partnership: Partnership) -> QuerySet[Feedback]:
    return Feedback.objects.filter(
        partnership=partnership, state__in=[Feedback.State.PUBLISHED, Feedback.State.ARCHIVED]
    ).order_by("-received_at", "-pk")


def feedback_in(partnership: Partnership, pk: int) -> Feedback:
    return get_object_or_404(
        Feedback.objects.select_related("replied_by", "published_by"), partnership=partnership, pk=pk
    )


def sent_from_since(sender_key: str, since: datetime) -> int:
    return Feedback.objects.filter(sender_key=sender_key, received_at__gte=since).count()


def past_retention(now: datetime) -> QuerySet[Feedback]:
    """Feedback whose personal data has been kept for its partnership's retention period and not yet erased.

    Feedback exists only where a partnership took it, so each has its partnership's choices and period.
    """
    due = Q()
    for partnership_id, days in PublicChoices.objects.values_list("partnership_id", "retention_days"):
        due |= Q(partnership_id=partnership_id, received_at__lte=now - timedelta(days=days))
    if not due:
        return Feedback.objects.none()
    return Feedback.objects.filter(due, personal_data_erased_at__isnull=True)


# API tokens


def tokens_of(user: User, partnership: Partnership) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user, partnership=partnership)


def tokens_held_by_others(user: User, partnership: Partnership) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(partnership=partnership).exclude(user=user).select_related("user")


def token_in(partnership: Partnership, pk: int) -> ApiToken:
    return get_object_or_404(ApiToken.objects.select_related("partnership"), partnership=partnership, pk=pk)


def active_token(key_hash: str) -> ApiToken | None:
    return (
        ApiToken.objects.filter(key_hash=key_hash, revoked_at__isnull=True)
        .select_related("user", "partnership")
        .first()
    )
