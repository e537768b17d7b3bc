"""Indicators linked to framework areas: chosen on the indicator's form, listed on each version's area page."""

import pytest
from django.urls import reverse

from core.models import AuditEvent, Role
from kpis.models import Indicator
from sef.models import EvaluationArea
from tests.factories import OrganisationFactory, member
from tests.kpis.factories import IndicatorFactory
from tests.sef.factories import self_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return OrganisationFactory()


@pytest.fixture
def evaluation(organisation):
    return self_evaluation(organisation.partnership)


def area(evaluation, number):
    return EvaluationArea.objects.get(framework=evaluation.framework, number=number)


def area_page(client, evaluation, number):
    return client.get(reverse("sef:area", args=[evaluation.pk, number])).content.decode()


def test_the_area_page_lists_its_indicators_linking_to_their_board_page(
    client, signed_in, organisation, evaluation
):
    linked = IndicatorFactory(
        owner_organisation=organisation, code="EHCP_20_WEEKS", title="Plans in 20 weeks"
    )
    linked.sef_areas.add(area(evaluation, 1))
    IndicatorFactory(owner_organisation=organisation, code="NOT_LINKED", title="Tribunals").sef_areas.add(
        area(evaluation, 2)
    )
    signed_in(member(Role.BOARD, organisation))
    page = area_page(client, evaluation, 1)
    assert f'href="{reverse("boards:indicator", args=[linked.pk])}"' in page
    assert ">Plans in 20 weeks</a>" in page
    assert "EHCP_20_WEEKS" not in page  # the code is the returns file's, not a reader's
    assert "Tribunals" not in page
    assert ">Tribunals</a>" in area_page(client, evaluation, 2)


def test_the_area_page_shows_none_linked_without_indicators(client, signed_in, organisation, evaluation):
    signed_in(member(Role.BOARD, organisation))
    page = area_page(client, evaluation, 3)
    assert ">Indicators</dt>" in page
    assert "None linked" in page.split(">Indicators</dt>")[1]


def test_another_partnerships_indicator_on_the_same_shared_area_is_not_listed(
    client, signed_in, organisation, evaluation
):
    IndicatorFactory(title="Tribunals elsewhere").sef_areas.add(area(evaluation, 1))
    IndicatorFactory(owner_organisation=organisation, title="Tribunals here").sef_areas.add(
        area(evaluation, 1)
    )
    signed_in(member(Role.ADMIN, organisation))
    page = area_page(client, evaluation, 1)
    assert ">Tribunals here</a>" in page
    assert "Tribunals elsewhere" not in page


def test_a_restricted_indicator_is_listed_only_for_roles_that_may_see_it(
    client, signed_in, organisation, evaluation
):
    restricted = IndicatorFactory(
        owner_organisation=organisation, title="Tribunals", restricted=True, visible_to_roles=["lead"]
    )
    restricted.sef_areas.add(area(evaluation, 1))
    signed_in(member(Role.BOARD, organisation))
    assert "Tribunals" not in area_page(client, evaluation, 1)
    signed_in(member(Role.LEAD, organisation))
    assert ">Tribunals</a>" in area_page(client, evaluation, 1)


def test_an_admin_chooses_an_indicators_areas_with_checkboxes_and_the_change_is_audited(
    client, signed_in, organisation, evaluation
):
    indicator = IndicatorFactory(owner_organisation=organisation, code="ANNUAL_REVIEWS")
    signed_in(member(Role.ADMIN, organisation))
    url = reverse("kpis:indicator_edit", args=[indicator.pk])
    form = client.get(url).content.decode()
    assert form.count('name="sef_areas"') == 11
    assert 'type="checkbox"\n          name="sef_areas"' in form
    fields = {
        "code": indicator.code,
        "title": indicator.title,
        "description": indicator.description,
        "unit": indicator.unit,
        "better": indicator.better,
        "frequency": indicator.frequency,
        "source_collection": indicator.source_collection,
        "cohort": indicator.cohort,
        "owner_organisation": organisation.pk,
        "sef_areas": [area(evaluation, 4).pk, area(evaluation, 9).pk],
    }
    response = client.post(url, fields)
    assert response.status_code == 302
    assert sorted(Indicator.objects.get(pk=indicator.pk).sef_areas.values_list("number", flat=True)) == [4, 9]
    assert AuditEvent.objects.filter(verb="updated").exists()
    assert "ANNUAL_REVIEWS" in area_page(client, evaluation, 9)
    detail = client.get(reverse("kpis:indicator", args=[indicator.pk])).content.decode()
    assert "Area 9: " in detail
