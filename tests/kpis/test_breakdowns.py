"""Breakdowns as data: figures for one group of an indicator's cohort, beside its headline figure."""

import csv
import io
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, Role
from dashboards import selectors as board_selectors
from kpis import selectors
from kpis.exports import COLUMNS, as_json
from kpis.models import DataQuality, Indicator, Return, Unit
from kpis.national_services import national_indicator_adopt, national_statistics_import
from kpis.seed.loader import SEED_FILE, load_indicators, load_returns
from kpis.services import Figures, ReturnInput, return_submit, returns_submit_all
from kpis.uploads import COLUMNS as COLUMNS_UPLOADED
from public.selectors import public_values
from reports import content as pack_content
from reports import selectors as report_selectors
from tests.actions.factories import RecommendationFactory
from tests.conftest import public_everything
from tests.factories import OrganisationFactory, member
from tests.kpis.factories import IndicatorFactory, ReturnFactory, period_for
from tests.kpis.statistics_files import (
    SOUTHEND,
    TIMELINESS_HEADER,
    csv_bytes,
    timeliness_row,
    timeliness_rows,
)
from tests.kpis.upload_files import csv_file

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


def an_earlier_periods_group(indicator: Indicator) -> Return:
    """A figure for one group a year before the breakdown_indicator's period."""
    return ReturnFactory(
        indicator=indicator,
        breakdown="Autistic spectrum disorder",
        value=7,
        period_label="January 2023",
        reference_date=date(2023, 1, 31),
    )


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
        data_quality=DataQuality.UNABLE_TO_VERIFY,
    )
    [listed] = [
        i
        for i in selectors.indicator_list(indicator.partnership, frozenset({Role.ADMIN}))
        if i.pk == indicator.pk
    ]
    assert listed.latest_value == 40 and listed.latest_period == "January 2024"
    assert listed.latest_quality == DataQuality.VERIFIED
    assert [r.value for r in selectors.indicator_history(indicator)] == [40]


def test_the_board_reads_only_the_headline_figure():
    indicator = broken_down_indicator()
    moment = board_selectors.Moment(date(2024, 1, 1), None)
    values, breakdowns = board_selectors.indicator_values(indicator, moment)
    readings = board_selectors.readings(indicator.partnership, frozenset({Role.ADMIN}), moment)
    assert [r.value for r in values] == [40]
    assert [r.breakdown for r in breakdowns] == [
        "Autistic spectrum disorder",
        "Speech, language and communication needs",
    ]
    assert [reading.latest for reading in readings] == [40]


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


def submitted_as_a_set(officer, indicators, period, value: str) -> tuple[list[Return], list[str]]:
    """Each indicator's headline and one group's figure, confirmed as one upload; and the statements it made."""
    items = [
        ReturnInput(indicator, period, Figures(Decimal(value)), breakdown)
        for indicator in indicators
        for breakdown in ("", "Autism")
    ]
    with CaptureQueriesContext(connection) as queries:
        saved = returns_submit_all(user=officer, items=items)
    return saved, [q["sql"] for q in queries.captured_queries]


def test_a_set_corrects_each_standing_figure_and_is_read_and_written_in_as_many_statements_however_long():
    council = OrganisationFactory()
    officer = member(Role.OFFICER, council)
    indicators = [
        IndicatorFactory(owner_organisation=council, breakdown_topic="Primary need") for _ in range(4)
    ]
    period = period_for(indicators[0])
    first, _ = submitted_as_a_set(officer, indicators[:2], period, "10")
    submitted_as_a_set(officer, indicators[2:], period, "10")

    again, for_four_rows = submitted_as_a_set(officer, indicators[:2], period, "11")
    assert [r.supersedes for r in again] == first
    assert all(selectors.current_return_for(r.indicator, period, r.breakdown) == r for r in again)
    corrections = AuditEvent.objects.filter(verb=AuditEvent.Verb.CORRECTED, object_type="kpis.return")
    assert sorted(int(e.object_id) for e in corrections) == sorted(r.pk for r in again)
    assert [(e.before["value"], e.after["value"]) for e in corrections] == [("10.0000", "11")] * 4

    _, for_eight_rows = submitted_as_a_set(officer, indicators, period, "12")
    assert len(for_eight_rows) == len(for_four_rows)


def seed_indicator(partnership, **extra: object) -> Indicator:
    """The first indicator of the Southend seed as the loader reads it, with extra keys (the `southend`
    fixture's council owns it)."""
    item = {**SEED["indicators"][0], "recommendations": [], **extra}
    return load_indicators(partnership, [item], {})[item["code"]]


