import csv
import html
import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditEvent, Role
from kpis import services
from kpis.exports import COLUMNS
from kpis.models import Comparator, DataQuality, Indicator, Return, ReturnPeriod, Unit
from tests.factories import OrganisationFactory, member
from tests.kpis.factories import IndicatorFactory, ReturnFactory, indicator_form_data, period_for

pytestmark = pytest.mark.django_db


def exported_text(client) -> str:
    """The KPI export's CSV as Excel reads it, past its UTF-8 mark."""
    return client.get(reverse("kpis:export_csv")).content.decode("utf-8-sig")


def exported_records(client) -> csv.DictReader:
    return csv.DictReader(io.StringIO(exported_text(client)))


@pytest.fixture
def council():
    return OrganisationFactory(name="Council")


def test_indicator_list_query_count_does_not_grow_with_indicators(
    client, signed_in, council, django_assert_num_queries
):
    signed_in(member(Role.BOARD, council))
    for n in range(3):
        ReturnFactory(indicator=IndicatorFactory(owner_organisation=council, code=f"A{n}"))
    client.get(reverse("kpis:indicators"))  # renews the session, which the next minute's pages do not
    # 5 reads, and the plan setting with the savepoint and release of its transaction inside the test's own
    with django_assert_num_queries(8) as few:
        client.get(reverse("kpis:indicators"))
    statements = [query["sql"] for query in few.captured_queries]
    set_at = statements.index("SET LOCAL plan_cache_mode = force_custom_plan")
    assert set_at < next(i for i, sql in enumerate(statements) if "latest_shown_id" in sql)
    for n in range(20):
        ReturnFactory(indicator=IndicatorFactory(owner_organisation=council, code=f"B{n}"))
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(reverse("kpis:indicators"))
    assert response.content.decode().count("govuk-table__row") == 24


def test_the_indicator_list_is_in_the_order_of_the_indicators_names_not_their_codes(
    client, signed_in, council
):
    IndicatorFactory(owner_organisation=council, code="A_FIRST", title="Waiting times")
    IndicatorFactory(owner_organisation=council, code="Z_LAST", title="Annual reviews")
    signed_in(member(Role.BOARD, council))

    page = client.get(reverse("kpis:indicators")).content.decode()

    assert page.index("Annual reviews") < page.index("Waiting times")


def test_the_indicator_list_gives_each_latest_figure_beside_its_indicator_where_a_phone_shows_it(
    client, signed_in, council
):
    signed_in(member(Role.BOARD, council))
    ReturnFactory(indicator=IndicatorFactory(owner_organisation=council, target_text="Better than England"))

    page = client.get(reverse("kpis:indicators")).content.decode()

    headers = [h.split(">", 1)[1] for h in page.split('<th scope="col" ')[1:]]
    assert [h.split("<")[0] for h in headers] == [
        "Indicator",
        "Latest figure",
        "Period",
        "Data quality",
        "Against target",
        "Returned by",
    ]
    assert "Target in words only" in page


def test_returns_due_and_verify_list_query_counts_are_pinned(
    client, signed_in, council, django_assert_max_num_queries
):
    officer = member(Role.OFFICER, council)
    for n in range(15):
        indicator = IndicatorFactory(owner_organisation=council, code=f"K{n}")
        ReturnFactory(
            indicator=indicator, submitted_by=officer, data_quality=DataQuality.PROVISIONAL, verified_at=None
        )
    period_for(indicator)
    signed_in(officer)
    # 9, and the plan setting with the savepoint and release of its transaction inside the test's own
    with django_assert_max_num_queries(12) as due:
        assert client.get(reverse("kpis:returns_due")).status_code == 200
    assert "SET LOCAL plan_cache_mode = force_custom_plan" in [query["sql"] for query in due.captured_queries]
    signed_in(member(Role.LEAD, council))
    with django_assert_max_num_queries(8):
        page = client.get(reverse("kpis:verify_list")).content.decode()
    assert "15 returns waiting" in page


