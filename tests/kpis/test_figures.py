from decimal import Decimal

import pytest

from kpis.figures import OFF_TARGET, ON_TARGET, WITHIN_TOLERANCE, format_number, rag_for, suppressed
from kpis.models import Better, Indicator, Unit


def indicator(**fields) -> Indicator:
    defaults = {"unit": Unit.COUNT, "better": Better.HIGHER, "suppress_small_numbers": True}
    return Indicator(**(defaults | fields))


@pytest.mark.parametrize("count", [1, 2, 3, 4])
def test_counts_from_one_to_four_are_suppressed(count):
    assert suppressed(indicator(), Decimal(count), None, None)


@pytest.mark.parametrize("count", [0, 5, 11, 1361])
def test_zero_and_counts_of_five_or_more_are_shown(count):
    assert not suppressed(indicator(), Decimal(count), None, None)


def test_a_percentage_is_suppressed_with_its_small_numerator_or_denominator():
    rate = indicator(unit=Unit.PERCENTAGE)
    assert suppressed(rate, Decimal("75"), 3, 4)
    assert suppressed(rate, Decimal("2"), 10, 4) is True  # the denominator alone is small
    assert not suppressed(rate, Decimal("3"), 30, 1000)  # a small percentage is not a small count


@pytest.mark.parametrize(
    ("percentage", "denominator"),
    [("20", 5), ("1", 200), ("50", 8), ("96", 100), ("99.5", 400)],
)
def test_a_percentage_is_suppressed_when_its_denominator_lets_a_small_count_be_worked_out(
    percentage, denominator
):
    # 20% of 5 is one child; 96% of 100 leaves four children outside the figure.
    assert suppressed(indicator(unit=Unit.PERCENTAGE), Decimal(percentage), None, denominator)


@pytest.mark.parametrize(("percentage", "denominator"), [("50", 10), ("0", 40), ("100", 40), ("10", 50)])
def test_a_percentage_whose_implied_counts_are_all_safe_is_shown(percentage, denominator):
    assert not suppressed(indicator(unit=Unit.PERCENTAGE), Decimal(percentage), None, denominator)


def test_the_rest_of_the_denominator_is_protected_as_well_as_the_count():
    assert suppressed(indicator(unit=Unit.PERCENTAGE), Decimal("97"), 97, 100)
    assert not suppressed(indicator(unit=Unit.PERCENTAGE), Decimal("90"), 90, 100)


def test_nothing_is_suppressed_when_the_indicator_does_not_ask_for_it():
    assert not suppressed(indicator(suppress_small_numbers=False), Decimal(2), 2, 3)


def test_rag_only_where_a_numeric_target_and_a_direction_exist():
    assert rag_for(indicator(target_value=None, target_text="words only"), Decimal(5)) is None
    assert rag_for(indicator(target_value=Decimal(90), better=Better.NEITHER), Decimal(5)) is None
    assert rag_for(indicator(target_value=Decimal(90)), None) is None


def test_rag_for_higher_is_better_with_a_tolerance():
    kpi = indicator(unit=Unit.PERCENTAGE, target_value=Decimal(90), tolerance=Decimal(5))
    assert rag_for(kpi, Decimal(90)) == ON_TARGET
    assert rag_for(kpi, Decimal("85")) == WITHIN_TOLERANCE
    assert rag_for(kpi, Decimal("84.9")) == OFF_TARGET


def test_rag_for_lower_is_better_and_no_tolerance_means_no_amber():
    kpi = indicator(unit=Unit.WEEKS, better=Better.LOWER, target_value=Decimal(18))
    assert rag_for(kpi, Decimal(12)) == ON_TARGET
    assert rag_for(kpi, Decimal("18.5")) == OFF_TARGET


def test_numbers_are_shown_with_their_unit_and_without_trailing_zeros():
    assert format_number(Decimal("1737.0000"), Unit.COUNT) == "1,737"
    assert format_number(Decimal("9.2500"), Unit.PERCENTAGE) == "9.25%"
    assert format_number(Decimal("28"), Unit.WEEKS) == "28 weeks"
    assert format_number(Decimal("1"), Unit.WEEKS) == "1 week"
