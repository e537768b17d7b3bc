"""The first draft of a meeting's narrative, written from the evidence for the author to edit.

Each section is drafted paragraph by paragraph, and each paragraph keeps where it came from: an officer's
approved update (quoted in their words, with the action reference), milestones completed, due dates moved,
RAG moves and linked indicators' new figures since the previous meeting of the same Board, the current year's
recommendation summaries, and the state of the SEF. The caller decides the window (`since`, `as_at`).

A redraft replaces only the sections the author has not changed since the last draft, unless the author asks
for a section by name; so edits survive.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from actions import selectors as action_selectors
from actions.models import ProgressUpdate, Recommendation, RecommendationSummary
from core.text import paragraphs
from kpis.figures import period_dated, return_text
from kpis.models import Indicator, Return
from reports import selectors
from reports.content import PACK_READER_ROLES, ActionRow, StatusCounts, plan_parts, status_counts
from reports.models import Meeting, Narrative
from reports.report_types import NarrativePart

BACKGROUND_PROMPT = (
    "Write the background here: the area SEND inspection, its outcome and how the plan is monitored."
)
STANDARD_WORDING = "The portal's standard wording"
# How sections 5 and 6 begin where no recommendation summary gives them anything (sections_still_to_write).
NO_IMPACT_SUMMARY = "No summary of the difference made in"
NO_PRIORITIES_SUMMARY = "No recommendation summary for"
DEFAULT_CADENCE_MONTHS = 6  # the Board has the SEND report twice a year


@dataclass
class Paragraph:
    text: str
    source: str


@dataclass
class Section:
    """One editable part of the narrative: its paragraphs, joined by a blank line or, for lists, a line."""

    paragraphs: list[Paragraph] = field(default_factory=list)
    one_per_line: bool = False

    @property
    def text(self) -> str:
        return ("\n" if self.one_per_line else "\n\n").join(p.text for p in self.paragraphs)

    def stored(self) -> dict[str, Any]:
        return {"text": self.text, "paragraphs": [[p.text, p.source] for p in self.paragraphs]}


@dataclass
class Window:
    """The evidence a draft is written from: between the previous meeting of the same Board and the as-at."""

    meeting: Meeting
    as_at: datetime
    previous: Meeting | None

    @property
    def since(self) -> datetime | None:
        """The previous meeting's data cut-off: what its pack already showed. None when there was none."""
        return self.previous.cut_off_at if self.previous else None

    @property
    def since_words(self) -> str:
        if self.previous is None:
            return "so far"
        return f"since the {self.previous.body} of {self.previous.date:%-d %B %Y}"


def long_date(day: date) -> str:
    return f"{day:%-d %B %Y}"


def one_line(text: str) -> str:
    """An officer's words as one paragraph: the pack's paragraphs are separated by blank lines."""
    return " ".join(text.split())


def listed(heading: str, items: list[str]) -> str:
    return "\n".join([heading, *(f"- {item}" for item in items)])


def academic_year_start(day: date) -> int:
    return day.year if day.month >= 9 else day.year - 1


def year_name(start: int) -> str:
    """An academic year as the documents write it: '2023-24'."""
    return f"{start}-{(start + 1) % 100:02d}"


def current_summary_year(as_at: datetime) -> str:
    """The yearly summary current at a date: the one for the academic year just finished ('2023-24' in
    December 2024), whose priorities are this year's."""
    return year_name(academic_year_start(timezone.localdate(as_at)) - 1)


def priorities_heading(as_at: datetime) -> str:
    start = academic_year_start(timezone.localdate(as_at))
    return f"Ongoing priorities for {start % 100:02d}/{(start + 1) % 100:02d}"


# Section 4: progress towards each recommendation


def update_paragraph(update: ProgressUpdate) -> Paragraph:
    reference = update.action.reference
    approved = f", approved {long_date(timezone.localdate(update.reviewed_at))}" if update.reviewed_at else ""
    by = f" by {update.reviewed_by.get_full_name()}" if update.reviewed_by else ""
    return Paragraph(
        f"{reference} ({update.period}): {one_line(update.commentary)}",
        f"Approved update for {reference}, {update.period}{approved}{by}",
    )