def test_the_seed_loader_reads_a_breakdown_topic_and_breakdowns_and_loads_them_once(southend):
    partnership, _ = southend
    indicator = seed_indicator(partnership, breakdown_topic="Primary need")
    headline = {**SEED["returns"][0], "indicator": indicator.code}
    autism = {**headline, "breakdown": "Autistic spectrum disorder", "value": 19.5}
    for _ in range(2):
        load_returns({indicator.code: indicator}, [headline, autism])

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
    load_returns({indicator.code: indicator}, [{**SEED["returns"][0]}])

    assert indicator.breakdown_topic == ""
    assert Return.objects.get(indicator=indicator).breakdown == ""
    with pytest.raises(ValueError, match="no breakdown_topic"):
        load_returns({indicator.code: indicator}, [{**SEED["returns"][0], "breakdown": "Autism"}])


# Entering a breakdown: the form and the upload


def test_the_return_form_takes_a_figure_for_one_group_named_under_the_indicators_topic(client, signed_in):
    council = OrganisationFactory()
    indicator = IndicatorFactory(owner_organisation=council, breakdown_topic="Primary need")
    ReturnFactory(indicator=indicator, breakdown="Autistic spectrum disorder", value=19)
    period = period_for(indicator, label="April 2025")
    signed_in(member(Role.OFFICER, council))
    enter = reverse("kpis:return_enter", args=[indicator.pk, period.pk])

    page = client.get(enter).content.decode()
    assert "One group, by primary need" in page and "Primary need (if the figure is for one group)" in page
    assert "Groups already returned: Autistic spectrum disorder" in page
    blank = client.post(enter, {"figure_for": "group", "breakdown": " ", "value": "20"}).content.decode()
    assert "Enter the primary need this figure is for" in blank and "govuk-error-summary" in blank
    unanswered = client.post(enter, {"value": "20"}).content.decode()
    assert "Select whether the figure is for the whole cohort or for one group" in unanswered

    checked = client.post(
        enter, {"figure_for": "group", "breakdown": "autistic spectrum disorder", "value": "21"}
    )
    page = client.get(checked["Location"]).content.decode()
    assert "Primary need" in page and "Autistic spectrum disorder" in page
    saved = client.post(checked["Location"], follow=True).content.decode()

    assert "Return saved" in saved and "(Autistic spectrum disorder)" in saved
    # Spelt as the group was first returned, so one group never shows as two.
    assert Return.objects.get(period=period).breakdown == "Autistic spectrum disorder"
    again = client.post(
        enter, {"figure_for": "group", "breakdown": "Autistic spectrum disorder", "value": "22"}
    )
    check = client.get(again["Location"]).content.decode()
    assert "This corrects the figure already returned for Autistic spectrum disorder: 21%" in check


def test_the_return_form_of_an_indicator_not_broken_down_asks_for_no_group(client, signed_in):
    council = OrganisationFactory()
    indicator = IndicatorFactory(owner_organisation=council)
    period = period_for(indicator)
    signed_in(member(Role.OFFICER, council))
    enter = reverse("kpis:return_enter", args=[indicator.pk, period.pk])

    assert "Who is this figure for?" not in client.get(enter).content.decode()
    checked = client.post(enter, {"value": "20", "figure_for": "group", "breakdown": "Autism"})
    client.post(checked["Location"])

    assert Return.objects.get(period=period).breakdown == ""