def test_indicator_detail_query_count_is_pinned(client, signed_in, council, django_assert_max_num_queries):
    indicator = IndicatorFactory(owner_organisation=council)
    for n in range(10):
        ReturnFactory(indicator=indicator, period_label=f"Period {n}")
        Comparator.objects.create(
            indicator=indicator,
            geography="england",
            period_label=f"P{n}",
            reference_date="2024-01-01",
            source_document="x",
        )
    signed_in(member(Role.BOARD, council))
    # 9 reads, then the session's save (savepoint, update, release) that every signed-in page makes.
    with django_assert_max_num_queries(13):
        assert client.get(indicator.get_absolute_url()).status_code == 200


def test_small_counts_are_suppressed_on_every_page_and_in_every_export(client, signed_in, council):
    indicator = IndicatorFactory(
        owner_organisation=council,
        unit=Unit.COUNT,
        suppress_small_numbers=True,
        code="EXCLUSIONS",
        target_value=10,
        better="lower",
    )
    ReturnFactory(indicator=indicator, value=3, period_label="2022/23", note="A note")
    signed_in(member(Role.BOARD, council))
    for url in (reverse("kpis:indicators"), indicator.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "fewer than 5" in page
        assert ">3<" not in page
        assert "target met" not in page  # a RAG would hint at the hidden figure
    record = next(exported_records(client))
    assert record["value"] == "" and record["suppressed"] == "yes"
    data = json.loads(client.get(reverse("kpis:export_json")).content)
    assert data["values"][0]["value"] == "" and data["values"][0]["suppressed"] == "yes"
    sheet = load_workbook(io.BytesIO(client.get(reverse("kpis:export_xlsx")).content))["Values"]
    assert [cell.value for cell in sheet[2]][COLUMNS.index("value")] in ("", None)


def test_the_words_that_came_with_a_hidden_count_are_hidden_with_it_on_the_pages_and_in_every_export(
    client, signed_in, council
):
    indicator = IndicatorFactory(owner_organisation=council, unit=Unit.COUNT, suppress_small_numbers=True)
    ReturnFactory(
        indicator=indicator,
        value=3,
        reference_date=date(2024, 3, 31),
        note="Three of the children were also on plans.",
        source_quote="3 children are also subject to Child Protection Plans",
    )
    ReturnFactory(
        indicator=indicator,
        value=12,
        reference_date=date(2025, 3, 31),
        note="Twelve this year.",
        source_quote="12 children are subject to Child Protection Plans",
    )
    signed_in(member(Role.BOARD, council))

    pages = [client.get(indicator.get_absolute_url()).content.decode()]
    pages.append(client.get(reverse("boards:indicator_csv", args=[indicator.pk])).content.decode())
    pages.append(client.get(reverse("kpis:export_json")).content.decode())

    for page in pages:
        assert "Three of the children" not in page and "3 children are also" not in page
        assert "Twelve this year." in page  # a figure that is shown keeps its words
    records = {record["value"]: record for record in exported_records(client)}
    assert (records[""]["note"], records[""]["source_quote"]) == ("", "")
    assert records["12"]["source_quote"] == "12 children are subject to Child Protection Plans"


def test_exports_have_a_data_dictionary_of_every_column_and_cells_safe_for_spreadsheets(
    client, signed_in, council
):
    indicator = IndicatorFactory(owner_organisation=council, code="SAFE")
    ReturnFactory(
        indicator=indicator, value=Decimal("9.25"), note='=HYPERLINK("http://x")', source_quote="@risky"
    )
    signed_in(member(Role.DEMOCRATIC, council))
    data = json.loads(client.get(reverse("kpis:export_json")).content)
    assert [entry["column"] for entry in data["data_dictionary"]] == list(data["values"][0]) == COLUMNS
    assert data["values"][0]["value"] == "9.25"
    record = next(exported_records(client))
    assert record["note"] == '\'=HYPERLINK("http://x")'
    assert record["source_quote"] == "'@risky"
    workbook = load_workbook(io.BytesIO(client.get(reverse("kpis:export_xlsx")).content))
    assert [row[0] for row in workbook["Data dictionary"].iter_rows(min_row=2, values_only=True)] == COLUMNS
    cells = [cell for row in workbook["Values"].iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)


def test_the_exports_say_where_a_figure_stands_as_the_pages_do_never_verified_unless_someone_verified_it(
    client, signed_in, council
):
    officer = member(Role.OFFICER, council)
    indicator = IndicatorFactory(owner_organisation=council)
    stands = {
        "from_document": ReturnFactory(
            indicator=indicator, period_label="From a report"
        ),  # the report said verified
        "verified": ReturnFactory(
            indicator=indicator, period_label="Checked", submitted_by=officer, verified_at=timezone.now()
        ),
        "not_yet_verified": ReturnFactory(
            indicator=indicator,
            period_label="Entered",
            submitted_by=officer,
            data_quality=DataQuality.PROVISIONAL,
        ),
        "unable_to_verify": ReturnFactory(
            indicator=indicator,
            period_label="Doubted",
            submitted_by=officer,
            data_quality=DataQuality.UNABLE_TO_VERIFY,
        ),
        "published": ReturnFactory(
            indicator=indicator, period_label="National", data_quality=DataQuality.PUBLISHED
        ),
    }
    signed_in(member(Role.BOARD, council))

    records = exported_records(client)

    assert {r["period_label"]: r["data_quality"] for r in records} == {
        returned.period_label: key for key, returned in stands.items()
    }
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert "From a published document" in page and "Returned, not yet verified" in page


def test_restricted_indicators_are_seen_only_by_the_roles_named(client, signed_in, council):
    secret = IndicatorFactory(
        owner_organisation=council,
        code="CETR_COUNT",
        title="Care, education and treatment reviews",
        restricted=True,
        visible_to_roles=[Role.LEAD],
    )
    ReturnFactory(indicator=secret)
    for role, sees in ((Role.BOARD, False), (Role.LEAD, True), (Role.ADMIN, True)):
        signed_in(member(role, council))
        assert (
            "Care, education and treatment reviews" in client.get(reverse("kpis:indicators")).content.decode()
        ) is sees
        assert client.get(secret.get_absolute_url()).status_code == (200 if sees else 404)
        assert ("CETR_COUNT" in exported_text(client)) is sees


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("-5", "Value must be 0 or more: figures are never negative"),
        ("45%", "Value must be the number without the % sign, like 45 for 45%"),
        ("lots", "Value must be a number, like 12 or 12.5, not ‘lots’"),
    ],
)
def test_a_value_typed_as_people_type_it_is_refused_with_what_to_type_instead(
    client, signed_in, council, typed, error
):
    indicator = IndicatorFactory(owner_organisation=council, unit=Unit.PERCENTAGE)
    period = period_for(indicator, label="April 2025")
    signed_in(member(Role.OFFICER, council))

    response = client.post(reverse("kpis:return_enter", args=[indicator.pk, period.pk]), {"value": typed})

    assert (
        response.status_code == 200 and html.unescape(response.content.decode()).count(error) == 2
    )  # summary, field
    assert (
        client.post(reverse("kpis:return_enter", args=[indicator.pk, period.pk]), {"value": "45"}).status_code
        == 302
    )


