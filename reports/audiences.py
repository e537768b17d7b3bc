"""What the report types other than the Health and Wellbeing Board report add to a pack's content: RAG
movements, what needs attention, milestones due and missed, the risk log's top risks and their movement,
performance figures with their counts, and progress with its evidence for each recommendation. All of it is read
as at the pack's as-at time, from the same data as every other report."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.utils import timezone

from actions.models import Action, Evidence, Milestone
from core.models import Partnership
from kpis.figures import SUPPRESSED_TEXT, suppressed
from kpis.models import Indicator, Unit
from reports import selectors
from reports.changes import NO_APPROVED_UPDATE, Changes, compare
from reports.content import ActionRow, IndicatorRow, PackContent, status_counts
from reports.models import ReportType
from reports.report_types import CATALOGUE, IMPLICATIONS, kind_of, sections_of
from risks import selectors as risk_selectors
from risks.models import Risk, RiskMatrix
from risks.selectors import HeatRow, RiskAsAt

TOP_RISKS = 5


@dataclass
class Attention:
    row: ActionRow
    reasons: list[str]


@dataclass
class MilestoneRow:
    milestone: Milestone
    due: date
    status: str


@dataclass
class RiskRow:
    risk: RiskAsAt
    band: str
    movement: str


@dataclass
class FigureRow:
    """An indicator's latest figure with, for a percentage, the count and denominator it was worked out from."""

    indicator: IndicatorRow
    counted: str


@dataclass
class RecommendationProgress:
    number: int
    text: str
    progress: str
    rows: list[ActionRow]
    evidence: int
    indicators: list[IndicatorRow]


@dataclass
class PrintedSection:
    number: int
    key: str
    heading: str
    template: str


@dataclass
class AudiencePart:
    sections: list[PrintedSection]
    written: dict[str, str]
    implications: list[tuple[str, str]]
    changes: Changes | None
    attention: list[Attention]
    milestones_missed: list[MilestoneRow]
    milestones_due: list[MilestoneRow]
    due_until: date
    risk_matrix: RiskMatrix
    top_risks: list[RiskRow]
    heat_map: list[HeatRow]
    live_risks: int
    escalated_risks: int
    figures: list[FigureRow]
    progress: list[RecommendationProgress] = field(default_factory=list)
    # What the background holds besides its text: each recommendation's progress, unless the report has a section
    # of its own for it; the performance figures in the scrutiny template, not where democratic services choose
    # the sections, where "Performance figures" is one to tick or not.
    background_progress: bool = True
    background_performance: bool = True


def attention_of(rows: list[ActionRow], day: date, overdue: dict[int, int]) -> list[Attention]:
    """Open actions whose status asks for commentary (Red or Amber on the usual scale), with no approved update,
    past their due date, or with milestones overdue."""
    found = []
    for row in rows:
        action = row.action
        if action.lifecycle != Action.Lifecycle.OPEN:
            continue
        reasons = []
        if row.update is None:
            reasons.append(NO_APPROVED_UPDATE)
        elif row.update.rag.needs_commentary:
            reasons.append(f"{row.update.rag.label}: {row.update.rag.meaning}")
        if action.due_date and action.due_date < day:
            reasons.append(f"Past its due date of {action.due_date:%-d %B %Y}")
        if overdue.get(action.pk):
            count = overdue[action.pk]
            reasons.append(f"{count} milestone{'s' if count != 1 else ''} overdue")
        if reasons:
            found.append(Attention(row, reasons))
    return found


def milestone_rows(
    actions: list[Action], day: date, until: date
) -> tuple[list[MilestoneRow], list[MilestoneRow]]:
    """Milestones missed (due by the as-at day and not completed by then) and due before the next meeting."""
    missed, due = [], []
    for milestone in (
        Milestone.objects.filter(action__in=actions).select_related("action").order_by("due_date")
    ):
        when = milestone.current_due_date
        done = milestone.completed_on is not None and milestone.completed_on <= day
        if when <= day and not done:
            missed.append(MilestoneRow(milestone, when, f"Missed: due {when:%-d %B %Y}, not completed"))
        elif day < when <= until and not done:
            due.append(MilestoneRow(milestone, when, f"Due {when:%-d %B %Y}"))
    return missed, due


def movement(now: RiskAsAt, then: RiskAsAt | None, since: datetime | None) -> str:
    if since is None:
        return "First report of the risk log"
    if then is None:
        return "New since the last meeting"
    if now.residual_score > then.residual_score:
        return f"Up from {then.residual_score}"
    if now.residual_score < then.residual_score:
        return f"Down from {then.residual_score}"
    return "No change"


def live_as_at(partnership: Partnership, when: datetime) -> list[RiskAsAt]:
    """The risks open or escalated at a moment, as they stood then, highest score first."""
    return [row for row in risk_selectors.risks_as_at(partnership, when) if row.is_live]


def risk_rows(content: PackContent, matrix: RiskMatrix, live: list[RiskAsAt]) -> list[RiskRow]:
    """The top live risks as at the pack, each with its move since the last meeting."""
    since = content.previous_as_at
    then = (
        {row.risk.pk: row for row in risk_selectors.risks_as_at(content.meeting.partnership, since)}
        if since is not None
        else {}
    )
    return [
        RiskRow(row, matrix.band(row.residual_score), movement(row, then.get(row.risk.pk), since))
        for row in live[:TOP_RISKS]
    ]


