import json
import re
from collections import Counter
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from actions.models import Recommendation
from core.models import Role
from kpis.models import Comparator, DataQuality, Indicator, Return
from kpis.seed.loader import SEED_FILE
from kpis.validation import FigureError, check_value
from tests.factories import member

pytestmark = pytest.mark.django_db

SEED = json.loads(SEED_FILE.read_text(encoding="utf-8"))


def test_every_indicator_return_and_comparator_is_loaded_once_even_when_run_twice(module_southend):
    call_command("load_southend", stdout=StringIO())
    assert Indicator.objects.count() == len(SEED["indicators"]) == 124
    assert Return.objects.count() == len(SEED["returns"]) == 279
    assert Comparator.objects.count() == len(SEED["comparators"]) == 30


def test_loading_again_brings_changed_rows_and_links_back_to_the_documents_in_place(module_southend):
    linked = Comparator.objects.exclude(value=None).filter(indicator__recommendations__isnull=False)
    comparator = linked.select_related("indicator").first()
    indicator = comparator.indicator
    figure = Return.objects.filter(indicator=indicator).exclude(value=None).first()
    documents = (
        (indicator.title, indicator.owner_organisation_id),
        (figure.value, figure.decimal_places, figure.note),
        (comparator.value, comparator.qualifier, comparator.reference_date),
    )
    another_owner = indicator.partnership.organisations.exclude(pk=indicator.owner_organisation_id).first()
    named = set(indicator.recommendations.values_list("number", flat=True))
    assert named
    Indicator.objects.filter(pk=indicator.pk).update(
        title="Changed by hand", owner_organisation=another_owner
    )
    Return.objects.filter(pk=figure.pk).update(value=Decimal("1.5"), decimal_places=3, note="Changed by hand")
    Comparator.objects.filter(pk=comparator.pk).update(
        value=Decimal("2.5"), qualifier="over", reference_date=date(2001, 1, 1)
    )
    unnamed = Recommendation.objects.filter(plan__partnership=indicator.partnership).exclude(number__in=named)
    indicator.recommendations.set(unnamed[:1])  # the ones it names gone, one it does not name added

    call_command("load_southend", stdout=StringIO())

    indicator.refresh_from_db()
    figure.refresh_from_db()
    comparator.refresh_from_db()
    assert (
        (indicator.title, indicator.owner_organisation_id),
        (figure.value, figure.decimal_places, figure.note),
        (comparator.value, comparator.qualifier, comparator.reference_date),
    ) == documents
    assert set(indicator.recommendations.values_list("number", flat=True)) == named
    assert (
        Indicator.objects.count() == 124
        and Return.objects.count() == 279
        and Comparator.objects.count() == 30
    )


def test_each_indicator_has_as_many_values_as_the_documents_give(module_southend):
    expected = Counter(item["indicator"] for item in SEED["returns"])
    loaded = Counter(Return.objects.values_list("indicator__code", flat=True))
    assert loaded == expected
    assert loaded["EHCP_MAINTAINED"] == 4


def test_values_are_stored_exactly_with_their_source(module_southend):
    stock = Return.objects.get(indicator__code="EHCP_MAINTAINED", period_label="As of September 2022")
    assert stock.value == 1545
    assert stock.source_document == "003_2bc801761036d050.txt"
    assert stock.source_quote == "As of September 2022 Southend maintained 1,545 EHC plans."
    sen_support = Return.objects.get(
        indicator__code="SEN_SUPPORT_PCT", period_label="January 2022 schools census"
    )
    assert sen_support.value == Decimal("9.25")
    assert sen_support.numerator == 2966


def test_a_monthly_average_of_requests_may_be_returned_with_a_fraction(module_southend):
    average = Indicator.objects.get(code="EHCNA_REQUESTS_MONTHLY_AVERAGE")
    check_value(
        average, Decimal("43.5")
    )  # a count would refuse it: "Value is a count, so it must be a whole number"
    with pytest.raises(FigureError):
        check_value(Indicator.objects.get(code="EHCP_MAINTAINED"), Decimal("43.5"))


def test_a_point_score_is_a_score_and_its_chart_says_so(module_southend, client, signed_in):
    attainment = Indicator.objects.get(code="ATTAINMENT_8_ALL_PUPILS")
    signed_in(member(Role.BOARD, attainment.owner_organisation))

    page = client.get(reverse("boards:indicator", args=[attainment.pk])).content.decode()

    assert attainment.get_unit_display() == "Score"
    assert re.search(r'rotate\(-90 [0-9.]+ [0-9.]+\)" text-anchor="middle" fill="[^"]+">Score</text>', page)
    assert ">Rate</text>" not in page


def test_figures_given_only_in_words_have_no_value_and_keep_the_words():
    worded = [item for item in SEED["returns"] if item["value"] is None]
    assert worded, "the seed has returns given only in words"
    call_command("load_southend", stdout=StringIO())
    for item in worded:
        loaded = Return.objects.get(indicator__code=item["indicator"], period_label=item["period_label"])
        assert loaded.value is None
        assert loaded.note == item["note"]


def test_targets_only_where_a_document_states_one(module_southend):
    with_targets = {i.code: i.target_value for i in Indicator.objects.exclude(target_text="")}
    assert with_targets == {
        "ANNUAL_REVIEWS_12_MONTHS_PCT": None,
        "EHCP_CURRENT_3_YEARS_PCT": None,
        "INCLUSION_CHARTER_SCHOOLS_PCT": 100,
        "LAC_INITIAL_HEALTH_ASSESSMENT_20_DAYS_PCT": 75,
        "NEWSLETTER_SUBSCRIBERS": 2000,
        "TRANSPORT_JOURNEY_TIME_PRIMARY_PCT": 90,
    }
    assert not Indicator.objects.filter(tolerance__isnull=False).exists()


def test_indicators_link_to_the_published_plans_recommendations_and_their_owners(module_southend):
    indicator = Indicator.objects.get(code="MHST_SCHOOLS")
    assert sorted(indicator.recommendations.values_list("number", flat=True)) == [2, 5]
    assert indicator.owner_organisation.name == "North East London NHS Foundation Trust"


def test_not_captured_and_unable_to_verify_are_kept_as_the_source_says(module_southend):
    qualities = Counter(
        Return.objects.filter(indicator__code="TRANSPORT_JOURNEY_TIME_PRIMARY_PCT").values_list(
            "data_quality", flat=True
        )
    )
    assert qualities[DataQuality.NOT_CAPTURED] == 2
    assert qualities[DataQuality.UNABLE_TO_VERIFY] == 1