def moved_dates(updates: list[ProgressUpdate]) -> list[str]:
    return [
        f"{u.action.reference}: now due {long_date(u.proposed_due_date)}"
        + (f", because {one_line(u.proposed_due_reason)}" if u.proposed_due_reason else "")
        for u in updates
        if u.proposed_due_date
    ]


def rag_moves(rows: list[ActionRow], before: dict[int, ProgressUpdate]) -> list[str]:
    """Each action whose latest approved status differs from the one before the window."""
    moves = []
    for row in rows:
        then, latest = before.get(row.action.pk), row.update
        if then and latest and then.rag_id != latest.rag_id:
            moves.append(f"{row.action.reference}: {then.rag} to {latest.rag}")
    return moves


def indicators_found(indicators: list[Indicator], window: Window) -> tuple[str, list[str], str]:
    """The linked indicators' new figures since the last Board; before the first Board there is nothing to call
    new, so their latest figures instead (else every figure, however old, would be listed as its first)."""
    source = "KPI returns of the indicators linked to this recommendation"
    if window.previous is None:
        return "The linked indicators' latest figures:", latest_figures(indicators, window), source
    return (
        f"Linked indicators with a new figure {window.since_words}:",
        indicator_moves(indicators, window),
        source,
    )


def latest_figures(indicators: list[Indicator], window: Window) -> list[str]:
    now = selectors.indicator_values_at(indicators, window.as_at)
    return [
        f"{indicator.title}: {in_words(indicator, latest)}"
        for indicator in indicators
        if (latest := now.get(indicator.pk)) is not None
    ]


def in_words(indicator: Indicator, returned: Return) -> str:
    """A figure with its period, as the narrative gives it: "27% (2023-24)"."""
    return f"{return_text(indicator, returned)} ({period_dated(returned.period_label)})"


def indicator_moves(indicators: list[Indicator], window: Window) -> list[str]:
    """Each indicator whose latest figure changed in the window, as a reader would read both figures."""
    before = selectors.indicator_values_at(indicators, window.since)
    now = selectors.indicator_values_at(indicators, window.as_at)
    moves = []
    for indicator in indicators:
        latest: Return | None = now.get(indicator.pk)
        then = before.get(indicator.pk)
        if latest is None or (then is not None and then.pk == latest.pk):
            continue
        moves.append(
            f"{indicator.title}: {in_words(indicator, then)} to {in_words(indicator, latest)}"
            if then
            else f"{indicator.title}: {in_words(indicator, latest)}, its first figure"
        )
    return moves


def status_sentence(counts: StatusCounts) -> str:
    """The actions' statuses as the dashboard lists them: Red, Amber, Green in the scale's order, then the ended,
    then those with no approved update."""
    if not counts.actions:
        return "No actions are recorded for this recommendation."
    listed = [f"{count} {level}" for level, count in counts.levels]
    listed += [f"{count} {way}" for way, count in counts.ended]
    if counts.no_news:
        listed.append(f"{counts.no_news} with no approved update")
    noun = "action" if counts.actions == 1 else "actions"
    return f"Of the {counts.actions} {noun} for this recommendation: {', '.join(listed)}."


@dataclass
class Evidence:
    """Everything in the window, gathered once for the whole plan and shared out by recommendation."""

    updates: dict[int, list[ProgressUpdate]]
    milestones: dict[int, list[str]]
    # Each recommendation's actions with their latest approved update by the as-at, and each action's latest
    # approved update by the window's start.
    rows: dict[int, list[ActionRow]]
    before: dict[int, ProgressUpdate]
    indicators: dict[int, list[Indicator]]
    all_indicators: list[Indicator]
    recommendations: list[Recommendation]


