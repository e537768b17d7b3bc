"""Approximate figures keep their qualifier ("around 5%", "over 2,000") wherever they are shown."""

import csv
import io
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kpis.figures import format_number
from kpis.models import Comparator, Geography, Qualifier, Return, Unit
from reports import services
from reports.content import indicator_rows
from reports.models import Appendix, Pack
from tests.kpis.factories import IndicatorFactory, ReturnFactory, period_for
from tests.reports.conftest import pdf_text
from tests.reports.factories import NarrativeFactory


def test_a_qualified_figure_reads_with_its_qualifier_and_an_exact_one_without():
    assert format_number(Decimal("5.0000"), Unit.PERCENTAGE, Qualifier.AROUND) == "around 5%"
    assert format_number(Decimal("2000"), Unit.COUNT, Qualifier.OVER) == "over 2,000"
    assert format_number(Decimal("10"), Unit.COUNT, Qualifier.APPROXIMATELY) == "approximately 10"
    assert format_number(Decimal("28"), Unit.WEEKS, Qualifier.AT_LEAST) == "at least 28 weeks"
    assert format_number(Decimal("2000"), Unit.COUNT) == "2,000"
    assert format_number(Decimal("180601"), Unit.COUNT, Qualifier.ABOUT) == "about 180,601"
    assert format_number(Decimal("630000"), Unit.MONEY, Qualifier.ALMOST) == "almost £630,000"
    assert format_number(Decimal("8"), Unit.COUNT, Qualifier.CIRCA) == "circa 8"


@pytest.fixture
def qualified(world):
    indicator = IndicatorFactory(
        owner_organisation=world.council, title="EHC plans issued within 20 weeks", unit=Unit.PERCENTAGE
    )
    ReturnFactory(
        indicator=indicator,
        value=5,
        qualifier=Qualifier.AROUND,
        period_label="As of June 2024",
        reference_date=date(2024, 6, 1),
        source_document="000_d50ea2fd0cf008ce.txt",
        submitted_by=None,
    )
    Comparator.objects.create(
        indicator=indicator,
        geography=Geography.ENGLAND,
        period_label="January 2024",
        reference_date=date(2024, 1, 1),
        value=50,
        qualifier=Qualifier.AROUND,
        source_document="000_d50ea2fd0cf008ce.txt",
    )
    return indicator


@pytest.mark.django_db
def test_pages_show_the_qualifier_with_the_figure(client, signed_in, world, qualified):
    signed_in(world.board)
    qualified.recommendations.add(world.recommendation)
    for url in [
        reverse("kpis:indicator", args=[qualified.pk]),
        reverse("boards:indicator", args=[qualified.pk]),
        reverse("boards:recommendation", args=[world.recommendation.pk]),
    ]:
        page = client.get(url).content.decode()
        assert "around 5%" in page, url
        assert "around 50%" in page, url


LOCAL_HOLLOW = 'fill="#ffffff" stroke="#1d70b8"'  # the local series' circle
ENGLAND_HOLLOW = 'fill="#ffffff" stroke="#0b0c0c"'  # England's square


@pytest.mark.django_db
def test_the_board_indicator_chart_draws_figures_that_are_not_exact_hollow(
    client, signed_in, world, qualified
):
    ReturnFactory(
        indicator=qualified, value=7, period_label="As of June 2025", reference_date=date(2025, 6, 1)
    )
    signed_in(world.board)

    page = client.get(reverse("boards:indicator", args=[qualified.pk])).content.decode()

    # Once in the chart for a wide screen and once in the one for a phone.
    assert page.count(LOCAL_HOLLOW) == 2
    assert page.count(ENGLAND_HOLLOW) == 2
    assert page.count(">Figure not exact</text>") == 2
    assert "A hollow marker is a figure that is not exact" in page


@pytest.mark.django_db
def test_the_packs_chart_draws_figures_that_are_not_exact_hollow(world, qualified):
    ReturnFactory(
        indicator=qualified, value=7, period_label="As of June 2025", reference_date=date(2025, 6, 1)
    )

    row = next(r for r in indicator_rows(world.partnership, timezone.now()) if r.indicator == qualified)

    assert row.chart_svg.count(LOCAL_HOLLOW) == 1
    assert row.chart_svg.count(ENGLAND_HOLLOW) == 1
    assert ">Figure not exact</text>" in row.chart_svg


