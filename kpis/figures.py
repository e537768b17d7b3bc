"""How a figure is shown: small-number suppression and the RAG against a target.

Every page and every export goes through these functions, so that a count from 1 to 4 is hidden the
same way wherever it appears, and a RAG is given only where a numeric target exists.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from core.charts import Bar, ChartSeries, bar_chart_svg
from kpis.models import Better, Comparator, DataQuality, Indicator, Return, Unit

SMALL_NUMBERS = range(1, 5)
SUPPRESSED_TEXT = "fewer than 5"


def is_small(count: Decimal | int | None) -> bool:
    return count is not None and count == int(count) and int(count) in SMALL_NUMBERS


def suppressed(
    indicator: Indicator, value: Decimal | None, numerator: int | None, denominator: int | None
) -> bool:
    """Whether a return's figures must be hidden: any count in it from 1 to 4, when the indicator says so.

    A percentage is hidden with its numerator, or the small count could be worked back out of it.
    """
    if not indicator.suppress_small_numbers:
        return False
    counts: list[Decimal | int | None] = [numerator, denominator]
    if indicator.unit == Unit.COUNT:
        counts.append(value)
    counts += implied_counts(indicator, value, numerator, denominator)
    return any(is_small(count) for count in counts)


def words_shown(indicator: Indicator, returned: Return, words: str) -> str:
    """What a figure's note or quoted source may show: nothing where the figure is hidden as a small count, since the
    words given with a figure often say its number ("3 children are also subject to Child Protection Plans")."""
    return "" if suppressed(indicator, returned.value, returned.numerator, returned.denominator) else words


def implied_counts(
    indicator: Indicator, value: Decimal | None, numerator: int | None, denominator: int | None
) -> list[int]:
    """The counts a reader can work out from a percentage and its denominator: the children counted, and the
    rest of the denominator. 20% of 5 is one child; 96% of 100 leaves four children who were not counted."""
    if indicator.unit != Unit.PERCENTAGE or denominator is None:
        return []
    counted = numerator
    if counted is None and value is not None:
        counted = int((value * denominator / 100).to_integral_value())
    if counted is None:
        return []
    return [counted, denominator - counted]


def not_exact_dates(figures: Iterable[Return | Comparator]) -> frozenset[date]:
    """The dates of figures given with a qualifier ("around 5%", "over 200"), which a chart marks as not exact."""
    return frozenset(figure.reference_date for figure in figures if figure.qualifier)


def comparator_chart_series(
    comparators: Iterable[Comparator], geography: str, name: str
) -> list[ChartSeries]:
    """One geography's published figures as a line of a trend chart, or none where it has no figure."""
    for_geography = sorted(
        (c for c in comparators if c.geography == geography), key=lambda c: c.reference_date
    )
    points: list[tuple[date, float | None]] = [
        (c.reference_date, float(c.value)) for c in for_geography if c.value is not None
    ]
    return [ChartSeries(name, points, geography, not_exact_dates(for_geography))] if points else []


# A figure is stored to four decimal places, so it is never shown with more.
STORED_PLACES = 4


def written_places(value: Decimal | None) -> int | None:
    """The decimal places a figure was written with, up to the four it is stored to: 1 for 47.0, 0 for 47, 4 for
    33.33333 (stored as 33.3333); None for no figure."""
    return None if value is None else min(STORED_PLACES, max(0, -int(value.as_tuple().exponent)))


def as_written(value: Decimal, places: int | None = None) -> Decimal:
    """The figure with the decimal places its source wrote it with (47.0 stays 47.0); without them known, with no
    trailing zeros, since a stored figure has four places whatever its source gave."""
    return value.quantize(Decimal(1).scaleb(-places)) if places is not None else value.normalize()


def format_number(
    value: Decimal | int | None, unit: str = Unit.COUNT, qualifier: str = "", places: int | None = None
) -> str:
    """The figure as people read it, with its unit and, where the source words it so, its qualifier:
    'around 5%', 'over 2,000'; `places` are the decimal places its source wrote it with, where they are kept.
    Pages, the pack and the downloads all show figures through here."""
    if value is None:
        return ""
    number = as_written(Decimal(value), places)
    text = f"{number:,f}"
    if unit == Unit.PERCENTAGE:
        text = f"{text}%"
    elif unit == Unit.MONEY:
        text = f"£{text}"
    elif unit in {Unit.WEEKS, Unit.DAYS}:
        text = f"{text} {unit}" if number != 1 else f"{text} {unit[:-1]}"
    return f"{qualifier} {text}" if qualifier else text


