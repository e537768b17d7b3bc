"""The first draft of a meeting's narrative, written from the data for the author to edit.

It says what changed since the last pack (RAG moves, actions completed, dates slipped, indicators that
moved) and carries forward the yearly summaries' "difference it made" and "priority" lines word for word.
"""

from typing import Any

from django.utils import timezone

from reports import selectors
from reports.changes import Changes, compare
from reports.content import RecommendationPart, gather
from reports.models import Meeting, Narrative

BACKGROUND_PROMPT = (
    "Write the background here: the area SEND inspection, its outcome and how the plan is monitored."
)


def listed(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def progress_text(part: RecommendationPart, changes: Changes | None, since: str) -> str:
    references = {row.action.reference for row in part.rows}
    statuses: dict[str, int] = {}
    for row in part.rows:
        statuses[row.rag_text] = statuses.get(row.rag_text, 0) + 1
    counts = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items()))
    paragraphs = [f"Of the {len(part.rows)} actions for this recommendation: {counts}."]
    if changes is not None:
        mine = Changes(
            rag_moves=[m for m in changes.rag_moves if m.split(":")[0] in references],
            completed=[r for r in changes.completed if r in references],
            slipped=[s for s in changes.slipped if s.split(":")[0] in references],
        )
        for heading, items in mine.headings():
            paragraphs.append(f"{heading} since the pack of {since}:\n{listed(items)}")
        if not mine.count:
            paragraphs.append(f"No action changed status or due date since the pack of {since}.")
    return "\n\n".join(paragraphs)


def draft_fields(meeting: Meeting) -> dict[str, Any]:
    previous_pack = selectors.last_ready_pack(meeting.partnership)
    previous_narrative = (
        Narrative.objects.filter(meeting__partnership=meeting.partnership)
        .exclude(meeting=meeting)
        .order_by("-meeting__date")
        .first()
    )
    content = gather(meeting, timezone.now())
    changes = compare(previous_pack.snapshot, content.snapshot) if previous_pack else None
    since = f"{previous_pack.as_at:%-d %B %Y}" if previous_pack and previous_pack.as_at else ""
    intro = "[Appendix: action status] sets out every action with its status and commentary. Below are the headlines."
    if changes is not None and changes.indicators_moved:
        intro += (
            f"\n\nIndicators with a new figure since the pack of {since}:\n{listed(changes.indicators_moved)}"
        )
    summaries = [part.summary for part in content.recommendations if part.summary]
    return {
        "executive_summary": f"To update the {meeting.body} on the SEND Area Strategic Action Plan progress",
        "background": previous_narrative.background if previous_narrative else BACKGROUND_PROMPT,
        "progress": {
            "intro": intro,
            **{
                str(part.recommendation.number): progress_text(part, changes, since)
                for part in content.recommendations
            },
        },
        "impact": "\n".join(s.difference_it_made for s in summaries),
        "priorities": "\n".join(s.priority.replace("\n", " ") for s in summaries),
    }
