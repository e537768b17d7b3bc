"""The seeded SEF read through its pages, with the number of queries each page makes pinned."""

import re

import pytest
from django.urls import reverse

from actions.seed.loader import load_southend_plan
from core.models import Role
from core.seed.southend import load_southend_partnership
from sef.models import EvaluationArea, SelfEvaluation
from sef.seed.loader import load_southend_sef
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def southend():
    partnership = load_southend_partnership()
    load_southend_plan(partnership)
    load_southend_sef(partnership)
    return partnership


@pytest.fixture
def sef_2024(southend):
    return SelfEvaluation.objects.get(partnership=southend, version=2)


@pytest.fixture
def board_member(southend, client, signed_in):
    signed_in(member(Role.BOARD, southend.organisations.first()))


PAGES = {
    "version": 11,
    "part_a": 13,
    "part_c": 13,
    "links": 11,
    "print": 18,
}


@pytest.mark.parametrize(("name", "queries"), PAGES.items())
def test_each_page_of_the_seeded_sef_has_a_fixed_number_of_queries(
    client, board_member, sef_2024, django_assert_max_num_queries, name, queries
):
    with django_assert_max_num_queries(queries):
        assert client.get(reverse(f"sef:{name}", args=[sef_2024.pk])).status_code == 200


def test_area_page_queries_do_not_grow_with_items(
    client, board_member, sef_2024, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        page = client.get(reverse("sef:area", args=[sef_2024.pk, 8])).content.decode()
    assert "Leaders have an accurate, shared understanding of the needs of children and young people" in page


def test_index_and_compare_pages_have_pinned_queries(
    client, board_member, southend, django_assert_max_num_queries
):
    older, newer = SelfEvaluation.objects.filter(partnership=southend).order_by("version")
    with django_assert_max_num_queries(8):
        page = client.get(reverse("sef:index")).content.decode()
    assert "Submitted for agreement at the Health and Wellbeing Board of 10 December 2024" in page
    with django_assert_max_num_queries(18):
        page = client.get(reverse("sef:compare"), {"older": older.pk, "newer": newer.pk}).content.decode()
    assert page.count("Only in version 2.") == 11
    choice = re.search(r'<form method="get".*?</form>', page, re.S)[0]  # type: ignore[index]
    assert "csrfmiddlewaretoken" not in choice  # a form that gets would put the token in the page's address


def test_the_version_page_shows_status_text_and_area_counts(client, board_member, sef_2024):
    page = client.get(reverse("sef:version", args=[sef_2024.pk])).content.decode()
    assert "Submitted for agreement" in page
    assert "Area 8: Leaders have an accurate, shared understanding" in page
    assert "Not judged" in page
    caption = " ".join(
        page.split('<caption class="govuk-table__caption govuk-table__caption--m">Part B')[1].split()
    )
    # the document's title for Part B, then on a line of its own what the table counts
    assert caption.startswith(
        ": Assessment of current arrangements and their impact for children and young people with SEND <span"
    )
    assert (
        "The 11 areas of the inspection framework. The figures count the points written under each heading;"
        in (caption.split("</caption>")[0])
    )


def test_part_a_lists_the_key_issues_verbatim(client, board_member, sef_2024):
    page = client.get(reverse("sef:part_a", args=[sef_2024.pk])).content.decode()
    assert page.count('id="key-issue-') == 14
    assert "Just over a third of EHC plans were reviewed within 12 months of the last review." in page
    # where the document puts it: after the section's analysis of inspections, before the pilot pathways
    first_issue = page.index('id="key-issue-1"')
    assert (
        page.index("An analysis of all Ofsted inspections")
        < first_issue
        < page.index("After consultation with")
    )


def test_the_sefs_lists_and_tables_read_as_lists_and_tables_on_its_pages(client, board_member, sef_2024):
    for name in ("sef:version", "sef:print"):
        page = client.get(reverse(name, args=[sef_2024.pk])).content.decode()
        assert '<ul class="govuk-list govuk-list--bullet"><li>Southend-on-Sea City Council</li>' in page
        assert "- Southend-on-Sea City Council" not in page
    part_a = client.get(reverse("sef:part_a", args=[sef_2024.pk])).content.decode()
    assert '<th scope="col" class="govuk-table__header">Classification of social care support</th>' in part_a
    assert (
        '<th scope="row" class="govuk-table__header">Child in Need</th><td class="govuk-table__cell">2.2%</td>'
        in (part_a)
    )
    assert "| Those with" not in part_a
    assert '<p class="govuk-body app-editorial-note">[The graph in the original document' in part_a


def test_part_a_lists_its_key_issues_after_its_contents_each_linked_to_where_it_stands(
    client, board_member, sef_2024
):
    page = client.get(reverse("sef:part_a", args=[sef_2024.pk])).content.decode()
    listed = page.split('<h2 class="govuk-heading-m">Key issues</h2>')[1].split("</ul>")[0]
    assert listed.count('<a class="govuk-link" href="#key-issue-') == 14
    assert (
        '<a class="govuk-link" href="#key-issue-6">Key issue 6</a>: Just over a third of EHC plans were reviewed within 12 months of the last review.</li>'
        in listed
    )
    assert page.index("Key issues</h2>") < page.index('id="section-1"')


def test_a_key_issue_names_the_areas_it_is_linked_to_and_one_linked_to_none_says_nothing_of_links(
    client, board_member, sef_2024
):
    linked = sef_2024.key_issues.get(order=6)
    area = EvaluationArea.objects.get(number=3)
    linked.areas.add(area)

    page = client.get(reverse("sef:part_a", args=[sef_2024.pk])).content.decode()

    issue_6 = page.split('id="key-issue-6"')[1].split("</div>")[0]
    issue_7 = page.split('id="key-issue-7"')[1].split("</div>")[0]
    area_link = reverse("sef:area", args=[sef_2024.pk, 3])
    assert "Linked to:" in issue_6
    assert f'<li><a class="govuk-link" href="{area_link}">Area 3: {area.title}</a></li>' in issue_6
    assert "Linked to" not in issue_7 and "none yet" not in page


def test_the_portals_own_part_a_pages_number_the_key_issues_for_reference(client, board_member, sef_2024):
    part_a = client.get(reverse("sef:part_a", args=[sef_2024.pk])).content.decode()
    printed = client.get(reverse("sef:print", args=[sef_2024.pk])).content.decode()
    assert '<h3 class="govuk-heading-s govuk-!-margin-bottom-2">Key issue 14</h3>' in part_a
    assert "<strong>Key issue 14:</strong>" in printed


def test_the_print_version_holds_the_whole_document(client, board_member, sef_2024):
    page = client.get(reverse("sef:print", args=[sef_2024.pk])).content.decode()
    assert page.count('<h3 class="govuk-heading-m">') == 18 + 11
    assert "SEND champions across the area will be in place." in page
    assert "govuk-service-navigation" not in page


def test_the_2021_version_shows_its_text_and_ratings(client, board_member, southend):
    earlier = SelfEvaluation.objects.get(partnership=southend, version=1)
    page = client.get(reverse("sef:version", args=[earlier.pk])).content.decode()
    assert page.count('<td class="govuk-table__cell">Partly Achieved</td>') == 5
    assert "Priority 5: Ensure value for money" in page