def figure_text(
    indicator: Indicator,
    value: Decimal | None,
    numerator: int | None = None,
    denominator: int | None = None,
    qualifier: str = "",
    places: int | None = None,
) -> str:
    """The value as people read it: with its unit and qualifier (and the decimal places its source wrote it with,
    where they are known), hidden when it reveals a small count, or 'No figure given'. Pages, the pack and the read
    API word a figure through here."""
    if suppressed(indicator, value, numerator, denominator):
        return SUPPRESSED_TEXT
    if value is None:
        return "No figure given"
    return format_number(value, indicator.unit, qualifier, places)


def return_text(indicator: Indicator, returned: Return) -> str:
    """A return's figure as people read it, through figure_text."""
    return figure_text(
        indicator,
        returned.value,
        returned.numerator,
        returned.denominator,
        returned.qualifier,
        returned.decimal_places,
    )


@dataclass(frozen=True)
class AnnotatedFigure:
    value: Decimal | None
    numerator: int | None
    denominator: int | None
    qualifier: str
    places: int | None


def annotated_figure(indicator: Indicator, figure: str = "latest") -> AnnotatedFigure:
    """A return's figure read onto its indicator as annotations named after the figure ("latest_value",
    "latest_places" and so on: kpis.selectors.with_latest_return, dashboards.selectors.with_values)."""

    def read(column: str) -> Any:
        return getattr(indicator, f"{figure}_{column}")

    return AnnotatedFigure(
        read("value"), read("numerator"), read("denominator"), read("qualifier") or "", read("places")
    )


def annotated_text(indicator: Indicator, figure: str = "latest") -> str:
    """A figure annotated onto its indicator, as people read it, through figure_text."""
    shown = annotated_figure(indicator, figure)
    return figure_text(
        indicator, shown.value, shown.numerator, shown.denominator, shown.qualifier, shown.places
    )


@dataclass(frozen=True)
class Rag:
    key: str
    label: str
    tag_class: str


ON_TARGET = Rag("green", "Green: target met", "govuk-tag--green")
WITHIN_TOLERANCE = Rag("amber", "Amber: within tolerance", "govuk-tag--orange")
OFF_TARGET = Rag("red", "Red: target missed", "govuk-tag--red")


def rag_for(indicator: Indicator, value: Decimal | None) -> Rag | None:
    """Green at or beyond the target, amber within the tolerance of it, red further away.

    None where there is nothing to compare: no value, no numeric target, or no better direction.
    """
    if value is None or indicator.target_value is None or indicator.better == Better.NEITHER:
        return None
    shortfall = (
        indicator.target_value - value
        if indicator.better == Better.HIGHER
        else value - indicator.target_value
    )
    if shortfall <= 0:
        return ON_TARGET
    if indicator.tolerance is not None and shortfall <= indicator.tolerance:
        return WITHIN_TOLERANCE
    return OFF_TARGET


# Markdown emphasis left in a quote copied from a converted document: "**1,399**", "__x__", and escaped
# asterisks ("population\\*\\*", a footnote mark whose footnote the quote does not carry).
_EMPHASIS = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*|__(?=\S)(.+?)(?<=\S)__")
_ESCAPED_MARK = re.compile(r"\\[*_]")


def plain_quote(quote: str) -> str:
    """A source quote as readers read it, without the markdown emphasis the converted documents carry; the
    stored quote stays verbatim. Every page that shows a quote shows it through here."""
    text = _ESCAPED_MARK.sub("", quote)
    return _EMPHASIS.sub(lambda found: found[1] or found[2], text)


# A note in brackets at the end of a period label, as the label was taken from its document.
_PERIOD_NOTE = re.compile(r"^(?P<period>[^(]+?)\s*\((?P<note>[^()]*)\)$")


def split_period(label: str) -> tuple[str, str]:
    """A period and the note that came with it: "2022-23 (ASCOF year given ...)" gives both apart."""
    found = _PERIOD_NOTE.match(label.strip())
    if not found:
        return label.strip(), ""
    return found["period"], found["note"]


# A year as documents write one: "2024", "2023-24"; not a count such as "1200 children".
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def period_dated(label: str) -> str:
    """A period where its note is not shown beside it: the period alone, unless it names no year and its note
    does ("Current data (SEF dated 10 October 2024)"), when the two are given together ("Current data, SEF dated
    10 October 2024"): read beside "no newer figure: this one is 2 years old", "Current data" alone says the
    opposite."""
    period, note = split_period(label)
    return f"{period}, {note}" if not _YEAR.search(period) and _YEAR.search(note) else period


@dataclass(frozen=True)
class Quality:
    """What a reader is told about where a figure stands: never "Verified" unless someone verified it. The key
    says the same in the exports' data_quality column."""

    key: str
    label: str
    tag_class: str


# The qualities of a figure returned in the portal that no one has vouched for: readers are told so wherever it is
# shown as the latest.
UNCHECKED = frozenset({"queried", "not_yet_verified", "unable_to_verify"})
PUBLISHED_COMPARATOR = Quality("published_comparator", "Published comparator", "govuk-tag--blue")


