"""Open data: CSV and JSON of the published actions, their statuses over time and the public indicators' values,
each with its data dictionary, licence and publication date, at addresses that do not change."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from kpis.models import Geography, Unit
from public.opendata import DATASETS
from tests.actions.factories import approved_update
from tests.conftest import public_everything
from tests.kpis.factories import ComparatorFactory, IndicatorFactory, ReturnFactory
from tests.public.factories import at, pack_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world):
    approved_update(
        world.action,
        date(2025, 1, 1),
        "amber",
        commentary="Behind by a month",
        reviewed_at=at(date(2025, 2, 3)),
    )
    approved_update(
        world.action,
        date(2025, 2, 1),
        "green",
        commentary='=HYPERLINK("http://example.test")',
        reviewed_at=at(date(2025, 3, 3)),
    )
    indicator = IndicatorFactory(
        owner_organisation=world.council, title="Plans issued within 20 weeks", unit=Unit.PERCENTAGE
    )
    ReturnFactory(
        indicator=indicator,
        value="61.50",
        qualifier="around",
        reference_date=date(2025, 2, 28),
        submitted_by=world.officer,
        submitted_at=at(date(2025, 3, 5)),
        note="Internal remark",
    )
    pack = pack_for(world.partnership, cut_off=date(2025, 3, 31))
    public_everything(world.partnership, indicator)
    return pack


def download(world, name: str, file_format: str):
    return Client().get(reverse(f"public:dataset_{file_format}", args=[world.partnership.ons_code, name]))


def test_the_json_carries_its_dictionary_licence_and_publication_date(world, published):
    response = download(world, "actions", "json")
    data = json.loads(response.content)
    assert data["licence"]["name"] == "Open Government Licence v3.0"
    assert data["published"] == published.published_at.date().isoformat()
    assert data["data_as_at"].startswith("2025-03-31T23:59:59")
    assert {
        "column": "status",
        "type": "text",
        "meaning": "The RAG status of its latest approved progress update; empty if none yet",
    } in data["data_dictionary"]
    [row] = [row for row in data["rows"] if row["reference"] == "R2.1"]
    assert (row["status"], row["status_month"], row["commentary"]) == (
        "Green",
        "2025-02",
        '\'=HYPERLINK("http://example.test")',
    )
    assert response["Content-Disposition"].endswith('-send-actions.json"')


def test_the_csv_has_the_dictionary_columns_and_guards_formulas(world, published):
    response = download(world, "statuses", "csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    dataset = next(d for d in DATASETS if d.slug == "statuses")
    assert list(rows[0]) == [column.name for column in dataset.columns]
    assert [(r["month"], r["status"], r["approved_on"]) for r in rows if r["reference"] == "R2.1"] == [
        ("2025-01", "Amber", "2025-02-03"),
        ("2025-02", "Green", "2025-03-03"),
    ]
    actions = download(world, "actions", "csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in actions  # a spreadsheet shows the text rather than running it


def test_indicator_values_are_plain_decimals_with_their_qualifier_and_no_internal_notes(world, published):
    rows = json.loads(download(world, "indicator-values", "json").content)["rows"]
    assert [(r["indicator_title"], r["value"], r["qualifier"]) for r in rows] == [
        ("Plans issued within 20 weeks", "61.5", "around")
    ]
    assert (
        "note" not in rows[0]
        and "Internal remark" not in download(world, "indicator-values", "csv").content.decode()
    )


def test_the_dataset_page_gives_the_dictionary_the_licence_and_the_date(world, published):
    page = (
        Client()
        .get(reverse("public:dataset", args=[world.partnership.ons_code, "indicator-values"]))
        .content.decode()
    )
    assert "Data dictionary" in page and "Open Government Licence v3.0" in page
    assert f"{published.published_at:%-d %B %Y}" in page
    assert "yes where a count from 1 to 4 is hidden to protect individuals" in page


def test_the_addresses_stay_the_same_when_a_new_pack_is_published(world, published):
    url = reverse("public:dataset_json", args=[world.partnership.ons_code, "statuses"])
    assert url == f"/public/{world.partnership.ons_code}/open-data/statuses.json"
    before = json.loads(Client().get(url).content)
    approved_update(world.action, date(2025, 4, 1), "red", reviewed_at=at(date(2025, 5, 2)))
    pack_for(world.partnership, cut_off=date(2025, 5, 31), meeting_date=date(2025, 6, 10))
    cache.clear()  # published by the factories, not by the portal's audited writes, so the page is drawn again
    after = json.loads(Client().get(url).content)
    assert len(after["rows"]) == len(before["rows"]) + 1 and after["published"] >= before["published"]


def test_a_dataset_of_a_section_that_is_not_public_is_not_found(world, published):
    choices = world.partnership.public_choices
    choices.show_indicators = False
    choices.save()
    assert download(world, "indicator-values", "csv").status_code == 404
    assert download(world, "actions", "csv").status_code == 200
    assert (
        Client().get(reverse("public:dataset", args=[world.partnership.ons_code, "nothing"])).status_code
        == 404
    )


def test_the_comparators_dataset_gives_england_region_and_neighbours_with_their_period(world, published):
    indicator = world.partnership.public_choices.indicators.get()
    ComparatorFactory(
        indicator=indicator,
        geography=Geography.ENGLAND,
        period_label="Calendar year 2024",
        reference_date=date(2024, 12, 31),
        value=Decimal("46.0000"),
        source_document="Education, health and care plans, Department for Education",
    )
    ComparatorFactory(
        indicator=indicator,
        geography=Geography.STATISTICAL_NEIGHBOURS,
        period_label="Calendar year 2024",
        reference_date=date(2024, 12, 31),
        value=None,
        note="=Mean of 0 of 1 statistical neighbours; no figure for Luton (x)",
        source_document="000_d50ea2fd0cf008ce.txt (Appendix 3, SEF introduction)",
    )
    ComparatorFactory(  # dated after the pack's data time: not public yet
        indicator=indicator, geography=Geography.REGION, reference_date=date(2025, 6, 30), value=Decimal("30")
    )

    data = json.loads(download(world, "indicator-comparators", "json").content)

    assert [(r["comparator"], r["period_label"], r["value"]) for r in data["rows"]] == [
        ("England", "Calendar year 2024", "46"),
        ("Statistical neighbours", "Calendar year 2024", ""),
    ]
    assert data["rows"][1]["note"].startswith("'=Mean of 0 of 1")
    # A document is named by its title and date, never by the file it was read from.
    assert [r["source_document"] for r in data["rows"]] == [
        "Education, health and care plans, Department for Education",
        "Health and Wellbeing Board pack, 10 December 2024, Appendix 3, SEF introduction",
    ]
    assert data["rows"][0]["indicator_title"] == "Plans issued within 20 weeks"
    assert {
        "column": "comparator",
        "type": "text",
        "meaning": "Whose figure it is: England, Region, Statistical neighbours",
    } in data["data_dictionary"]
    rows = list(
        csv.DictReader(
            io.StringIO(download(world, "indicator-comparators", "csv").content.decode("utf-8-sig"))
        )
    )
    assert [r["comparator"] for r in rows] == ["England", "Statistical neighbours"]


def test_the_open_data_page_says_which_datasets_the_read_api_serves_and_which_only_download(world, published):
    page = Client().get(reverse("public:data", args=[world.partnership.ons_code])).content.decode()
    assert "Indicator comparators" in page
    assert "the actions, their statuses and the indicator values through the" in page
    assert "the comparators are in the downloads above" in page
