"""A version's items as CSV and XLSX, and the inspection readiness page: evidence per area, thin areas flagged."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from actions.models import Action
from actions.seed.loader import load_default_rag_scale
from core.models import Role
from sef.models import AreaEvaluation, AreaItem, EvaluationArea, KeyIssue
from tests.actions.factories import approved_update
from tests.factories import OrganisationFactory, member
from tests.kpis.factories import IndicatorFactory, ReturnFactory
from tests.sef.factories import plan_with_actions, self_evaluation

pytestmark = pytest.mark.django_db

HEADER = ["Version", "Part", "Area or section", "Heading", "Order", "Text", "Judgement"]


@pytest.fixture
def organisation():
    return OrganisationFactory()


@pytest.fixture
def evaluation(organisation):
    return self_evaluation(organisation.partnership, version=3)


@pytest.fixture
def board_member(organisation, signed_in):
    signed_in(member(Role.BOARD, organisation))


def area_evaluation(evaluation, number):
    return AreaEvaluation.objects.get(evaluation=evaluation, area__number=number)


def csv_rows(client, evaluation):
    response = client.get(reverse("sef:export_csv", args=[evaluation.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="self-evaluation-version-3.csv"'
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_holds_every_item_of_the_version_by_part(client, board_member, evaluation):
    rows = csv_rows(client, evaluation)
    assert rows[0] == HEADER
    assert ["3", "A", "Context", "Narrative", "1", "Our area", ""] in rows
    assert ["3", "A", "Context", "Key issue", "1", "Plans are late", ""] in rows
    area_1 = f"Area 1: {EvaluationArea.objects.get(framework=evaluation.framework, number=1).title}"
    assert ["3", "B", area_1, "What we do well", "1", "Early help works", "Not judged"] in rows
    assert ["3", "B", area_1, "What do we need to do to improve", "1", "Faster plans", "Not judged"] in rows
    assert ["3", "C", "Recommendation 1: Leaders lead", "Priority", "1", "Set up a forum", ""] in rows
    assert len(rows) == 1 + 2 + 2 + 1


def test_the_export_shows_an_areas_judgement(client, board_member, evaluation):
    first = area_evaluation(evaluation, 1)
    first.judgement = evaluation.partnership.judgement_levels.order_by("order").first()
    first.save()
    rows = csv_rows(client, evaluation)
    assert {row[6] for row in rows if row[1] == "B"} == {first.judgement.label}


def test_text_a_spreadsheet_would_run_as_a_formula_is_made_safe(client, board_member, evaluation):
    AreaItem.objects.create(
        area_evaluation=area_evaluation(evaluation, 2),
        heading=AreaItem.Heading.IMPACT,
        order=1,
        text='=HYPERLINK("http://example.com")',
    )
    rows = csv_rows(client, evaluation)
    assert '\'=HYPERLINK("http://example.com")' in [row[5] for row in rows]


def test_the_xlsx_holds_the_same_rows(client, board_member, evaluation):
    response = client.get(reverse("sef:export_xlsx", args=[evaluation.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="self-evaluation-version-3.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert [3, "C", "Recommendation 1: Leaders lead", "Priority", 1, "Set up a forum", None] in rows
    assert len(rows) == 6


def test_the_version_page_links_to_both_downloads(client, board_member, evaluation):
    page = client.get(reverse("sef:version", args=[evaluation.pk])).content.decode()
    assert reverse("sef:export_csv", args=[evaluation.pk]) in page
    assert reverse("sef:export_xlsx", args=[evaluation.pk]) in page


# Inspection readiness


def link_evidence(evaluation, organisation, *, actions: int, indicators: int) -> None:
    """Area 1 gets a key issue, `actions` actions and `indicators` indicators; area 2 one key issue only."""
    partnership = evaluation.partnership
    load_default_rag_scale(partnership)
    plan = plan_with_actions(partnership)
    recommendation = plan.recommendations.get()
    for order in range(3, actions + 1):
        Action.objects.create(
            recommendation=recommendation,
            reference=f"R1.{order}",
            order=order,
            what_we_want=f"Outcome {order}",
        )
    issue = KeyIssue.objects.get(evaluation=evaluation)
    issue.areas.add(*EvaluationArea.objects.filter(framework=evaluation.framework, number__in=[1, 2]))
    first = area_evaluation(evaluation, 1)
    first.actions.set(Action.objects.filter(recommendation=recommendation)[:actions])
    for action in first.actions.all():
        approved_update(action, date(2025, 1, 1), "amber")
        approved_update(action, date(2025, 2, 1), "green")
    for _ in range(indicators):
        indicator = IndicatorFactory(owner_organisation=organisation)
        indicator.sef_areas.add(first.area)
        ReturnFactory(indicator=indicator, value=42, period_label="March 2025")


def readiness(client, evaluation):
    return client.get(reverse("sef:readiness", args=[evaluation.pk])).content.decode()


def area_section(page, number):
    start = page.index(f'id="area-{number}"')
    end = page.find('<h2 class="govuk-heading-m" id="area-', start + 1)
    return page[start : end if end != -1 else None]


def test_readiness_shows_each_areas_evidence_with_the_actions_latest_status_and_indicator_value(
    client, board_member, evaluation, organisation
):
    link_evidence(evaluation, organisation, actions=2, indicators=1)
    page = readiness(client, evaluation)
    first = area_section(page, 1)
    assert "Key issue 1</a>: Plans are late" in first
    assert "R1.1</a>: Outcome wanted 1" in first and "R1.2</a>" in first
    assert first.count(">Green</strong>") == 2  # the latest approved status, not the earlier amber
    assert "Amber" not in first
    assert "42" in first and "(March 2025)" in first
    assert "KPI_" not in first  # an indicator is named by its title; its code is the returns file's
    assert "Evidence linked</strong> 4 linked items" in first


def test_readiness_flags_areas_with_thin_or_no_evidence_in_words(
    client, board_member, evaluation, organisation
):
    link_evidence(evaluation, organisation, actions=0, indicators=0)
    page = readiness(client, evaluation)
    assert "fewer than 2 linked items has <strong>thin evidence</strong>" in page
    assert "Thin evidence</strong> 1 linked item<" in area_section(page, 1)
    assert "Thin evidence</strong> 1 linked item<" in area_section(page, 2)
    assert "No evidence</strong> 0 linked items" in area_section(page, 3)
    assert page.count(">No evidence</strong>") == 2 * 9  # table and section, for the nine areas with nothing


def test_readiness_makes_the_same_number_of_queries_however_many_links(
    client, board_member, signed_in, organisation, django_assert_max_num_queries
):
    few = self_evaluation(organisation.partnership, version=1)
    link_evidence(few, organisation, actions=1, indicators=1)
    with CaptureQueriesContext(connection) as with_few:
        readiness(client, few)
    many = self_evaluation(OrganisationFactory().partnership, version=1)
    other = OrganisationFactory(partnership=many.partnership)
    link_evidence(many, other, actions=6, indicators=5)
    signed_in(member(Role.BOARD, other))
    with django_assert_max_num_queries(len(with_few)):
        page = readiness(client, many)
    assert "R1.6</a>" in page
    assert len(with_few) <= 17