def test_entering_a_return_goes_through_check_your_answers(client, signed_in, council):
    officer = member(Role.OFFICER, council)
    indicator = IndicatorFactory(
        owner_organisation=council, unit=Unit.PERCENTAGE, description="Plans issued within 20 weeks"
    )
    period = period_for(indicator, label="April 2025")
    signed_in(officer)
    enter = reverse("kpis:return_enter", args=[indicator.pk, period.pk])
    page = client.get(enter).content.decode()
    assert "Plans issued within 20 weeks" in page  # the definition beside the form
    response = client.post(enter, {"value": "120", "numerator": "9", "denominator": "8"})
    page = response.content.decode()
    assert "Error: " in page
    assert "between 0 and 100" in page and "must not be more than the denominator" in page
    response = client.post(
        enter, {"value": "45.5", "numerator": "91", "denominator": "200", "note": "Two schools late"}
    )
    assert response["Location"] == reverse("kpis:return_check", args=[indicator.pk, period.pk])
    assert not Return.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Check your answers" in page and "45.5%" in page
    response = client.post(response["Location"], follow=True)
    assert "Return saved" in response.content.decode()
    saved = Return.objects.get()
    assert (saved.value, saved.numerator, saved.denominator, saved.note) == (
        Decimal("45.5"),
        91,
        200,
        "Two schools late",
    )
    assert saved.submitted_by == officer and saved.data_quality == DataQuality.PROVISIONAL