def counted(row: IndicatorRow) -> str:
    """'123 of 456' beside a percentage, as the scrutiny committee asked: the figures, not the percentage alone."""
    latest = row.latest
    if latest is None or latest.value is None or row.indicator.unit != Unit.PERCENTAGE:
        return ""
    if suppressed(row.indicator, latest.value, latest.numerator, latest.denominator):
        return SUPPRESSED_TEXT
    if latest.numerator is None or latest.denominator is None:
        return "Count and denominator not supplied"
    return f"{latest.numerator:,} of {latest.denominator:,}"


def recommendation_progress(content: PackContent) -> list[RecommendationProgress]:
    actions = [row.action for part in content.recommendations for row in part.rows]
    evidence = dict(
        Evidence.objects.filter(
            update__action__in=actions, update__reviewed_at__lte=content.as_at, update__state="approved"
        )
        .values_list("update__action__recommendation_id")
        .annotate(count=Count("pk"))
    )
    by_indicator = {row.indicator.pk: row for row in content.indicators}
    linked: dict[int, list[IndicatorRow]] = {}
    links = Indicator.recommendations.through.objects.filter(indicator_id__in=by_indicator)
    for indicator_id, recommendation_id in links.values_list("indicator_id", "recommendation_id"):
        linked.setdefault(recommendation_id, []).append(by_indicator[indicator_id])
    narrative = content.narrative
    return [
        RecommendationProgress(
            number=part.recommendation.number,
            text=(
                narrative.recommendation_wording.get(str(part.recommendation.number)) if narrative else None
            )
            or part.recommendation.text,
            progress=narrative.progress.get(str(part.recommendation.number), "") if narrative else "",
            rows=part.rows,
            evidence=evidence.get(part.recommendation.pk, 0),
            indicators=linked.get(part.recommendation.pk, []),
        )
        for part in content.recommendations
    ]


@dataclass
class EasyAim:
    """One aim of the plan in plain words: how many things there are to do and how they are going."""

    number: int
    title: str
    total: int
    how: list[str]


@dataclass
class EasyRead:
    aims: list[EasyAim]
    live_risks: int


def plain_count(count: int, words: str) -> str:
    return f"{count} {'thing is' if count == 1 else 'things are'} {words}."


def easy_read_part(content: PackContent) -> EasyRead:
    """Short sentences in plain words: for each aim, the things to do counted by how they are going."""
    aims = []
    for part in content.recommendations:
        counts = status_counts(part.rows)
        how = [plain_count(counts.finished, "finished")] if counts.finished else []
        how += [plain_count(count, level.meaning.lower()) for level, count in counts.levels]
        how += [plain_count(counts.no_news, "waiting for news")] if counts.no_news else []
        aims.append(EasyAim(part.recommendation.number, part.recommendation.short_title, len(part.rows), how))
    return EasyRead(aims, len(live_as_at(content.meeting.partnership, content.as_at)))


def audience_part(content: PackContent) -> AudiencePart | EasyRead | None:
    """The extra content of a report type other than the Health and Wellbeing Board's; None for that one."""
    meeting = content.meeting
    if meeting.report_type == ReportType.HWBB:
        return None
    if meeting.report_type == ReportType.EASY_READ:
        return easy_read_part(content)
    keys = sections_of(meeting.report_type, meeting.sections)
    day = timezone.localdate(content.as_at)
    after = selectors.next_meeting(meeting)
    until = after.date if after else day + timedelta(days=31 * kind_of(meeting.report_type).cadence_months)
    rows = [row for part in content.recommendations for row in part.rows]
    actions = [row.action for row in rows]
    missed, due = milestone_rows(actions, day, until)
    overdue: dict[int, int] = {}
    for item in missed:
        overdue[item.milestone.action_id] = overdue.get(item.milestone.action_id, 0) + 1
    matrix = risk_selectors.matrix_of(meeting.partnership)
    live = live_as_at(meeting.partnership, content.as_at)
    written = content.narrative.sections if content.narrative else {}
    return AudiencePart(
        sections=[
            PrintedSection(number, key, CATALOGUE[key].heading, CATALOGUE[key].template)
            for number, key in enumerate(keys, start=1)
        ],
        written=written,
        implications=[(label, written.get(f"implications_{key}", "")) for key, label in IMPLICATIONS],
        changes=compare(content.compared_with["snapshot"], content.snapshot)
        if content.compared_with
        else None,
        attention=attention_of(rows, day, overdue),
        milestones_missed=missed,
        milestones_due=due,
        due_until=until,
        risk_matrix=matrix,
        top_risks=risk_rows(content, matrix, live),
        heat_map=risk_selectors.heat_map(matrix, live),
        live_risks=len(live),
        escalated_risks=sum(1 for row in live if row.status == Risk.Status.ESCALATED),
        figures=[FigureRow(row, counted(row)) for row in content.indicators],
        progress=recommendation_progress(content) if "progress" in keys else [],
        background_progress="progress" not in keys,
        background_performance=not kind_of(meeting.report_type).chooses_sections
        and "performance" not in keys,
    )