def test_an_upload_takes_an_optional_breakdown_column_and_refuses_a_group_where_there_is_none(
    client, signed_in
):
    council = OrganisationFactory()
    broken_down = IndicatorFactory(owner_organisation=council, code="NEEDS", breakdown_topic="Primary need")
    plain = IndicatorFactory(owner_organisation=council, code="PLAIN", title="Plans issued in 20 weeks")
    period = period_for(broken_down, label="April 2025")
    signed_in(member(Role.OFFICER, council))
    header = [*COLUMNS_UPLOADED, "breakdown"]

    refused = client.post(
        reverse("kpis:upload"),
        {
            "file": csv_file(
                [
                    ["NEEDS", "April 2025", "28.3", "", "", "", "Speech, language and communication needs"],
                    ["NEEDS", "April 2025", "28", "", "", "", "speech, language and communication needs"],
                    ["PLAIN", "April 2025", "50", "", "", "", "Autism"],
                    ["NEEDS", "April 2025", "19.5", "", "", "", "=HYPERLINK()"],
                ],
                header=header,
            )
        },
    )
    problems = [(e.line, e.column, e.message) for e in refused.context["report"]]
    assert (
        3,
        "indicator_code",
        "Duplicate row: NEEDS (speech, language and communication needs) for April 2025 is also on row 2",
    ) in problems
    assert any(
        line == 4 and "Plans issued in 20 weeks is not broken down" in message
        for line, _, message in problems
    )
    assert any(line == 5 and column == "breakdown" for line, column, _ in problems)
    assert not Return.objects.exists()

    accepted = client.post(
        reverse("kpis:upload"),
        {
            "file": csv_file(
                [
                    ["NEEDS", "April 2025", "40", "", "", "", ""],
                    ["NEEDS", "April 2025", "28.3", "", "", "", "Speech, language and communication needs"],
                    ["NEEDS", "April 2025", "19.5", "", "", "", "Autistic spectrum disorder"],
                    ["PLAIN", "April 2025", "50", "", "", "", ""],
                ],
                header=header,
            )
        },
    )
    preview = client.get(accepted["Location"]).content.decode()
    assert "Primary need: Autistic spectrum disorder" in preview
    client.post(accepted["Location"])
    saved = Return.objects.filter(period=period).order_by("pk")
    assert [(r.indicator.code, r.breakdown) for r in saved] == [
        ("NEEDS", ""),
        ("NEEDS", "Speech, language and communication needs"),
        ("NEEDS", "Autistic spectrum disorder"),
        ("PLAIN", ""),
    ]
    assert plain.returns.get().breakdown == ""


def test_the_upload_template_has_the_breakdown_column_for_an_organisation_returning_groups(client, signed_in):
    council = OrganisationFactory()
    indicator = IndicatorFactory(owner_organisation=council, code="NEEDS", breakdown_topic="Primary need")
    period_for(indicator, label="April 2025")
    signed_in(member(Role.OFFICER, council))

    lines = client.get(reverse("kpis:template_csv")).content.decode("utf-8-sig").strip().splitlines()

    assert lines[0] == "indicator_code,indicator,period,value,numerator,denominator,note,breakdown"
    assert f"NEEDS,{indicator.title},April 2025,,,,," in lines


# Reading a breakdown: the indicator page


def test_the_indicator_page_shows_the_latest_periods_groups_as_a_table_and_a_bar_chart(client, signed_in):
    indicator = broken_down_indicator(title="EHC plans by need", suppress_small_numbers=True, unit=Unit.COUNT)
    ReturnFactory(indicator=indicator, breakdown="Hearing impairment", value=3)
    ReturnFactory(
        indicator=indicator, breakdown="Moderate learning difficulty", value=120, qualifier="around"
    )
    an_earlier_periods_group(indicator)
    signed_in(member(Role.BOARD, indicator.owner_organisation))

    page = client.get(reverse("kpis:indicator", args=[indicator.pk])).content.decode()
    table = page.split('id="breakdown-caption"')[1].split("</table>")[0]
    chart = page.split('class="app-bar-chart"')[1].split("</svg>")[0]

    assert "By primary need" in page and "Broken down by" in page
    rows = [row.split("</tr>")[0] for row in table.split('<tr class="govuk-table__row">')[2:]]
    assert len(rows) == 4 and all("January 2024" in row for row in rows)
    assert "Autistic spectrum disorder" in rows[0] and ">19.5<" in rows[0]
    assert "Hearing impairment" in rows[2] and ">fewer than 5<" in rows[2]
    assert ">around 120<" in rows[3]
    assert "January 2023" not in table
    # The earlier period has its own table, after the latest one.
    earlier = page.split('id="breakdown-caption-january-2023"')[1].split("</table>")[0]
    assert "EHC plans by need: by primary need, January 2023" in earlier and ">7<" in earlier
    assert page.index('id="breakdown-caption"') < page.index('id="breakdown-caption-january-2023"')
    # The chart: a bar each group but the hidden one, its figure written beside it, named for assistive technology.
    assert chart.count("<rect") == 3 and "fewer than 5" in chart and ">3<" not in page
    assert 'role="img"' in page.split('class="app-bar-chart"')[0][-300:]
    assert "<title" in chart and "EHC plans by need: by primary need, January 2024" in chart
    # The headline stays the latest figure.
    assert "Latest figure: <strong>40</strong>" in page


