"""The actions table on a recommendation's dashboard: sortable, filterable, paginated, exportable."""

from dataclasses import dataclass
from datetime import date

import django_tables2 as tables
from django.utils.html import format_html

from actions.models import Action, ProgressUpdate, RagLevel
from dashboards.selectors import NAME_SEPARATOR

NOT_UPDATED = "not-updated"
FAR_FUTURE = date.max


@dataclass
class BoardActionRow:
    """An action as the table and its exports show it, with the RAG as at the chosen month."""

    action: Action
    latest: ProgressUpdate | None

    @property
    def reference(self) -> str:
        return self.action.reference

    @property
    def order(self) -> int:
        return self.action.order

    @property
    def what_we_want(self) -> str:
        return self.action.what_we_want

    @property
    def organisations(self) -> list[str]:
        names: str = getattr(self.action, "organisation_names", None) or ""
        return [name for name in names.split(NAME_SEPARATOR) if name]

    @property
    def organisations_text(self) -> str:
        return NAME_SEPARATOR.join(sorted(self.organisations)) or "Not assigned"

    @property
    def owner(self) -> str:
        officer = self.action.lead_officer
        return officer.get_full_name() if officer else "Not assigned"

    @property
    def owner_id(self) -> int | None:
        return self.action.lead_officer_id

    @property
    def rag(self) -> RagLevel | None:
        return self.latest.rag if self.latest else None

    @property
    def rag_key(self) -> str:
        return self.rag.key if self.rag else NOT_UPDATED

    @property
    def rag_text(self) -> str:
        return f"{self.rag.label} ({self.rag.meaning})" if self.rag else "No update recorded yet"

    @property
    def why_no_update(self) -> str:
        """Why a position has no RAG: the RAG is never guessed from what the plan's documents say."""
        first: date | None = getattr(self.action, "first_update_month", None)
        if first is None:
            return "No progress update has been approved for this action in the portal."
        return f"Its first approved update in the portal is for {first:%B %Y}."

    @property
    def rag_order(self) -> int:
        return self.rag.order if self.rag else 999

    @property
    def due_date(self) -> date | None:
        return self.action.due_date

    @property
    def due_order(self) -> date:
        return self.action.due_date or FAR_FUTURE

    @property
    def last_period(self) -> str:
        return str(self.latest.period) if self.latest else "None yet"

    @property
    def last_period_order(self) -> date:
        return self.latest.period.start if self.latest else date.min


class BoardActionTable(tables.Table):
    # The RAG comes straight after the action: on a phone the first two columns are what fits before scrolling.
    reference = tables.Column("Action", order_by=("order",))
    rag_text = tables.Column("RAG", order_by=("rag_order",))
    what_we_want = tables.Column("What we want to achieve", orderable=False)
    due_date = tables.DateColumn(
        format="j M Y", verbose_name="Due date", order_by=("due_order",), default="Not set"
    )
    organisations_text = tables.Column("Owner organisations")
    owner = tables.Column("Lead officer")
    last_period = tables.Column("Last approved update", order_by=("last_period_order",))

    class Meta:
        orderable = True

    def render_reference(self, record: BoardActionRow) -> str:
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>', record.action.get_absolute_url(), record.reference
        )

    def render_what_we_want(self, value: str) -> str:
        return value if len(value) <= 160 else value[:157].rstrip() + "…"

    def render_rag_text(self, record: BoardActionRow) -> str:
        if record.rag is None:
            return format_html(
                '<strong class="govuk-tag govuk-tag--grey">{}</strong><br><span class="govuk-body-s">{}</span>',
                record.rag_text,
                record.why_no_update,
            )
        return format_html('<strong class="govuk-tag {}">{}</strong>', record.rag.tag_class, record.rag_text)


EXPORT_HEADER = [
    "Reference",
    "What we want to achieve",
    "Owner organisations",
    "Lead officer",
    "RAG",
    "Due date",
    "Last approved update",
]


def export_rows(rows: list[BoardActionRow]) -> list[list[object]]:
    return [
        [
            row.reference,
            row.what_we_want,
            row.organisations_text,
            row.owner,
            row.rag_text,
            row.due_date or "",
            row.last_period,
        ]
        for row in rows
    ]