def test_correcting_a_return_starts_from_the_figures_standing_and_is_offered_as_a_change(
    client, signed_in, council
):
    officer = member(Role.OFFICER, council)
    indicator = IndicatorFactory(owner_organisation=council, unit=Unit.PERCENTAGE, title="Plans in 20 weeks")
    period = period_for(indicator, label="April 2025")
    signed_in(officer)
    enter = reverse("kpis:return_enter", args=[indicator.pk, period.pk])
    due = client.get(reverse("kpis:returns_due")).content.decode()
    assert ">Enter<span" in due and ">Change<span" not in due
    fields = {
        "value": "86.5",
        "qualifier": "around",
        "numerator": "173",
        "denominator": "200",
        "note": "Late",
    }
    client.post(enter, fields)
    client.post(reverse("kpis:return_check", args=[indicator.pk, period.pk]))
    assert Return.objects.count() == 1
    client.logout()  # another day: nothing typed is left in the session, only the return standing
    signed_in(officer)

    due = client.get(reverse("kpis:returns_due")).content.decode()
    page = client.get(enter).content.decode()

    assert '>Change<span class="govuk-visually-hidden"> Plans in 20 weeks for April 2025</span>' in due
    for name in ("value", "numerator", "denominator"):
        assert re.search(rf'name="{name}"[^>]*value="{re.escape(fields[name])}"', page)
    assert re.search(r'value="around"[^>]*checked', page)
    assert re.search(r">\s*Late</textarea>", page)


def test_a_closed_period_shows_no_form_and_refuses_a_post(client, signed_in, council):
    indicator = IndicatorFactory(owner_organisation=council)
    period = period_for(indicator, is_open=False, label="March 2025")
    signed_in(member(Role.OFFICER, council))
    enter = reverse("kpis:return_enter", args=[indicator.pk, period.pk])
    assert "March 2025 is closed" in client.get(enter).content.decode()
    assert "March 2025 is closed" in client.post(enter, {"value": "5"}).content.decode()
    assert not Return.objects.exists()


def test_a_lead_reviewing_a_correction_sees_the_figure_it_corrects_and_their_query(
    client, signed_in, council
):
    officer, lead = member(Role.OFFICER, council), member(Role.LEAD, council)
    queried = ReturnFactory(
        indicator=IndicatorFactory(owner_organisation=council, unit=Unit.PERCENTAGE),
        value=Decimal("62.5"),
        submitted_by=officer,
        data_quality=DataQuality.PROVISIONAL,
    )
    services.return_query(user=lead, returned=queried, reason="Looks doubled")
    correction = ReturnFactory(
        indicator=queried.indicator,
        value=60,
        submitted_by=officer,
        data_quality=DataQuality.PROVISIONAL,
        supersedes=queried,
    )
    signed_in(lead)

    page = " ".join(client.get(reverse("kpis:verify_return", args=[correction.pk])).content.decode().split())

    assert (
        f'Corrects</dt><dd class="govuk-summary-list__value">62.5%, returned {queried.submitted_at:%-d %B %Y}'
        in page
    )
    assert f"which you queried on {timezone.localdate():%-d %B %Y}: “Looks doubled”" in page


