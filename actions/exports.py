from django.http import HttpResponse
from django.utils import timezone

from actions.selectors import ActionRow
from core.spreadsheets import spreadsheet_response

HEADER = [
    "Reference",
    "Recommendation",
    "What we want",
    "What we will do",
    "Lifecycle",
    "Owning organisations",
    "Lead officer",
    "Original due date",
    "Revised due date",
    "Times re-planned",
    "Current RAG",
    "RAG period",
    "Last commentary",
    "Demo data",
]


def plan_export(rows: list[ActionRow], file_format: str) -> HttpResponse:
    """The plan with each action's current (latest approved) RAG and its last commentary."""
    lines = []
    for row in rows:
        action, latest = row.action, row.latest
        lines.append(
            [
                action.reference,
                action.recommendation.number,
                action.what_we_want,
                action.what_we_will_do,
                action.get_lifecycle_display(),
                "; ".join(o.name for o in action.owner_organisations.all()),
                action.lead_officer.get_full_name() if action.lead_officer else "",
                action.original_due_date or "",
                action.revised_due_date or "",
                action.replan_count,
                latest.rag.label if latest else "No update recorded yet",
                str(latest.period) if latest else "",
                latest.commentary if latest else "",
                "yes" if latest and latest.is_demo else "",
            ]
        )
    return spreadsheet_response(
        f"action-plan-{timezone.localdate():%Y-%m-%d}", HEADER, lines, file_format, title="Action plan"
    )
