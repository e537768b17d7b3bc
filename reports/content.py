"""What a pack says: the data of the other apps as it stood at the pack's as-at time, read through their
selectors, and the comparison with what the previous pack said."""

from collections import Counter, defaultdict
from copy import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from actions import selectors as action_selectors
from actions.models import (
    Action,
    AnnualUpdate,
    ProgressUpdate,
    RagLevel,
    Recommendation,
    RecommendationSummary,
)
from core.charts import ChartSeries, trend_chart_svg
from core.models import Partnership, Role
from kpis import selectors as kpi_selectors
from kpis.figures import (
    GroupFigure,
    comparator_chart_series,
    format_number,
    group_figures,
    not_exact_dates,
    period_dated,
    return_text,
    suppressed,
    words_shown,
)
from kpis.models import Comparator, Geography, Indicator, Return
from reports import selectors
from reports.appendices import with_appendix_numbers
from reports.changes import NO_APPROVED_UPDATE, action_change
from reports.governance_chart import governance_chart_svg
from reports.models import (
    Appendix,
    FrontSheet,
    GovernanceBody,
    GovernanceDocument,
    GovernanceRelation,
    Meeting,
    Narrative,
)
from sef import selectors as sef_selectors
from sef.models import SelfEvaluation

# The pack is a public Board paper: it shows what a Board member may see, never a restricted indicator.
PACK_READER_ROLES = frozenset({Role.BOARD})


# The PDF keeps an action's row whole, starting it on the next page where it does not fit, as the real pack keeps
# its rows. A commentary this long (about half a page in its column) may run on instead, under the repeated headers:
# kept whole, it would leave most of a page empty, and a row taller than a page loses its headers when forced whole.
ROW_KEPT_WHOLE_UP_TO = 1500


@dataclass
class ActionRow:
    action: Action
    update: ProgressUpdate | None
    change: str = "New since the last pack"

    @property
    def may_run_on(self) -> bool:
        return self.update is not None and len(self.update.commentary) > ROW_KEPT_WHOLE_UP_TO

    @property
    def rag_text(self) -> str:
        if self.action.lifecycle != Action.Lifecycle.OPEN:
            return self.action.get_lifecycle_display()
        return str(self.update.rag) if self.update else NO_APPROVED_UPDATE


@dataclass
class RecommendationPart:
    recommendation: Recommendation
    summary: RecommendationSummary | None
    rows: list[ActionRow]


@dataclass(frozen=True)
class StatusCounts:
    """A set of actions counted: how many ended, each way (Complete, Business as usual, Closed), and of those still
    open, how many at each level of the RAG scale, in the scale's order, and how many without an approved update.
    The easy reads (the pack's and the public's), the public home's headline and the drafted progress of each
    recommendation all count with it."""

    actions: int
    ended: list[tuple[str, int]]
    levels: list[tuple[RagLevel, int]]
    no_news: int

    @property
    def finished(self) -> int:
        return sum(count for _, count in self.ended)


def status_counts(rows: list[ActionRow]) -> StatusCounts:
    ended = [
        (str(label), count)
        for value, label in Action.Lifecycle.choices
        if value != Action.Lifecycle.OPEN and (count := sum(row.action.lifecycle == value for row in rows))
    ]
    still_open = [row for row in rows if row.action.lifecycle == Action.Lifecycle.OPEN]
    counted = Counter(row.update.rag for row in still_open if row.update)
    levels = sorted(counted.items(), key=lambda item: (item[0].order, item[0].pk))
    return StatusCounts(len(rows), ended, levels, sum(row.update is None for row in still_open))


@dataclass
class Point:
    when: date
    label: str
    value: Decimal | None
    shown: str


def figure_shown(indicator: Indicator, returned: Return) -> str:
    """A return's figure as the pack prints it: where its document gives words but no number, those words too."""
    shown = return_text(indicator, returned)
    quote = words_shown(indicator, returned, returned.source_quote)
    if returned.value is None and quote:
        return f"{shown}. The document says: “{' '.join(quote.split())}”"
    return shown


def comparator_shown(indicator: Indicator, comparator: Comparator | None) -> str:
    if comparator is None or comparator.value is None:
        return "Not available"
    return (
        f"{format_number(comparator.value, indicator.unit, comparator.qualifier, comparator.decimal_places)} "
        f"({period_dated(comparator.period_label)})"
    )