def gather_evidence(window: Window) -> Evidence:
    partnership = window.meeting.partnership
    parts = plan_parts(partnership, window.as_at)
    rows = {part.recommendation.pk: part.rows for part in parts}
    everything = [row.action for listed in rows.values() for row in listed]
    updates: dict[int, list[ProgressUpdate]] = defaultdict(list)
    for update in selectors.approved_updates_between(partnership, window.since, window.as_at):
        updates[update.action.recommendation_id].append(update)
    milestones: dict[int, list[str]] = defaultdict(list)
    for milestone in selectors.milestones_completed_between(partnership, window.since, window.as_at):
        assert milestone.completed_on is not None  # the selector reads completed milestones only
        milestones[milestone.action.recommendation_id].append(
            f"{milestone.action.reference}: {milestone.title} ({long_date(milestone.completed_on)})"
        )
    indicators: dict[int, list[Indicator]] = defaultdict(list)
    linked = selectors.indicators_linked_to_plan(partnership, PACK_READER_ROLES)
    for indicator in linked:
        for recommendation in indicator.recommendations.all():
            indicators[recommendation.pk].append(indicator)
    return Evidence(
        updates=updates,
        milestones=milestones,
        rows=rows,
        before=action_selectors.latest_approved_by_action(partnership, everything, window.since)
        if window.since
        else {},
        indicators=indicators,
        all_indicators=linked,
        recommendations=[part.recommendation for part in parts],
    )


def progress_section(recommendation: Recommendation, evidence: Evidence, window: Window) -> Section:
    key = recommendation.pk
    section = Section()
    latest_per_action: dict[int, ProgressUpdate] = {}
    for update in evidence.updates[key]:
        if update.commentary.strip():
            latest_per_action[update.action_id] = update  # oldest first, so the last one stays
    section.paragraphs += [update_paragraph(u) for u in latest_per_action.values()]
    found = [
        (
            f"Milestones completed {window.since_words}:",
            evidence.milestones[key],
            "Milestones marked complete",
        ),
        (
            f"Due dates moved {window.since_words}:",
            moved_dates(evidence.updates[key]),
            "Approved due-date changes",
        ),
        (
            f"Status changes {window.since_words}:",
            rag_moves(evidence.rows[key], evidence.before),
            "Approved updates before and after the last Board",
        ),
        indicators_found(evidence.indicators[key], window),
    ]
    section.paragraphs += [
        Paragraph(listed(heading, items), source) for heading, items, source in found if items
    ]
    if not section.paragraphs:
        section.paragraphs.append(
            Paragraph(
                f"No update was approved and no milestone, date, status or linked indicator changed "
                f"{window.since_words}.",
                "Approved updates, milestones and KPI returns",
            )
        )
    section.paragraphs.append(
        Paragraph(
            status_sentence(status_counts(evidence.rows[key])),
            f"Action statuses at {long_date(timezone.localdate(window.as_at))}",
        )
    )
    return section


# Sections 1, 2, 3, 5 and 6


def recommendations_section(window: Window) -> Section:
    meeting = window.meeting
    section = Section(one_per_line=True)
    section.paragraphs.append(Paragraph("To note progress", STANDARD_WORDING))
    following = selectors.next_meeting(meeting)
    if following is not None:
        when, source = f"at its meeting of {long_date(following.date)}", f"The next {meeting.body} recorded"
    else:
        months = cadence_months(window)
        when, source = f"in {months} months", f"The {meeting.body}'s cadence: every {months} months"
    section.paragraphs.append(
        Paragraph(
            f"To request a further update on the area's progress in implementing the action plan {when}",
            source,
        )
    )
    sef = selectors.sef_awaiting_agreement(meeting, window.since)
    if sef is not None:
        section.paragraphs.append(
            Paragraph(
                "To agree the Self Evaluation Framework (SEF)",
                f"SEF version {sef.version} ({sef.dated_display}) awaits the Board's agreement",
            )
        )
    return section