def quality_of(returned: Return) -> Quality:
    """A figure taken from a published document, a return not yet verified, or one verified by a named body.

    Figures loaded from documents have no submitter: the portal checked nothing, whatever the document
    said of them, so they are never called verified. A verified return names the verifier's organisation
    when the selector annotated `verifier_organisation`.
    """
    return describe_quality(
        from_document=returned.submitted_by_id is None,
        data_quality=returned.data_quality,
        verified_at=returned.verified_at,
        verifier_organisation=getattr(returned, "verifier_organisation", None),
        queried_at=returned.queried_at,
    )


def describe_quality(
    *,
    from_document: bool,
    data_quality: str,
    verified_at: datetime | None,
    verifier_organisation: str | None,
    queried_at: datetime | None,
) -> Quality:
    if data_quality == DataQuality.PUBLISHED:
        return Quality("published", "Published national statistics", "govuk-tag--turquoise")
    if from_document:
        return Quality("from_document", "From a published document", "govuk-tag--blue")
    if queried_at and not (verified_at and verified_at > queried_at):
        # Sent back to its organisation for a correction: readers are told not to rely on it.
        return Quality("queried", "Queried: not to be relied on until corrected", "govuk-tag--red")
    if data_quality == DataQuality.VERIFIED and verified_at:
        who = verifier_organisation or "the partnership"
        return Quality("verified", f"Verified by {who} on {verified_at:%-d %B %Y}", "govuk-tag--green")
    if data_quality in {DataQuality.PROVISIONAL, DataQuality.VERIFIED}:
        return Quality("not_yet_verified", "Returned, not yet verified", "govuk-tag--grey")
    if data_quality == DataQuality.UNABLE_TO_VERIFY:
        return Quality("unable_to_verify", "Returned, could not be verified", "govuk-tag--orange")
    return Quality("not_captured", "Not captured", "govuk-tag--yellow")


# A breakdown: the figures for the groups of an indicator's cohort in one period


@dataclass(frozen=True)
class GroupFigure:
    """One group's figure as readers read it: hidden where it reveals a small count, like any other figure."""

    breakdown: str
    period: str
    shown: str
    value: Decimal | None  # None where there is no figure or it is hidden


def group_figures(indicator: Indicator, returns: list[Return]) -> list[GroupFigure]:
    figures = []
    for returned in returns:
        hidden = suppressed(indicator, returned.value, returned.numerator, returned.denominator)
        figures.append(
            GroupFigure(
                breakdown=returned.breakdown,
                period=split_period(returned.period_label)[0],
                shown=return_text(indicator, returned),
                value=None if hidden else returned.value,
            )
        )
    return figures


def in_sentence(topic: str) -> str:
    """A breakdown topic inside a sentence: "by primary need", yet "by SEN type" keeps its capitals."""
    if len(topic) > 1 and topic[1].isupper():
        return topic
    return topic[:1].lower() + topic[1:]


def breakdown_caption(indicator: Indicator, period: str) -> str:
    """What a breakdown's table or chart is called: the title, then the topic only where the title does not
    already name it ("EHC plans by primary need (%), January 2024", "Pupils with SEN: by primary need, ...")."""
    topic = in_sentence(indicator.breakdown_topic or "Group")
    if topic.casefold() in indicator.title.casefold():
        return f"{indicator.title}, {period}"
    return f"{indicator.title}: by {topic}, {period}"


@dataclass(frozen=True)
class Breakdown:
    """One period's figures for the groups of the cohort, with the caption its table and chart carry."""

    period: str
    caption: str
    groups: list[GroupFigure]


def breakdowns(indicator: Indicator, periods: list[list[Return]]) -> list[Breakdown]:
    """Each period's breakdown as readers read it, in the order given (newest first from the selector)."""
    found = []
    for returns in periods:
        groups = group_figures(indicator, returns)
        if groups:
            found.append(Breakdown(groups[0].period, breakdown_caption(indicator, groups[0].period), groups))
    return found


def breakdown_chart(indicator: Indicator, figures: list[GroupFigure]) -> str:
    """The groups' figures as bars, the longest for the largest; the table beside it gives the same figures."""
    if not figures:
        return ""
    period = figures[0].period
    listed = "; ".join(f"{figure.breakdown}: {figure.shown}" for figure in figures)
    return bar_chart_svg(
        title=breakdown_caption(indicator, period),
        description=f"{listed}. The same figures are in the table.",
        bars=[
            Bar(figure.breakdown, None if figure.value is None else float(figure.value), figure.shown)
            for figure in figures
        ],
        chart_id=f"breakdown-{indicator.pk}",
    )