@dataclass
class IndicatorRow:
    indicator: Indicator
    points: list[Point]
    latest: Return | None
    latest_shown: str
    england: Comparator | None
    region: Comparator | None
    comparators: list[Comparator] = field(default_factory=list)
    chart_svg: str = ""
    groups: list[GroupFigure] = field(default_factory=list)  # the latest breakdown
    not_exact: frozenset[date] = frozenset()  # the dates of figures given as "around", "over"...

    @property
    def england_shown(self) -> str:
        return comparator_shown(self.indicator, self.england)

    @property
    def region_shown(self) -> str:
        return comparator_shown(self.indicator, self.region)

    @property
    def chart_points(self) -> list[tuple[date, float | None]]:
        return [(p.when, float(p.value) if p.value is not None else None) for p in self.points]


@dataclass
class SefPart:
    evaluation: SelfEvaluation
    sections: list[Any]
    areas: list[tuple[Any, dict[str, list[str]]]]
    groups: list[Any]


# The template that prints each kind of appendix; a file uploaded for any appendix is printed instead.
APPENDIX_TEMPLATES = {
    Appendix.Kind.ANNUAL_UPDATE: "reports/pack/appendix_plan.html",
    Appendix.Kind.ACTION_STATUS: "reports/pack/appendix_plan.html",
    Appendix.Kind.SEF: "reports/pack/appendix_sef.html",
    Appendix.Kind.KPIS: "reports/pack/appendix_kpis.html",
    Appendix.Kind.GOVERNANCE_CHART: "reports/pack/appendix_governance.html",
    Appendix.Kind.DOCUMENT: "reports/pack/appendix_document.html",
}
UPLOAD_TEMPLATE = "reports/pack/appendix_upload.html"
# The page header's right half holds about this many characters at 8 pt on A4; a longer heading would wrap it.
RUNNING_HEAD_CHARACTERS = 55


@dataclass
class PackAppendix:
    """One appendix as this pack prints it, numbered by its place in the meeting's list."""

    number: int
    appendix: Appendix
    sef: SefPart | None = None
    document: GovernanceDocument | None = None
    relations: list[GovernanceRelation] = field(default_factory=list)
    chart_svg: str = ""

    @property
    def title(self) -> str:
        return self.appendix.title

    @property
    def heading(self) -> str:
        return f"Appendix {self.number}: {self.title}"

    @property
    def running_head(self) -> str:
        """What the PDF's page header repeats: the heading where it fits on the header's one line, else as much of it
        as fits, cut at a word and ending "…", so every appendix is named by its title as well as its number."""
        if len(self.heading) <= RUNNING_HEAD_CHARACTERS:
            return self.heading
        return self.heading[: RUNNING_HEAD_CHARACTERS - 1].rsplit(" ", 1)[0].rstrip(",;:–-") + "…"

    @property
    def anchor(self) -> str:
        return f"appendix-{self.number}"

    @property
    def template(self) -> str:
        return (
            UPLOAD_TEMPLATE
            if self.appendix.is_uploaded
            else APPENDIX_TEMPLATES[Appendix.Kind(self.appendix.kind)]
        )

    @property
    def shows_summaries(self) -> bool:
        return self.appendix.kind == Appendix.Kind.ANNUAL_UPDATE

    @property
    def shows_actions(self) -> bool:
        return self.appendix.kind == Appendix.Kind.ACTION_STATUS

    @property
    def placeholder_pages(self) -> list[str]:
        """Anchors of the blank pages the PDF keeps for an uploaded PDF's pages, merged in after layout."""
        if not (self.appendix.is_uploaded and self.appendix.is_pdf):
            return []
        return [f"upload-{self.number}-{page}" for page in range(1, (self.appendix.file_pages or 0) + 1)]


@dataclass
class PackContent:
    meeting: Meeting
    narrative: Narrative | None
    as_at: datetime
    recommendations: list[RecommendationPart]
    governance: list[GovernanceBody]
    sef: SefPart | None
    indicators: list[IndicatorRow]
    previous_as_at: datetime | None = None
    snapshot: dict[str, Any] = field(default_factory=dict)
    compared_with: dict[str, Any] = field(default_factory=dict)
    front_sheet: FrontSheet | None = None
    appendices: list[PackAppendix] = field(default_factory=list)
    annual_update: AnnualUpdate | None = None  # the opening published with the summaries the pack prints
    audience: Any = None  # what a report type other than the Board's adds: reports.audiences.AudiencePart


