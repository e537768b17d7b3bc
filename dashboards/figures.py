"""How a figure is shown: small-number suppression and the RAG against a target.

Every page and every export goes through these functions, so that a count from 1 to 4 is hidden the
same way wherever it appears, and a RAG is given only where a numeric target exists.
"""

from dataclasses import dataclass
from decimal import Decimal

from dashboards.models import Better, Indicator, Unit

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


def format_number(value: Decimal | int | None, unit: str = Unit.COUNT, qualifier: str = "") -> str:
    """The figure as people read it, with its unit and, where the source words it so, its qualifier:
    'around 5%', 'over 2,000'. Pages, the pack and the downloads all show figures through here."""
    if value is None:
        return ""
    number = Decimal(value).normalize()
    text = f"{number:,f}" if number == number.to_integral() else f"{number:,}"
    if unit == Unit.PERCENTAGE:
        text = f"{text}%"
    elif unit == Unit.MONEY:
        text = f"£{text}"
    elif unit in {Unit.WEEKS, Unit.DAYS}:
        text = f"{text} {unit}" if number != 1 else f"{text} {unit[:-1]}"
    return f"{qualifier} {text}" if qualifier else text


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
