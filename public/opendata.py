"""The open data: published actions, their statuses month by month, the public indicators' values and their
comparators (England, the region and the statistical neighbours), as CSV and JSON at stable addresses, each with its data dictionary, licence and publication date.

The rows are what the last published Board pack showed (public.selectors). Figures go through the KPI exports'
own record (kpis.exports.export_record: suppression, plain decimals, the formula guard), and every text
cell of the other datasets through the same guard.
"""

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone

from actions.models import Action, ProgressUpdate, Recommendation
from core import spreadsheets
from core.documents import document_name
from kpis.exports import DATA_DICTIONARY as VALUE_MEANINGS
from kpis.exports import export_record, plain_decimal, safe_text
from kpis.models import UNIT_NAMES, Geography
from public import selectors
from public.models import PublicChoices
from reports.models import Pack

LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}

# The value columns of the KPI export that the public gets: what the figure is, not who entered it when.
VALUE_TYPES = {
    "indicator_code": "text",
    "indicator_title": "text",
    "unit": "text",
    "period_label": "text",
    "period_start": "date",
    "period_end": "date",
    "reference_date": "date",
    "breakdown_topic": "text",
    "breakdown": "text",
    "value": "decimal",
    "qualifier": "text",
    "numerator": "integer",
    "denominator": "integer",
    "suppressed": "yes or no",
    "data_quality": "text",
    "source_document": "text",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    meaning: str


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    section: str  # the public section it belongs to: hidden when the admin has not made that public
    columns: list[Column]
    rows: Callable[[PublicChoices, datetime | None], list[dict[str, str]]]


def as_text(value: object) -> str:
    return safe_text("" if value is None else str(value))


def action_record(
    recommendation: Recommendation, action: Action, update: ProgressUpdate | None
) -> dict[str, str]:
    """An action with its status, as the open data and the read API give it."""
    return {
        "recommendation": str(recommendation.number),
        "recommendation_title": recommendation.short_title,
        "reference": action.reference,
        "what_we_want": action.what_we_want,
        "what_we_will_do": action.what_we_will_do,
        "due_date": action.due_date.isoformat() if action.due_date else "",
        "lifecycle": action.get_lifecycle_display(),
        "status": update.rag.label if update else "",
        "status_meaning": update.rag.meaning if update else "",
        "status_month": update.period.start.strftime("%Y-%m") if update else "",
        "commentary": update.commentary if update else "",
    }


def action_rows(choices: PublicChoices, as_at: datetime | None) -> list[dict[str, str]]:
    return [
        {
            column: as_text(value)
            for column, value in action_record(part.recommendation, row.action, row.update).items()
        }
        for part in selectors.published_plan_parts(choices.partnership, as_at)
        for row in part.rows
    ]


def status_rows(choices: PublicChoices, as_at: datetime | None) -> list[dict[str, str]]:
    return [
        {
            "recommendation": as_text(update.action.recommendation.number),
            "reference": as_text(update.action.reference),
            "month": as_text(update.period.start.strftime("%Y-%m")),
            "status": as_text(update.rag.label),
            "status_meaning": as_text(update.rag.meaning),
            "approved_on": as_text(
                timezone.localdate(update.reviewed_at).isoformat() if update.reviewed_at else ""
            ),
        }
        for update in selectors.status_history(choices.partnership, as_at)
    ]


def value_rows(choices: PublicChoices, as_at: datetime | None) -> list[dict[str, str]]:
    return [
        {column: record[column] for column in VALUE_TYPES}
        for record in map(export_record, selectors.public_values(choices, as_at))
    ]


def comparator_rows(choices: PublicChoices, as_at: datetime | None) -> list[dict[str, str]]:
    return [
        {
            "indicator_code": as_text(comparator.indicator.code),
            "indicator_title": as_text(comparator.indicator.title),
            "unit": as_text(comparator.indicator.get_unit_display()),
            "comparator": as_text(comparator.get_geography_display()),
            "period_label": as_text(comparator.period_label),
            "reference_date": comparator.reference_date.isoformat(),
            "value": ""
            if comparator.value is None
            else plain_decimal(comparator.value, comparator.decimal_places),
            "qualifier": as_text(comparator.qualifier),
            "note": as_text(comparator.note),
            "source_document": as_text(document_name(comparator.source_document)),
        }
        for comparator in selectors.public_comparators(choices, as_at)
    ]


GEOGRAPHIES = ", ".join(str(label) for label in Geography.labels)
LIFECYCLES = ", ".join(str(label) for label in Action.Lifecycle.labels)
DATASETS = [
    Dataset(
        "actions",
        "Actions and their status",
        "Every action of the Strategic Action Plan with its status as the last published Board pack gave it.",
        "plan",
        [
            Column("recommendation", "integer", "The number of the recommendation the action belongs to"),
            Column("recommendation_title", "text", "The recommendation's short title"),
            Column("reference", "text", "The action's reference in the plan, for example R1.2"),
            Column("what_we_want", "text", "What the action is for, as the plan words it"),
            Column("what_we_will_do", "text", "What the partnership will do, as the plan words it"),
            Column(
                "due_date", "date", "When the action is due (ISO 8601); empty where the plan gives no date"
            ),
            Column("lifecycle", "text", f"Whether the action is still open: {LIFECYCLES}"),
            Column(
                "status", "text", "The RAG status of its latest approved progress update; empty if none yet"
            ),
            Column("status_meaning", "text", "What the status means, for example on track"),
            Column("status_month", "year and month", "The month the status describes (YYYY-MM)"),
            Column("commentary", "text", "The commentary approved with the status"),
        ],
        action_rows,
    ),
    Dataset(
        "statuses",
        "Action statuses month by month",
        "Each action's approved status for every month up to the last published Board pack.",
        "plan",
        [
            Column("recommendation", "integer", "The number of the recommendation the action belongs to"),
            Column("reference", "text", "The action's reference in the plan"),
            Column("month", "year and month", "The month the status describes (YYYY-MM)"),
            Column("status", "text", "The RAG status approved for that month"),
            Column("status_meaning", "text", "What the status means, for example on track"),
            Column(
                "approved_on",
                "date",
                "When a recommendation lead approved it (ISO 8601); empty for history loaded from published documents",
            ),
        ],
        status_rows,
    ),
    Dataset(
        "indicator-values",
        "Indicator values",
        "Every value of the indicators the partnership publishes, as known at the last published Board pack. "
        "Counts from 1 to 4 are suppressed to protect individuals.",
        "indicators",
        [Column(name, VALUE_TYPES[name], meaning) for name, meaning in VALUE_MEANINGS if name in VALUE_TYPES],
        value_rows,
    ),
    Dataset(
        "indicator-comparators",
        "Indicator comparators",
        "The figures for England, the region and the statistical neighbours that each public indicator is read "
        "beside, each with its period, as known at the last published Board pack.",
        "indicators",
        [
            Column("indicator_code", "text", "The indicator's code, as in the indicator values"),
            Column("indicator_title", "text", "What the indicator measures"),
            Column("unit", "text", f"The unit of the value: {UNIT_NAMES}"),
            Column("comparator", "text", f"Whose figure it is: {GEOGRAPHIES}"),
            Column("period_label", "text", "The period the figure is for, as its source gives it"),
            Column("reference_date", "date", "The date the figure describes (ISO 8601)"),
            Column(
                "value",
                "decimal",
                "The figure, a plain decimal; for statistical neighbours, the mean of their published figures. "
                "Empty where no figure was published",
            ),
            Column("qualifier", "text", "How the source words an approximate figure, for example around"),
            Column(
                "note",
                "text",
                "What the source says with the figure: for example the region's name, which neighbours the mean "
                "covers, or why no figure was published",
            ),
            Column(
                "source_document",
                "text",
                "Where the figure comes from, for example a national statistics release",
            ),
        ],
        comparator_rows,
    ),
]


def dataset_named(slug: str) -> Dataset:
    return next(dataset for dataset in DATASETS if dataset.slug == slug)


def datasets_of(choices: PublicChoices) -> list[Dataset]:
    """The datasets of the sections the admin has made public."""
    return [dataset for dataset in DATASETS if selectors.section_is_shown(choices, dataset.section)]


def dataset_in(choices: PublicChoices, slug: str) -> Dataset:
    found = next((dataset for dataset in datasets_of(choices) if dataset.slug == slug), None)
    if found is None:
        raise Http404("No such public dataset")
    return found


def described(dataset: Dataset, pack: Pack | None, as_at: datetime | None) -> dict[str, Any]:
    return {
        "title": dataset.title,
        "description": dataset.description,
        "licence": LICENCE,
        "published": timezone.localdate(pack.published_at).isoformat()
        if pack and pack.published_at
        else None,
        "data_as_at": timezone.localtime(as_at).isoformat() if as_at else None,
        "data_dictionary": [
            {"column": column.name, "type": column.type, "meaning": column.meaning}
            for column in dataset.columns
        ],
    }


def file_name(choices: PublicChoices, dataset: Dataset, file_format: str) -> str:
    return f"{choices.partnership.short_name.lower().replace(' ', '-')}-send-{dataset.slug}.{file_format}"


def download(dataset: Dataset, choices: PublicChoices, pack: Pack | None, file_format: str) -> HttpResponse:
    as_at = selectors.pack_data_time(pack)
    rows = dataset.rows(choices, as_at)
    name = file_name(choices, dataset, file_format)
    if file_format == "json":
        body = json.dumps({**described(dataset, pack, as_at), "rows": rows}, ensure_ascii=False, indent=1)
        return spreadsheets.download(body, "application/json; charset=utf-8", name)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[column.name for column in dataset.columns])
    writer.writeheader()
    writer.writerows(rows)
    return spreadsheets.csv_download(buffer.getvalue(), name)