def plan_parts(partnership: Partnership, as_at: datetime) -> list[RecommendationPart]:
    actions = list(action_selectors.actions_in(partnership).order_by("recommendation__number", "order"))
    latest = action_selectors.latest_approved_by_action(partnership, actions, as_at)
    summaries: dict[int, RecommendationSummary] = {}
    for summary in RecommendationSummary.objects.filter(
        recommendation__plan__partnership=partnership, recommendation__plan__status="published"
    ).order_by("recommendation_id", "-year"):
        summaries.setdefault(summary.recommendation_id, summary)
    plan = action_selectors.published_plan(partnership)
    recommendations = list(plan.recommendations.order_by("number")) if plan else []
    rows: dict[int, list[ActionRow]] = defaultdict(list)
    for action in actions:
        rows[action.recommendation_id].append(ActionRow(action, latest.get(action.pk)))
    return [RecommendationPart(r, summaries.get(r.pk), rows[r.pk]) for r in recommendations]


def latest_comparator(comparators: list[Comparator], geography: str) -> Comparator | None:
    matching = [c for c in comparators if c.geography == geography]
    return max(matching, key=lambda c: c.reference_date) if matching else None


def indicator_rows(partnership: Partnership, as_at: datetime) -> list[IndicatorRow]:
    indicators = list(
        kpi_selectors.visible_indicators(partnership, PACK_READER_ROLES)
        .select_related("owner_organisation", "partnership")
        .prefetch_related("comparators")
        .order_by("code")
    )
    history: dict[int, list[Return]] = defaultdict(list)
    breakdowns: dict[int, list[Return]] = defaultdict(list)
    # The headline figures and the breakdowns in one query: a breakdown is never read as the indicator's value.
    for value in (
        kpi_selectors.current_returns()
        .filter(kpi_selectors.known_by(as_at), indicator__in=indicators)
        .order_by("indicator_id", "reference_date", "submitted_at", "pk")
    ):
        (breakdowns if value.breakdown else history)[value.indicator_id].append(value)
    rows = []
    for indicator in indicators:
        returns = history[indicator.pk]
        points = []
        for r in returns:
            hidden = suppressed(indicator, r.value, r.numerator, r.denominator)
            points.append(
                Point(
                    r.reference_date,
                    period_dated(r.period_label),
                    None if hidden else r.value,
                    figure_shown(indicator, r),
                )
            )
        latest = returns[-1] if returns else None
        comparators = [
            c for c in indicator.comparators.all() if c.reference_date <= timezone.localtime(as_at).date()
        ]
        rows.append(
            IndicatorRow(
                indicator=indicator,
                points=points,
                latest=latest,
                latest_shown=points[-1].shown if points else "No figure yet",
                england=latest_comparator(comparators, Geography.ENGLAND),
                region=latest_comparator(comparators, Geography.REGION),
                comparators=comparators,
                groups=group_figures(
                    indicator,
                    kpi_selectors.latest_breakdown(breakdowns[indicator.pk])
                    if indicator.breakdown_topic
                    else [],
                ),
                not_exact=not_exact_dates(returns),
            )
        )
    for row in rows:
        row.chart_svg = trend_chart(row)
    return rows


def trend_chart(row: IndicatorRow) -> str:
    """The indicator's trend beside England and the region; none when there is no local figure to draw."""
    local = row.chart_points
    if not any(value is not None for _, value in local):
        return ""
    indicator = row.indicator
    series = [
        ChartSeries(indicator.partnership.short_name, local, "local", row.not_exact),
        *comparator_chart_series(row.comparators, Geography.ENGLAND, "England"),
        *comparator_chart_series(row.comparators, Geography.REGION, indicator.partnership.region or "Region"),
    ]
    return trend_chart_svg(
        title=indicator.title,
        description=(
            f"{indicator.title} by period, {indicator.get_better_display().lower()}. "
            "The axis starts at 0. The figures are in the table below the chart."
        ),
        y_label=indicator.get_unit_display(),
        series=series,
        width=640,
        height=230,
        chart_id=f"chart-{indicator.pk}",
        from_zero=True,  # as on the board's page: every unit the portal keeps counts from a real zero
    )


def sef_part(
    partnership: Partnership, evaluation: SelfEvaluation | None = None, on: date | None = None
) -> SefPart | None:
    """The given SEF version, or else the one awaiting the Board's agreement or last agreed on that date."""
    evaluation = evaluation or selectors.sef_for_pack(partnership, on)
    if evaluation is None:
        return None
    areas = [
        (a, sef_selectors.items_by_heading(a)) for a in sef_selectors.area_evaluations_in_full(evaluation)
    ]
    return SefPart(
        evaluation=evaluation,
        sections=list(sef_selectors.sections_of(evaluation)),
        areas=areas,
        groups=list(sef_selectors.priority_groups_of(evaluation)),
    )