@pytest.mark.django_db
def test_the_board_csv_gives_the_figure_with_its_qualifier_and_the_source_by_title(
    client, signed_in, world, qualified
):
    signed_in(world.board)
    response = client.get(reverse("boards:indicator_csv", args=[qualified.pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    local = next(row for row in rows if row["Period"] == "As of June 2024")
    assert local["Value"] == "around 5%"
    # The number alone, for a spreadsheet, with the words it is given with beside it.
    assert (local["Value as a number"], local["Qualifier of the number"]) == ("5", "around")
    assert local["Source"] == "Health and Wellbeing Board pack, 10 December 2024"
    england = next(row for row in rows if row["Series"] == "England")
    assert england["Value"] == "around 50%"
    assert ".txt" not in response.content.decode()


@pytest.mark.django_db
def test_the_open_data_keeps_the_value_numeric_with_the_qualifier_beside_it(
    client, signed_in, world, qualified
):
    signed_in(world.board)
    response = client.get(reverse("kpis:export_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(row for row in rows if row["indicator_title"] == qualified.title)
    assert (row["value"], row["qualifier"]) == ("5", "around")
    assert row["source_document"] == "Health and Wellbeing Board pack, 10 December 2024"


@pytest.mark.django_db
def test_the_pack_prints_the_qualifier_with_the_figure(world, qualified):
    meeting = NarrativeFactory(meeting__partnership=world.partnership).meeting
    Appendix.objects.create(
        meeting=meeting, order=99, kind=Appendix.Kind.KPIS, title="Key performance indicators"
    )
    pack = services.pack_request(actor=None, meeting=meeting)
    assert services.pack_queue(pack)
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY, pack.error
    flat = " ".join(pdf_text(pack).split())
    assert "Latest around 5% (As of June 2024)" in flat
    assert "England around 50% (January 2024)" in flat


@pytest.mark.django_db
def test_the_southend_data_carries_the_qualifiers_its_documents_use():
    call_command("load_southend", stdout=StringIO())
    shown = sorted(
        (r.indicator.code, format_number(r.value, r.indicator.unit, r.qualifier))
        for r in Return.objects.exclude(qualifier="").select_related("indicator")
    )
    assert shown == [
        ("CAPITAL_GRANTS_ALLOCATED", "almost £630,000"),
        ("CAPITAL_GRANTS_ALLOCATED", "over £500,000"),
        ("CWD_CARE_PACKAGES", "approximately 220"),
        ("EHCNA_OVERDUE_20_WEEKS", "over 200"),
        ("EHCP_ISSUED_20_WEEKS_PCT", "around 5%"),
        ("EHCP_OUT_OF_AREA_PUPILS", "approximately 180"),
        ("EHCP_SCHOOL_POPULATION_PCT", "approximately 4%"),
        ("EHCP_WHERE_EDUCATED_PCT", "approximately 11%"),
        ("EHE_PUPILS_WITH_EHCP", "approximately 10"),
        ("KIDS_AUTISM_HUB_REACH_PCT", "around 10%"),
        ("NEWSLETTER_SUBSCRIBERS", "over 2,000"),
        ("POPULATION", "about 180,601"),
        ("STRM_NETWORK_MEMBERS", "over 1,470"),
        ("TRANSPORT_COMPLIMENTS", "circa 8"),
        ("YOUTH_HEALTH_CHAMPIONS_EVENT_ATTENDANCE", "over 100"),
    ]
    comparator = Comparator.objects.exclude(qualifier="").select_related("indicator").get()
    assert format_number(comparator.value, comparator.indicator.unit, comparator.qualifier) == "around 50%"


@pytest.mark.django_db
def test_the_open_data_workbook_names_the_source_document_and_keeps_the_qualifier(
    client, signed_in, world, qualified
):
    signed_in(world.board)
    response = client.get(reverse("kpis:export_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content))["Values"]
    header, *rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    row = dict(zip(header, next(r for r in rows if qualified.title in r), strict=True))
    assert (row["value"], row["qualifier"]) == ("5", "around")
    assert row["source_document"] == "Health and Wellbeing Board pack, 10 December 2024"
    assert not any(".txt" in str(cell) for r in rows for cell in r)


@pytest.mark.django_db
def test_an_officer_returns_an_approximate_figure_and_checks_it_with_its_qualifier(client, signed_in, world):
    indicator = IndicatorFactory(
        owner_organisation=world.council, unit=Unit.COUNT, title="Newsletter subscribers"
    )
    period = period_for(indicator, label="April 2025")
    signed_in(world.officer)
    enter = reverse("kpis:return_enter", args=[indicator.pk, period.pk])
    assert "Approximate: over" in client.get(enter).content.decode()
    assert "Error: " in client.post(enter, {"value": "2000", "qualifier": "roughly"}).content.decode()
    check = client.post(enter, {"value": "2000", "qualifier": "over"})["Location"]
    assert "over 2,000" in client.get(check).content.decode()
    client.post(check)
    saved = Return.objects.get(indicator=indicator)
    assert (saved.value, saved.qualifier) == (2000, Qualifier.OVER)