def test_a_lead_verifying_a_figure_sees_the_one_for_the_period_before_to_compare(client, signed_in, council):
    officer = member(Role.OFFICER, council)
    indicator = IndicatorFactory(owner_organisation=council, unit=Unit.COUNT)
    ReturnFactory(
        indicator=indicator, value=108, period_label="October 2026", reference_date=date(2026, 10, 31)
    )
    ReturnFactory(indicator=indicator, value=1, period_label="August 2026", reference_date=date(2026, 8, 31))
    ReturnFactory(  # another group's figure is not this one's
        indicator=indicator,
        value=7,
        breakdown="Autism",
        period_label="October 2026",
        reference_date=date(2026, 10, 31),
    )
    new = ReturnFactory(
        indicator=indicator,
        value=1234,
        period_label="November 2026",
        reference_date=date(2026, 11, 30),
        submitted_by=officer,
        data_quality=DataQuality.PROVISIONAL,
    )
    signed_in(member(Role.LEAD, council))

    page = client.get(reverse("kpis:verify_return", args=[new.pk])).content.decode()

    assert 'The period before</dt><dd class="govuk-summary-list__value">108, October 2026</dd>' in page
    first = ReturnFactory(
        indicator=IndicatorFactory(owner_organisation=council),
        submitted_by=officer,
        data_quality=DataQuality.PROVISIONAL,
    )
    assert "No earlier figure" in client.get(reverse("kpis:verify_return", args=[first.pk])).content.decode()


def test_a_lead_verifies_or_queries_through_the_page(client, signed_in, council):
    officer = member(Role.OFFICER, council)
    first = ReturnFactory(
        indicator=IndicatorFactory(owner_organisation=council),
        submitted_by=officer,
        data_quality=DataQuality.PROVISIONAL,
    )
    second = ReturnFactory(
        indicator=IndicatorFactory(owner_organisation=council),
        submitted_by=officer,
        data_quality=DataQuality.PROVISIONAL,
    )
    signed_in(member(Role.LEAD, council))
    page = client.get(reverse("kpis:verify_return", args=[first.pk])).content.decode()
    assert "No note" in page and ">None<" not in page
    # The reason is asked for under "Query it", revealed when that is chosen.
    revealed = page.split('class="govuk-radios__conditional')[1].split("</textarea>")[0]
    assert 'name="reason"' in revealed and page.index("Query it with the organisation") < page.index(revealed)
    response = client.post(reverse("kpis:verify_return", args=[first.pk]), {"reason": ""})
    assert "Select whether to mark the return as verified or query it" in response.content.decode()
    response = client.post(reverse("kpis:verify_return", args=[second.pk]), {"decision": "query"})
    assert "Enter why you are querying this return" in response.content.decode()
    client.post(reverse("kpis:verify_return", args=[first.pk]), {"decision": "verify"})
    client.post(
        reverse("kpis:verify_return", args=[second.pk]),
        {"decision": "query", "reason": "Looks doubled"},
    )
    first.refresh_from_db(), second.refresh_from_db()
    assert first.data_quality == DataQuality.VERIFIED
    assert second.query_reason == "Looks doubled" and second.data_quality == DataQuality.PROVISIONAL
    # A second press of the button, or a colleague's page opened before: told, not sent to "Page not found".
    again = client.post(reverse("kpis:verify_return", args=[first.pk]), {"decision": "verify"}, follow=True)
    assert again.redirect_chain == [(reverse("kpis:verify_list"), 302)]
    assert (
        "That return is no longer waiting: it was verified, queried or corrected since."
        in again.content.decode()
    )
    first.refresh_from_db()
    assert first.verified_at is not None and first.query_reason == ""
    elsewhere = ReturnFactory(
        submitted_by=officer, data_quality=DataQuality.PROVISIONAL
    )  # another partnership's
    assert client.get(reverse("kpis:verify_return", args=[elsewhere.pk])).status_code == 404
    # Until it is corrected, everyone reading the queried figure is told not to rely on it.
    signed_in(member(Role.BOARD, council))
    listed = client.get(reverse("kpis:indicators")).content.decode()
    assert listed.count("Queried: not to be relied on until corrected") == 1
    assert (
        "Queried: not to be relied on until corrected"
        in client.get(second.indicator.get_absolute_url()).content.decode()
    )
    headline = client.get(first.indicator.get_absolute_url()).content.decode()
    assert f"verified by {council.name} on {timezone.localdate():%-d %B %Y})" in headline
    qualities = {record["indicator_code"]: record["data_quality"] for record in exported_records(client)}
    assert qualities == {first.indicator.code: "verified", second.indicator.code: "queried"}


