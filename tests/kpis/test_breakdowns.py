"""Breakdowns as data: figures for one group of an indicator's cohort, beside its headline figure."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import Role
from dashboards import selectors as board_selectors
from kpis import selectors
from kpis.exports import COLUMNS, as_json
from kpis.models import Indicator, Return
from kpis.seed.loader import SEED_FILE, load_indicator, load_return
from kpis.services import Figures, ReturnInput, return_submit, returns_submit_all
from public.selectors import public_values
from reports import content as pack_content
from reports import selectors as report_selectors
from tests.conftest import public_everything
from tests.factories import OrganisationFactory, member
from tests.kpis.factories import IndicatorFactory, ReturnFactory, period_for

pytestmark = pytest.mark.django_db

SEED = json.loads(SEED_FILE.read_text(encoding="utf-8"))
LATER = timezone.now() + timedelta(days=1)


def broken_down_indicator(**fields: object) -> Indicator:
    """An indicator with a headline figure for January 2024 and two breakdowns of the same period."""
    indicator = IndicatorFactory(breakdown_topic="Primary need", **fields)
    ReturnFactory(indicator=indicator, value=40)
    ReturnFactory(indicator=indicator, breakdown="Autistic spectrum disorder", value=19.5)
    ReturnFactory(indicator=indicator, breakdown="Speech, language and communication needs", value=28.3)
    return indicator


def test_a_breakdown_and_the_headline_of_the_same_period_both_stand():
    indicator = broken_down_indicator()
    assert selectors.current_returns().filter(indicator=indicator).count() == 3
    assert list(selectors.headline_returns().filter(indicator=indicator).values_list("value", flat=True)) == [
        40
    ]


def test_breakdown_rows_do_not_change_the_latest_value_or_the_history_of_an_indicator():
    indicator = broken_down_indicator()
    # A breakdown for a later period than the headline is still not the indicator's latest value.
    ReturnFactory(
        indicator=indicator,
        breakdown="Social, emotional and mental health",
        reference_date=date(2024, 6, 30),
        period_label="June 2024",
        value=12,
    )
    listed = selectors.indicator_list(indicator.partnership, frozenset({Role.ADMIN})).get(pk=indicator.pk)
    assert listed.latest_value == 40 and listed.latest_period == "January 2024"
    assert [r.value for r in selectors.indicator_history(indicator)] == [40]


def test_the_board_reads_only_the_headline_figure():
    indicator = broken_down_indicator()
    moment = board_selectors.Moment(date(2024, 1, 1), None)
    values = board_selectors.indicator_values(indicator, moment)
    with_values = board_selectors.with_values(Indicator.objects.filter(pk=indicator.pk), moment).get()
    assert [r.value for r in values] == [40]
    assert with_values.latest_value == 40


def test_the_pack_and_the_public_pages_read_only_the_headline_figure():
    indicator = broken_down_indicator()
    latest = report_selectors.indicator_values_at([indicator], LATER)
    rows = {row.indicator.pk: row for row in pack_content.indicator_rows(indicator.partnership, LATER)}
    assert latest[indicator.pk].value == 40
    assert rows[indicator.pk].latest is not None and rows[indicator.pk].latest.value == 40
    assert [point.value for point in rows[indicator.pk].points] == [40]


def test_the_open_data_lists_each_breakdown_in_its_own_column():
    indicator = broken_down_indicator()
    choices = public_everything(indicator.partnership, indicator)
    values = json.loads(as_json(public_values(choices, LATER)))["values"]
    assert "breakdown" in COLUMNS
    assert [(v["breakdown"], v["value"]) for v in values] == [
        ("", "40"),
        ("Autistic spectrum disorder", "19.5"),
        ("Speech, language and communication needs", "28.3"),
    ]


def test_a_correction_of_a_breakdown_supersedes_that_breakdown_only():
    council = OrganisationFactory()
    officer = member(Role.OFFICER, council)
    indicator = IndicatorFactory(owner_organisation=council, breakdown_topic="Primary need")
    period = period_for(indicator)

    def submit(value: str, breakdown: str = "") -> Return:
        return return_submit(
            user=officer, item=ReturnInput(indicator, period, Figures(Decimal(value)), breakdown)
        )

    headline = submit("40")
    autism = submit("19.5", "Autistic spectrum disorder")
    corrected = submit("20", "Autistic spectrum disorder")

    assert autism.supersedes is None and corrected.supersedes == autism
    assert selectors.current_return_for(indicator, period) == headline
    assert selectors.current_return_for(indicator, period, "Autistic spectrum disorder") == corrected
    due = [d for d in selectors.returns_due(indicator.partnership, {council.pk}) if d.indicator == indicator]
    assert [d.current for d in due] == [headline]


def test_a_breakdown_is_refused_for_an_indicator_not_broken_down_and_the_same_group_twice_in_one_set():
    council = OrganisationFactory()
    officer = member(Role.OFFICER, council)
    plain = IndicatorFactory(owner_organisation=council, title="Plans issued in 20 weeks")
    broken_down = IndicatorFactory(owner_organisation=council, breakdown_topic="Primary need")
    period = period_for(plain)

    with pytest.raises(ValidationError) as refused:
        return_submit(user=officer, item=ReturnInput(plain, period, Figures(Decimal(50)), "Autism"))
    assert "Plans issued in 20 weeks is not broken down" in str(refused.value)

    twice = [ReturnInput(broken_down, period, Figures(Decimal(n)), "Autism") for n in (5, 6)]
    with pytest.raises(ValidationError, match="appears twice"):
        returns_submit_all(user=officer, items=twice)
    saved = returns_submit_all(
        user=officer,
        items=[
            ReturnInput(broken_down, period, Figures(Decimal(5)), "Autism"),
            ReturnInput(broken_down, period, Figures(Decimal(50))),
        ],
    )
    assert [r.breakdown for r in saved] == ["Autism", ""]


def seed_indicator(partnership, **extra: object) -> Indicator:
    """The first indicator of the Southend seed as the loader reads it, with extra keys (the `southend`
    fixture's council owns it)."""
    item = {**SEED["indicators"][0], "recommendations": [], **extra}
    return load_indicator(partnership, item, {})


def test_the_seed_loader_reads_a_breakdown_topic_and_breakdowns_and_loads_them_once(southend):
    partnership, _ = southend
    indicator = seed_indicator(partnership, breakdown_topic="Primary need")
    headline = {**SEED["returns"][0], "indicator": indicator.code}
    autism = {**headline, "breakdown": "Autistic spectrum disorder", "value": 19.5}
    for _ in range(2):
        for item in (headline, autism):
            load_return(indicator, item)

    indicator.refresh_from_db()
    assert indicator.breakdown_topic == "Primary need"
    loaded = Return.objects.filter(indicator=indicator).order_by("breakdown")
    assert [(r.breakdown, r.value) for r in loaded] == [
        ("", Decimal(headline["value"])),
        ("Autistic spectrum disorder", Decimal("19.5")),
    ]


def test_the_seed_loader_without_the_new_keys_loads_headline_figures_and_refuses_a_stray_breakdown(southend):
    partnership, _ = southend
    indicator = seed_indicator(partnership)
    load_return(indicator, {**SEED["returns"][0]})

    assert indicator.breakdown_topic == ""
    assert Return.objects.get(indicator=indicator).breakdown == ""
    with pytest.raises(ValueError, match="no breakdown_topic"):
        load_return(indicator, {**SEED["returns"][0], "breakdown": "Autism"})
