"""Sources cited by file name read as the documents they are."""

import pytest
from django.urls import reverse

from core.documents import document_name
from core.models import Role
from tests.dashboards.factories import IndicatorFactory, ReturnFactory
from tests.factories import OrganisationFactory, member


def test_a_cited_file_reads_as_its_document_with_the_file_beside_it():
    assert document_name("003_2bc801761036d050.txt") == (
        "People Scrutiny Committee pack, November 2022 (file 003_2bc801761036d050.txt)"
    )


def test_the_part_of_a_document_stays_with_its_title():
    assert document_name("000_d50ea2fd0cf008ce.txt (Appendix 3, SEF introduction)") == (
        "Health and Wellbeing Board supplementary pack, 10 December 2024, Appendix 3, SEF introduction "
        "(file 000_d50ea2fd0cf008ce.txt)"
    )


@pytest.mark.parametrize(
    "source", ["DfE SEN2 return", "999_unknown.txt", "", "000_d50ea2fd0cf008ce.txt (a (b))"]
)
def test_any_other_source_is_shown_as_it_was_recorded(source):
    assert document_name(source) == source


@pytest.mark.django_db
def test_the_indicator_page_names_the_document_a_figure_came_from(client, signed_in):
    council = OrganisationFactory()
    indicator = IndicatorFactory(owner_organisation=council)
    ReturnFactory(indicator=indicator, source_document="002_df2c46bf65b2d74b.txt", submitted_by=None)
    signed_in(member(Role.BOARD, council))

    page = client.get(reverse("dashboards:indicator", args=[indicator.pk])).content.decode()

    assert "Source: SEF executive summary, 2021 (file 002_df2c46bf65b2d74b.txt)" in page