def test_the_board_indicators_csv_gives_every_periods_group_figures_each_named_in_its_group_column(
    client, signed_in
):
    indicator = broken_down_indicator(suppress_small_numbers=True, unit=Unit.COUNT)
    ReturnFactory(indicator=indicator, breakdown="Hearing impairment", value=3)
    an_earlier_periods_group(indicator)
    signed_in(member(Role.BOARD, indicator.owner_organisation))

    response = client.get(reverse("boards:indicator_csv", args=[indicator.pk]))

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    local = [(row["Group"], row["Period"], row["Value"]) for row in rows if row["Series"] != "England"]
    assert local == [
        ("", "January 2024", "40"),
        ("Autistic spectrum disorder", "January 2023", "7"),
        ("Autistic spectrum disorder", "January 2024", "19.5"),
        ("Speech, language and communication needs", "January 2024", "28.3"),
        ("Hearing impairment", "January 2024", "fewer than 5"),
    ]
    assert all(row["Value as a number"] != "3" for row in rows)  # a hidden group's count is never written


def test_an_indicator_holding_only_breakdowns_says_so_on_the_list_and_on_its_page(client, signed_in):
    indicator = IndicatorFactory(title="EHC plans by primary need (%)", breakdown_topic="Primary need")
    ReturnFactory(indicator=indicator, breakdown="Autistic spectrum disorder", value=19.5)
    ReturnFactory(
        indicator=indicator,
        breakdown="Autistic spectrum disorder",
        value=17,
        period_label="January 2021",
        reference_date=date(2021, 1, 31),
        data_quality=DataQuality.PUBLISHED,
    )
    empty = IndicatorFactory(owner_organisation=indicator.owner_organisation, title="Nothing yet")
    signed_in(member(Role.BOARD, indicator.owner_organisation))

    listed = client.get(reverse("kpis:indicators")).content.decode()
    row = listed.split(indicator.title)[1].split("</tr>")[0]
    page = client.get(reverse("kpis:indicator", args=[indicator.pk])).content.decode()

    assert "Figures by primary need" in row and "January 2024" in row and "No returns yet" not in row
    # The data quality of the latest period's figures, not of an earlier period's.
    assert "From a published document" in row and "Published national statistics" not in row
    assert "No returns yet" in listed.split(empty.title)[1].split("</tr>")[0]
    assert "No values have been returned" not in page
    assert "No figure for the whole cohort has been returned" in page
    assert "Latest figure:" not in page


def test_the_recommendation_page_names_the_groups_figures_of_an_indicator_returned_only_by_group(
    client, signed_in
):
    recommendation = RecommendationFactory()
    council = OrganisationFactory(partnership=recommendation.plan.partnership)
    only_groups = IndicatorFactory(
        owner_organisation=council, title="By need", breakdown_topic="Primary need"
    )
    ReturnFactory(indicator=only_groups, breakdown="Autistic spectrum disorder", value=19.5)
    nothing = IndicatorFactory(owner_organisation=council, title="Nothing", breakdown_topic="Primary need")
    recommendation.indicators.add(only_groups, nothing)
    signed_in(member(Role.BOARD, council))

    page = client.get(reverse("boards:recommendation", args=[recommendation.pk])).content.decode()

    row = page.split(">By need</a>")[1].split("</tr>")[0]
    assert "Figures by primary need" in row and "January 2024" in row and "No value yet" not in row
    assert "No value yet" in page.split(">Nothing</a>")[1].split("</tr>")[0]