def test_an_admin_creates_and_edits_an_indicator_and_records_a_comparator(client, signed_in, council):
    signed_in(member(Role.ADMIN, council))
    fields = indicator_form_data(
        council,
        code="newsletter_subscribers",
        target_value="2000",
        tolerance="200",
        target_text="in excess of two thousand (2,000)",
    )
    response = client.post(reverse("kpis:indicator_create"), fields)
    indicator = Indicator.objects.get(code="NEWSLETTER_SUBSCRIBERS")
    assert response["Location"] == indicator.get_absolute_url()
    response = client.post(reverse("kpis:indicator_create"), fields)
    assert "Error: " in response.content.decode()  # the code is already used
    client.post(
        reverse("kpis:indicator_edit", args=[indicator.pk]),
        fields | {"title": "Subscribers to the newsletter"},
    )
    indicator.refresh_from_db()
    assert indicator.title == "Subscribers to the newsletter"
    client.post(
        reverse("kpis:comparator_create", args=[indicator.pk]),
        {
            "geography": "england",
            "period_label": "2024",
            "reference_date": "2024-01-01",
            "value": "12.5",
            "source_document": "DfE",
        },
    )
    assert indicator.comparators.get().value == Decimal("12.5")
    assert set(AuditEvent.objects.values_list("verb", flat=True)) == {"created", "updated", "recorded"}


def test_an_admin_opens_and_closes_a_collection_period(client, signed_in, council):
    signed_in(member(Role.ADMIN, council))
    response = client.post(
        reverse("kpis:period_create"),
        {
            "frequency": "monthly",
            "label": "April 2025",
            "start": "2025-04-01",
            "end": "2025-04-30",
            "deadline": "2025-04-15",
        },
    )
    assert "Returns can be due only after the period ends" in response.content.decode()
    client.post(
        reverse("kpis:period_create"),
        {
            "frequency": "monthly",
            "label": "April 2025",
            "start": "2025-04-01",
            "end": "2025-04-30",
            "deadline": "2025-05-15",
        },
    )
    period = ReturnPeriod.objects.get()
    assert period.is_open
    client.post(reverse("kpis:period_close", args=[period.pk]))
    period.refresh_from_db()
    assert not period.is_open


def test_a_second_period_of_the_same_name_or_start_is_refused_on_its_fields_in_words(
    client, signed_in, council
):
    signed_in(member(Role.ADMIN, council))
    april = {"frequency": "monthly", "label": "April 2025", "start": "2025-04-01", "end": "2025-04-30"}
    client.post(reverse("kpis:period_create"), {**april, "deadline": "2025-05-15"})
    assert ReturnPeriod.objects.count() == 1

    response = client.post(reverse("kpis:period_create"), {**april, "deadline": "2025-05-20"})

    form = response.context["form"]
    assert form.errors == {
        "label": ["There is already a collection period called ‘April 2025’: give this one another name"],
        "start": ["There is already a monthly collection period starting on 1 April 2025"],
    }
    page = response.content.decode()
    assert "already exists" not in page and "Return period with this" not in page
    assert ReturnPeriod.objects.count() == 1
    # Another rhythm may start the same day under its own name.
    client.post(
        reverse("kpis:period_create"),
        {
            **april,
            "frequency": "termly",
            "label": "Summer term 2025",
            "end": "2025-07-31",
            "deadline": "2025-08-15",
        },
    )
    assert ReturnPeriod.objects.count() == 2


@pytest.mark.parametrize(
    ("stored", "written"), [("100", "100"), ("100.00", "100"), ("2000", "2000"), ("12.50", "12.5")]
)
def test_open_data_writes_every_figure_as_a_plain_decimal(client, signed_in, council, stored, written):
    indicator = IndicatorFactory(owner_organisation=council, code="ROUND", unit="count")
    ReturnFactory(indicator=indicator, value=Decimal(stored), numerator=None, denominator=None)
    signed_in(member(Role.DEMOCRATIC, council))
    record = next(exported_records(client))
    assert record["value"] == written
    assert json.loads(client.get(reverse("kpis:export_json")).content)["values"][0]["value"] == written


