"""Figures in templates always pass through here, so suppression and RAG are the same on every page."""

from decimal import Decimal

from django import template

from kpis.figures import (
    SUPPRESSED_TEXT,
    Quality,
    Rag,
    annotated_figure,
    annotated_text,
    breakdown_caption,
    describe_quality,
    figure_text,
    format_number,
    in_sentence,
    period_dated,
    plain_quote,
    quality_of,
    rag_for,
    return_text,
    split_period,
    suppressed,
    words_shown,
    written_places,
)
from kpis.models import Indicator, Return

register = template.Library()


# The value as people read it, worded the one way kpis.figures gives it.
register.simple_tag(figure_text, name="kpi_figure")
register.simple_tag(return_text, name="kpi_return")
register.simple_tag(annotated_text, name="kpi_latest")
register.simple_tag(words_shown, name="kpi_words")
# The places a figure read from a form or a file was typed with, for showing it back as typed (5.0, not 5).
register.filter("written_places", written_places)
register.filter("in_sentence", in_sentence)
register.filter("breakdown_caption", breakdown_caption)
register.filter("plain_quote", plain_quote)


@register.simple_tag
def kpi_count(
    indicator: Indicator,
    value: Decimal | None,
    numerator: int | None,
    denominator: int | None,
    count: int | None,
) -> str:
    """A numerator or denominator, hidden whenever any count of the same return is."""
    if count is None:
        return ""
    if suppressed(indicator, value, numerator, denominator):
        return SUPPRESSED_TEXT
    return format_number(count)


@register.simple_tag
def kpi_rag(
    indicator: Indicator, value: Decimal | None, numerator: int | None = None, denominator: int | None = None
) -> Rag | None:
    # A RAG on a hidden figure would hint at it, so none is given.
    if suppressed(indicator, value, numerator, denominator):
        return None
    return rag_for(indicator, value)


@register.simple_tag
def kpi_latest_rag(indicator: Indicator) -> Rag | None:
    """The RAG of the latest figure annotated onto the indicator (kpis.figures.annotated_figure)."""
    latest = annotated_figure(indicator)
    return kpi_rag(indicator, latest.value, latest.numerator, latest.denominator)


@register.simple_tag
def kpi_number(value: Decimal | None, unit: str, qualifier: str = "", places: int | None = None) -> str:
    return format_number(value, unit, qualifier, places) if value is not None else "No figure given"


@register.filter
def period_only(label: str | None) -> str:
    """The period without the note that came with it in its document (the note is shown apart)."""
    return split_period(label)[0] if label else ""


@register.filter(name="period_dated")
def period_dated_filter(label: str | None) -> str:
    return period_dated(label) if label else ""


@register.filter
def period_note(label: str | None) -> str:
    return split_period(label)[1] if label else ""


@register.filter
def return_quality(returned: Return) -> Quality:
    return quality_of(returned)


@register.filter
def latest_quality(indicator: Indicator) -> Quality | None:
    """The data quality of the latest figure that `with_latest_quality` annotated, if there is one."""
    if not getattr(indicator, "latest_quality", None):
        return None
    return describe_quality(
        from_document=indicator.latest_submitted_by is None,  # type: ignore[attr-defined]
        data_quality=indicator.latest_quality,  # type: ignore[attr-defined]
        verified_at=indicator.latest_verified_at,  # type: ignore[attr-defined]
        verifier_organisation=indicator.latest_verifier_organisation,  # type: ignore[attr-defined]
        queried_at=indicator.latest_queried_at,  # type: ignore[attr-defined]
    )