def snapshot_of(parts: list[RecommendationPart], indicators: list[IndicatorRow]) -> dict[str, Any]:
    """What a pack said about each action and indicator, kept with the pack to compare the next one with."""
    return {
        "actions": {
            row.action.reference: {
                "rag": row.rag_text,
                "lifecycle": row.action.lifecycle,
                "due": row.action.due_date.isoformat() if row.action.due_date else None,
            }
            for part in parts
            for row in part.rows
        },
        "indicators": {
            row.indicator.code: {
                "title": row.indicator.title,
                "value": row.latest_shown,
                "period": row.latest.period_label if row.latest else "",
            }
            for row in indicators
        },
    }


def gather(
    meeting: Meeting, as_at: datetime | None = None, previous: dict[str, Any] | None = None
) -> PackContent:
    """Everything a pack for the meeting shows, as at the given time (now by default)."""
    as_at = as_at or timezone.now()
    partnership = meeting.partnership
    parts = plan_parts(partnership, as_at)
    indicators = indicator_rows(partnership, as_at)
    snapshot = snapshot_of(parts, indicators)
    if previous is not None:
        for part in parts:
            for row in part.rows:
                reference = row.action.reference
                row.change = action_change(
                    previous.get("actions", {}).get(reference), snapshot["actions"][reference]
                )
    appendices = selectors.appendices_of(meeting)
    sef = sef_part(partnership, on=timezone.localtime(as_at).date())
    governance = selectors.governance_of(partnership)
    return PackContent(
        meeting=meeting,
        narrative=numbered(
            getattr(meeting, "narrative", None), appendices
        ),  # a new meeting's draft is written from this
        as_at=as_at,
        recommendations=parts,
        governance=governance,
        sef=sef,
        indicators=indicators,
        snapshot=snapshot,
        front_sheet=selectors.front_sheet_of(partnership),
        appendices=pack_appendices(partnership, appendices, sef, governance),
        annual_update=selectors.annual_update_of(partnership, newest_summary_year(parts)),
    )


def newest_summary_year(parts: list[RecommendationPart]) -> str | None:
    """The year of the summaries the annual update prints (each recommendation's newest)."""
    return max((part.summary.year for part in parts if part.summary), default=None)


def comparison_baseline(meeting: Meeting, as_at: datetime | None) -> dict[str, Any]:
    """What 'changes since the last pack' in a pack with data as at `as_at` is measured from: the same board's
    previous meeting, as its latest published version said, or else as its data stood at its cut-off; where that
    meeting is still to come and the board has been given nothing for it, the last meeting whose data had been cut
    off by then. Empty for a board's first meeting."""
    previous = selectors.previous_meeting(meeting)
    pack = selectors.latest_published_pack(previous) if previous else None
    if previous is not None and pack is None and as_at is not None and previous.cut_off_at > as_at:
        previous = selectors.previous_meeting(meeting, as_at)
        pack = selectors.latest_published_pack(previous) if previous else None
    if previous is None:
        return {}
    if pack is not None and pack.as_at is not None:
        measured_at, version, said = pack.as_at, pack.version, pack.snapshot
    else:
        measured_at = min(previous.cut_off_at, timezone.now())
        version, said = None, gather(previous, measured_at).snapshot
    return {
        "meeting": str(previous),
        "meeting_date": previous.date.isoformat(),
        "as_at": measured_at.isoformat(),
        "version": version,
        "snapshot": said,
    }


def numbered(narrative: Narrative | None, appendices: list[Appendix]) -> Narrative | None:
    """A copy of the narrative, never saved, whose cross-references name the appendices' current numbers."""
    if narrative is None:
        return None
    printed = copy(narrative)
    for name in ["executive_summary", "recommendations", "background", "impact", "priorities"]:
        setattr(printed, name, with_appendix_numbers(getattr(narrative, name), appendices))
    for name in ["progress", "recommendation_wording", "sections"]:
        texts = getattr(narrative, name)
        setattr(printed, name, {key: with_appendix_numbers(text, appendices) for key, text in texts.items()})
    return printed


def pack_appendices(
    partnership: Partnership,
    appendices: list[Appendix],
    default_sef: SefPart | None,
    governance: list[GovernanceBody],
) -> list[PackAppendix]:
    relations = selectors.governance_relations_of(partnership)
    built = []
    for number, appendix in enumerate(appendices, start=1):
        item = PackAppendix(number, appendix, document=appendix.document)
        if appendix.kind == Appendix.Kind.SEF:
            item.sef = sef_part(partnership, appendix.evaluation) if appendix.evaluation else default_sef
        if appendix.kind == Appendix.Kind.GOVERNANCE_CHART and not appendix.is_uploaded:
            item.relations = relations
            item.chart_svg = governance_chart_svg(
                governance,
                relations,
                title=appendix.title,
                chart_id=f"chart-{item.anchor}",
            )
        built.append(item)
    return built