def test_a_percentage_that_reveals_one_child_is_suppressed_on_the_page_and_in_every_export(
    client, signed_in, council
):
    indicator = IndicatorFactory(
        owner_organisation=council, code="ONE_CHILD", unit="percentage", suppress_small_numbers=True
    )
    ReturnFactory(indicator=indicator, value=Decimal("20"), numerator=None, denominator=5)
    signed_in(member(Role.DEMOCRATIC, council))
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert "fewer than 5" in page and "20%" not in page
    record = next(exported_records(client))
    assert (record["value"], record["denominator"], record["suppressed"]) == ("", "", "yes")
    data = json.loads(client.get(reverse("kpis:export_json")).content)
    assert data["values"][0]["suppressed"] == "yes"


def test_the_csv_files_are_marked_as_utf8_so_excel_keeps_their_dashes_quotes_and_pound_signs(
    client, signed_in, council
):
    indicator = IndicatorFactory(owner_organisation=council, title="Spend – £ per child’s plan")
    ReturnFactory(indicator=indicator, value=12, period_label="2022/23")
    period_for(indicator, label="April 2025")
    signed_in(member(Role.OFFICER, council))

    for name in ("kpis:export_csv", "kpis:template_csv"):
        content = client.get(reverse(name)).content
        assert content.startswith(b"\xef\xbb\xbf"), name  # UTF-8's byte-order mark, which Excel looks for
        assert "Spend – £ per child’s plan" in content.decode("utf-8-sig"), name


@pytest.mark.parametrize("typed", ["47.0", "47", "12.50"])
def test_a_comparator_is_shown_with_the_decimal_places_it_was_recorded_with(
    client, signed_in, council, typed
):
    indicator = IndicatorFactory(owner_organisation=council, unit=Unit.SCORE, code="ATTAINMENT")
    signed_in(member(Role.ADMIN, council))
    client.post(
        reverse("kpis:comparator_create", args=[indicator.pk]),
        {
            "geography": "region",
            "period_label": "2018/19",
            "reference_date": "2019-08-31",
            "value": typed,
            "source_document": "Local Authority Profile",
        },
    )

    assert indicator.comparators.get().value == Decimal(typed)
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert f">{typed}</td>" in page


@pytest.mark.parametrize("typed", ["5.0", "5", "5.25"])
def test_a_return_is_shown_and_exported_as_it_was_typed(client, signed_in, council, typed):
    """A value is stored to four places: without the places it was typed with, 5.0 would read 5 beside a
    comparator published as 5.0."""
    indicator = IndicatorFactory(owner_organisation=council, unit=Unit.PERCENTAGE)
    period = period_for(indicator, label="April 2025")
    signed_in(member(Role.OFFICER, council))
    check = client.post(reverse("kpis:return_enter", args=[indicator.pk, period.pk]), {"value": typed})[
        "Location"
    ]

    assert f">{typed}%</dd>" in client.get(check).content.decode()
    client.post(check)

    assert Return.objects.get().value == Decimal(typed)
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert f"Latest figure: <strong>{typed}%</strong>" in page
    assert [row["value"] for row in exported_records(client)] == [typed]
    signed_in(member(Role.BOARD, council))
    board = client.get(reverse("boards:indicator", args=[indicator.pk])).content.decode()
    assert f"{typed}%" in board


def test_a_return_typed_with_more_places_than_are_stored_is_shown_with_the_four_kept(
    client, signed_in, council
):
    indicator = IndicatorFactory(owner_organisation=council, unit=Unit.PERCENTAGE)
    period = period_for(indicator, label="April 2025")
    signed_in(member(Role.OFFICER, council))
    check = client.post(reverse("kpis:return_enter", args=[indicator.pk, period.pk]), {"value": "33.33333"})
    client.post(check["Location"])

    saved = Return.objects.get()
    assert (saved.value, saved.decimal_places) == (Decimal("33.3333"), 4)
    page = client.get(indicator.get_absolute_url()).content.decode()
    assert "Latest figure: <strong>33.3333%</strong>" in page
    assert [row["value"] for row in exported_records(client)] == ["33.3333"]