def test_every_periods_breakdown_is_shown_newest_first_in_the_same_number_of_queries(client, signed_in):
    indicator = IndicatorFactory(title="EHC plans by primary need (%)", breakdown_topic="Primary need")
    ReturnFactory(indicator=indicator, breakdown="Autistic spectrum disorder", value=19.5)
    signed_in(member(Role.BOARD, indicator.owner_organisation))
    url = reverse("kpis:indicator", args=[indicator.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one_period:
        client.get(url)
    for year in (2019, 2020, 2021):
        ReturnFactory(
            indicator=indicator,
            breakdown="Autistic spectrum disorder",
            value=year - 2000,
            period_label=f"January {year}",
            reference_date=date(year, 1, 31),
        )
    with CaptureQueriesContext(connection) as four_periods:
        page = client.get(url).content.decode()

    assert len(four_periods) == len(one_period)
    captions = [
        part.split("</p>")[0].split(">", 1)[1]
        for part in page.split('id="breakdown-caption')[1:]
        if "</p>" in part
    ]
    # Each table's caption names the topic once: the title already does.
    assert captions == [
        "EHC plans by primary need (%), January 2024",
        "EHC plans by primary need (%), January 2021",
        "EHC plans by primary need (%), January 2020",
        "EHC plans by primary need (%), January 2019",
    ]
    assert "by primary need by primary need" not in page.casefold()


def test_a_breakdown_caption_stands_outside_the_scrolling_table_so_it_wraps(client, signed_in):
    indicator = broken_down_indicator(title="Children with plans")
    signed_in(member(Role.BOARD, indicator.owner_organisation))

    page = client.get(reverse("kpis:indicator", args=[indicator.pk])).content.decode()
    before_region = page.split('class="app-scroll-region" role="region" aria-labelledby="breakdown-caption"')[
        0
    ]

    assert "Children with plans: by primary need, January 2024</p>" in before_region


def test_a_source_quote_is_shown_without_markdown_emphasis_and_stored_verbatim(client, signed_in):
    indicator = IndicatorFactory()
    quote = r"There are 3% more plans in total (1,361 in January 2019 to **1,399** in January 2021), a population\*\* of"
    returned = ReturnFactory(indicator=indicator, value=1399, source_quote=quote)
    signed_in(member(Role.BOARD, indicator.owner_organisation))

    page = client.get(reverse("kpis:indicator", args=[indicator.pk])).content.decode()

    assert "to 1,399 in January 2021), a population of" in page
    assert "**" not in page and "\\*" not in page
    returned.refresh_from_db()
    assert returned.source_quote == quote


def test_the_indicator_page_of_an_indicator_without_breakdowns_is_as_before(client, signed_in):
    indicator = IndicatorFactory()
    ReturnFactory(indicator=indicator, value=40)
    signed_in(member(Role.BOARD, indicator.owner_organisation))

    page = client.get(reverse("kpis:indicator", args=[indicator.pk])).content.decode()

    assert "Broken down by" not in page and "app-bar-chart" not in page and "Published breakdowns" not in page


def test_the_indicator_page_shows_the_published_national_breakdowns_beside_england(
    client, signed_in, southend
):
    partnership, admin = southend
    rows = [
        *timeliness_rows("2023"),
        timeliness_row(
            "2023",
            "National",
            issued="900",
            within="500",
            percent="55.5",
            breakdown=("Primary type of need", "Autistic spectrum disorder"),
        ),
        *timeliness_rows("2024"),
        timeliness_row(
            "2024",
            "National",
            issued="1000",
            within="480",
            percent="48.0",
            breakdown=("Primary type of need", "Autistic spectrum disorder"),
        ),
        timeliness_row(
            "2024",
            "Local authority",
            SOUTHEND,
            issued="x",
            within="x",
            percent="x",
            breakdown=("Age", "Under 5"),
        ),
    ]
    national_statistics_import(
        user=None,
        partnership=None,
        file_name="timeliness.csv",
        stream=io.BytesIO(csv_bytes(TIMELINESS_HEADER, rows)),
    )
    indicator = national_indicator_adopt(user=admin, partnership=partnership, code="SEN2_ISSUED_20_WEEKS_PC")
    signed_in(admin)

    page = client.get(reverse("kpis:indicator", args=[indicator.pk])).content.decode()
    published = page.split('id="national-breakdowns"')[1]

    assert "Calendar year 2024" in published and "Southend-on-Sea" in published and "England" in published
    need = published.split("Primary type of need, Calendar year 2024")[1].split("</table>")[0]
    assert (
        "Autistic spectrum disorder" in need and "30.0%" in need and "48.0%" in need
    )  # as the file writes them
    assert "55.5%" not in published  # an earlier year's
    age = published.split("Age, Calendar year 2024")[1].split("</table>")[0]
    assert "Not published (x: not available)" in age and "Under 5" in age
    # The headline figure is the file's total row, not a breakdown.
    assert "Latest figure: <strong>23.4%</strong>" in page


def test_a_group_waiting_for_verification_is_named_on_the_verify_pages(client, signed_in):
    council = OrganisationFactory()
    officer = member(Role.OFFICER, council)
    indicator = IndicatorFactory(
        owner_organisation=council, title="EHC plans", breakdown_topic="Primary need"
    )
    returned = return_submit(
        user=officer,
        item=ReturnInput(
            indicator, period_for(indicator), Figures(Decimal(19)), "Autistic spectrum disorder"
        ),
    )
    signed_in(member(Role.ADMIN, council))

    listed = client.get(reverse("kpis:verify_list")).content.decode()
    review = client.get(reverse("kpis:verify_return", args=[returned.pk])).content.decode()

    assert "Primary need: Autistic spectrum disorder" in listed
    assert "Primary need" in review and "Autistic spectrum disorder" in review