def cadence_months(window: Window) -> int:
    """How far apart this Board hears the SEND report, from the gap since the last one it heard."""
    if window.previous is None:
        return DEFAULT_CADENCE_MONTHS
    previous, this = window.previous.date, window.meeting.date
    months = round(
        (this.year - previous.year) * 12 + this.month - previous.month + (this.day - previous.day) / 30
    )
    return months if 1 <= months <= 12 else DEFAULT_CADENCE_MONTHS


def summary_source(summary: RecommendationSummary, part: str) -> str:
    return f"Recommendation {summary.recommendation.number} summary {summary.year}, {part}"


def impact_section(
    window: Window, evidence: Evidence, summaries: list[RecommendationSummary], year: str
) -> Section:
    section = Section(one_per_line=True)
    section.paragraphs += [
        Paragraph(one_line(s.difference_it_made), summary_source(s, "the difference it made"))
        for s in summaries
        if s.difference_it_made.strip()
    ]
    section.paragraphs += [
        Paragraph(f"{move}.", "KPI returns of the indicators linked to the plan")
        for move in indicator_moves(evidence.all_indicators, window)
    ]
    if not section.paragraphs:
        section.paragraphs.append(
            Paragraph(
                f"{NO_IMPACT_SUMMARY} {year} has been written and no linked indicator has a "
                f"new figure {window.since_words}.",
                f"Recommendation summaries for {year} and KPI returns",
            )
        )
    return section


def priorities_section(summaries: list[RecommendationSummary], year: str, priorities_year: str) -> Section:
    section = Section(one_per_line=True)
    section.paragraphs += [
        Paragraph(one_line(s.priority), summary_source(s, s.priority_heading.lower()))
        for s in summaries
        if s.priority.strip()
    ]
    if not section.paragraphs:
        section.paragraphs.append(
            Paragraph(
                f"{NO_PRIORITIES_SUMMARY} {year} has set the priorities for {priorities_year} yet.",
                f"Recommendation summaries for {year}",
            )
        )
    return section


def background_section(window: Window) -> Section:
    previous = (
        window.previous.narrative if window.previous and hasattr(window.previous, "narrative") else None
    )
    if previous is None:
        return Section([Paragraph(BACKGROUND_PROMPT, STANDARD_WORDING)])
    source = f"Carried forward from the narrative for the {window.previous}"
    return Section(
        [Paragraph(text, source) for text in paragraphs(previous.background)],
    )


def drafting_window(meeting: Meeting, now: datetime) -> Window:
    """From the previous meeting's data cut-off to this meeting's cut-off, or now if that is still to come."""
    as_at = min(now, meeting.cut_off_at)
    return Window(meeting, as_at, selectors.previous_meeting(meeting, as_at))


def draft_sections(window: Window) -> dict[str, Section]:
    """Every section of the narrative, keyed as Narrative stores it ('progress:<number>' for 4.2 onwards)."""
    meeting, as_at = window.meeting, window.as_at
    year = current_summary_year(as_at)
    summaries = selectors.summaries_of_year(meeting.partnership, year)
    evidence = gather_evidence(window)
    return {
        "executive_summary": Section(
            [
                Paragraph(
                    f"To update the {meeting.body} on the SEND Area Strategic Action Plan progress",
                    STANDARD_WORDING,
                )
            ],
        ),
        "recommendations": recommendations_section(window),
        "background": background_section(window),
        "progress:intro": Section(
            [
                Paragraph(
                    "[Appendix: action status] sets out every action with its status and commentary. Below are the headlines "
                    f"{window.since_words}, in the officers' words from their approved updates.",
                    STANDARD_WORDING,
                )
            ],
        ),
        **{f"progress:{r.number}": progress_section(r, evidence, window) for r in evidence.recommendations},
        "impact": impact_section(window, evidence, summaries, year),
        "priorities_heading": Section([Paragraph(priorities_heading(as_at), f"The year {year}")]),
        "priorities": priorities_section(
            summaries, year, year_name(academic_year_start(timezone.localdate(as_at)))
        ),
    }


