"""Words for the board dashboards, so that no status is shown by colour or symbol alone."""

from typing import Protocol

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from actions.models import RagLevel
from core.charts import BarPart, rag_bar_svg, small_multiples_svg
from dashboards.selectors import PeriodCounts, RagCount, Reading, counts_in_words

register = template.Library()

DIRECTIONS = {
    "better": "Improving",
    "worse": "Worsening",
    "same": "No change",
    "up": "Rising (neither direction is better)",
    "down": "Falling (neither direction is better)",
    "none": "Not enough values to say",
}


class ChartedPeriod(Protocol):
    period: str

    @property
    def charted_at(self) -> str: ...


@register.filter
def period_and_chart_month(row: ChartedPeriod) -> SafeString:
    """A value's period, and the month the chart places it at where the period does not say it. A filter, not an
    included template: an indicator's tables give one a row, hundreds a page."""
    charted_at = row.charted_at
    if not charted_at:
        return conditional_escape(row.period)
    return format_html(
        '{}<br><span class="govuk-body-s govuk-!-font-weight-regular">on the chart at {}</span>',
        row.period,
        charted_at,
    )


@register.filter
def get_level(levels: dict[int, RagLevel], pk: int | None) -> RagLevel | str:
    # rag_tag reads "" as no update yet.
    return levels.get(pk, "") if pk is not None else ""


@register.filter
def direction_text(reading: Reading) -> str:
    if reading.hidden:
        return "Not shown: small numbers"
    return DIRECTIONS[reading.direction]


def bar_parts(counts: list[tuple[RagLevel | None, int]]) -> list[BarPart]:
    return [
        BarPart(
            level.label if level else "No update recorded yet",
            number,
            level.colour if level else None,
        )
        for level, number in counts
    ]


@register.simple_tag
def rag_bar(counts: list[RagCount], subject: str) -> SafeString:
    """The bar of actions by RAG; its text equivalent names each level's count."""
    pairs = [(count.level, count.now) for count in counts]
    description = f"{subject}: {counts_in_words(pairs)}"
    return mark_safe(rag_bar_svg(bar_parts(pairs), description))  # noqa: S308 - every text in it is escaped


@register.simple_tag
def rag_trend(recent: list[PeriodCounts], subject: str) -> SafeString:
    """The last months as small multiples; the description reads out every month's counts."""
    description = f"{subject}, month by month: " + "; ".join(period.text for period in recent)
    columns = [(bar_parts(period.counts), period.still_being_reported) for period in recent]
    return mark_safe(small_multiples_svg(columns, description))  # noqa: S308 - every text in it is escaped
