"""Sources cited by file name read as the documents they are."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.documents import document_name
from core.models import Role
from tests.factories import OrganisationFactory, member
from tests.kpis.factories import IndicatorFactory, ReturnFactory


def test_a_cited_file_reads_as_its_document_title_and_date():
    assert document_name("003_2bc801761036d050.txt") == "People Scrutiny Committee pack, November 2022"


def test_the_part_of_a_document_stays_with_its_title():
    assert document_name("000_d50ea2fd0cf008ce.txt (Appendix 3, SEF introduction)") == (
        "Health and Wellbeing Board pack, 10 December 2024, Appendix 3, SEF introduction"
    )


def cited_files() -> set[str]:
    """Every seed file name the loaders' JSON cites, wherever it sits in the data."""
    found: set[str] = set()
    for path in Path(settings.BASE_DIR).glob("*/seed/*.json"):
        found.update(re.findall(r"\d{3}_[0-9a-f]{16}\.txt", path.read_text(encoding="utf-8")))
    return found


def test_every_document_the_seed_data_cites_has_a_title_and_date_for_readers():
    assert len(cited_files()) >= 4  # the action plan, the 2024 pack, the 2021 SEF and the 2022 scrutiny pack
    for name in cited_files():
        shown = document_name(name)
        assert ".txt" not in shown
        assert re.search(r", (\d{1,2} )?([A-Z][a-z]+ )?\d{4}$", shown), shown


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

    page = client.get(reverse("kpis:indicator", args=[indicator.pk])).content.decode()

    assert "Source: SEF executive summary, 2021" in page
    assert "002_df2c46bf65b2d74b" not in page