# Reading and writing a section of a Narrative by its key


def section_text(narrative: Narrative, key: str) -> str:
    if key.startswith("progress:"):
        return str(narrative.progress.get(key.removeprefix("progress:"), ""))
    return str(getattr(narrative, key))


def set_section_text(narrative: Narrative, key: str, text: str) -> None:
    if key.startswith("progress:"):
        narrative.progress = {**narrative.progress, key.removeprefix("progress:"): text}
    else:
        setattr(narrative, key, text)


def is_edited(narrative: Narrative, key: str) -> bool:
    """Whether the author changed the section since the portal last drafted it (or wrote it themselves)."""
    drafted = narrative.drafted.get(key)
    return drafted is None or drafted["text"].replace("\r\n", "\n") != section_text(narrative, key).replace(
        "\r\n", "\n"
    )


def draft_fields(meeting: Meeting, *, now: datetime) -> dict[str, Any]:
    """A new narrative's fields: every section drafted, the 3.4 wording carried from the last narrative."""
    narrative = Narrative(meeting=meeting, progress={})
    window = drafting_window(meeting, now)
    redraft_into(narrative, draft_sections(window), force=None)
    previous = window.previous
    wording = previous.narrative.recommendation_wording if previous and hasattr(previous, "narrative") else {}
    return {
        "executive_summary": narrative.executive_summary,
        "recommendations": narrative.recommendations,
        "background": narrative.background,
        "recommendation_wording": wording,
        "progress": narrative.progress,
        "impact": narrative.impact,
        "priorities_heading": narrative.priorities_heading,
        "priorities": narrative.priorities,
        "drafted": narrative.drafted,
    }


def redraft_into(narrative: Narrative, sections: dict[str, Section], force: set[str] | None) -> list[str]:
    """Put the new draft into the sections the author has not edited, and into those named in `force`
    (None: every section, for a new narrative). Returns the keys replaced."""
    replaced = []
    for key, section in sections.items():
        unwritten = not section_text(narrative, key).strip()
        if force is None or key in force or unwritten or not is_edited(narrative, key):
            set_section_text(narrative, key, section.text)
            narrative.drafted = {**narrative.drafted, key: section.stored()}
            replaced.append(key)
    return replaced


# What the editor is shown: each section the report prints, whether it is as drafted, and where its paragraphs
# came from

# How a drafted section begins where there was nothing to draft it from: the author still has to write it.
NOTHING_TO_DRAFT_FROM = (BACKGROUND_PROMPT, f"{NO_IMPACT_SUMMARY} ", f"{NO_PRIORITIES_SUMMARY} ")


def sections_still_to_write(narrative: Narrative, parts: list[NarrativePart]) -> list[str]:
    """The labels of the parts the report prints whose text is still the draft's note that there was nothing
    to draft them from."""
    return [
        part.label
        for part in parts
        if part.drafted and section_text(narrative, part.key).strip().startswith(NOTHING_TO_DRAFT_FROM)
    ]


def narrative_text(narrative: Narrative, parts: list[NarrativePart]) -> str:
    """The parts of the narrative the report prints, as one text, to find the appendices it names."""
    return "\n".join(section_text(narrative, part.key) for part in parts if part.drafted)


@dataclass
class SectionState:
    key: str
    label: str
    state: str
    paragraphs: list[tuple[str, str]]


def section_states(narrative: Narrative, parts: list[NarrativePart]) -> list[SectionState]:
    states = []
    for part in parts:
        if not part.drafted:
            continue
        drafted = narrative.drafted.get(part.key)
        if drafted is None:
            state = "Written by the author"
        elif is_edited(narrative, part.key):
            state = "Changed by the author"
        else:
            state = "As the portal drafted it"
        paragraphs = [(text, source) for text, source in drafted["paragraphs"]] if drafted else []
        states.append(SectionState(part.key, part.label, state, paragraphs))
    return states
