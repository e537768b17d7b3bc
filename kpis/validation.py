"""The rules a return's figures must meet, shared by the form, the spreadsheet upload and the service."""

import re
from decimal import Decimal

from kpis.models import Indicator, ReturnPeriod, Unit

LARGEST_VALUE = Decimal("9999999999")
NUMBER = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
BREAKDOWN_LENGTH = 200  # kpis.models.Return.breakdown
WHOLE_NUMBER = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)$")
# A spreadsheet may run a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class FigureError(ValueError):
    """A figure that breaks a rule; the message is written for the person who typed it."""


def starts_like_formula(text: str) -> bool:
    # Leading spaces or line breaks would be trimmed before saving, so they hide nothing.
    return text.startswith(FORMULA_STARTS) or text.lstrip().startswith(FORMULA_STARTS)


def never_negative(what: str) -> str:
    return f"{what} must be 0 or more: figures are never negative"


def parse_number(text: str, *, whole: bool, what: str) -> Decimal:
    cleaned = text.strip()
    pattern = WHOLE_NUMBER if whole else NUMBER
    if cleaned.startswith("-") and pattern.match(cleaned[1:]):
        raise FigureError(never_negative(what))
    if cleaned.endswith("%") and pattern.match(cleaned[:-1].strip()):
        raise FigureError(f"{what} must be the number without the % sign, like 45 for 45%")
    if not pattern.match(cleaned):
        kind = "a whole number" if whole else "a number"
        raise FigureError(f"{what} must be {kind}, like 12{'' if whole else ' or 12.5'}, not ‘{cleaned}’")
    number = Decimal(cleaned.replace(",", ""))
    if number > LARGEST_VALUE:
        raise FigureError(f"{what} must be {LARGEST_VALUE:,} or less")
    return number


def check_value(indicator: Indicator, value: Decimal) -> None:
    if value < 0:
        raise FigureError("Value must be 0 or more")
    if indicator.unit == Unit.PERCENTAGE and value > 100:
        raise FigureError("Value is a percentage, so it must be between 0 and 100")
    if indicator.unit == Unit.COUNT and value != value.to_integral():
        raise FigureError("Value is a count, so it must be a whole number")
    if value > LARGEST_VALUE:
        raise FigureError(f"Value must be {LARGEST_VALUE:,} or less")


# How far a percentage may be from its numerator over its denominator: it may be rounded to a whole number.
PERCENTAGE_ROUNDING = Decimal("0.5")


def check_denominator(denominator: int | None) -> None:
    """A denominator is how many the figure is out of: a figure out of none is not a figure."""
    if denominator == 0:
        raise FigureError("Denominator must be more than 0: it is how many the figure is out of")


def check_fraction(
    indicator: Indicator, value: Decimal | None, numerator: int | None, denominator: int | None
) -> None:
    if numerator is None or denominator is None:
        return
    if numerator > denominator:
        raise FigureError(
            f"Numerator ({numerator:,}) must not be more than the denominator ({denominator:,})"
        )
    if indicator.unit == Unit.PERCENTAGE and value is not None and denominator:
        worked_out = Decimal(numerator) * 100 / denominator
        if abs(worked_out - value) > PERCENTAGE_ROUNDING:
            raise FigureError(
                f"{numerator:,} out of {denominator:,} is {worked_out.quantize(Decimal('0.1')).normalize():f}%, "
                f"not {value.normalize():f}%: check the value, the numerator and the denominator"
            )


def check_period(indicator: Indicator, period: ReturnPeriod) -> None:
    if period.frequency != indicator.frequency:
        raise FigureError(
            f"{period.label} is a {period.get_frequency_display().lower()} period, but "
            f"{indicator.code} is returned {indicator.get_frequency_display().lower()}"
        )
    if not period.is_open:
        raise FigureError(f"{period.label} is closed: returns for it can no longer be entered")


def check_breakdown(indicator: Indicator, breakdown: str) -> None:
    """A group named for an indicator broken down by a topic; none for one that is not."""
    if not breakdown:
        return
    if not indicator.breakdown_topic:
        raise FigureError(
            f"{indicator.title} is not broken down into groups: leave the breakdown empty "
            "for the figure for the whole cohort"
        )
    topic = indicator.breakdown_topic
    if len(breakdown) > BREAKDOWN_LENGTH:
        raise FigureError(f"{indicator.breakdown_topic} must be {BREAKDOWN_LENGTH} characters or fewer")
    if starts_like_formula(breakdown):
        raise FigureError(
            f"{indicator.breakdown_topic} must start with a letter or a number, not ‘{breakdown[0]}’"
        )
    if breakdown.casefold() in ("all", "total", topic.casefold()):
        raise FigureError(
            f"{topic} must name one group, not ‘{breakdown}’: a figure for everyone is for the whole cohort"
        )


def known_spelling(breakdown: str, known: list[str]) -> str:
    """A group as it was first returned where only its capitals differ ("autism" for "Autism"), so that one
    group never shows as two."""
    return next((name for name in known if name.casefold() == breakdown.casefold()), breakdown)
