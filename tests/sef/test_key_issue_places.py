"""A Part A section's narrative cut where its key issues stand, so that pages and the pack read as the document."""

import pytest

from core.models import Partnership
from sef.models import ContextSection, KeyIssue
from tests.sef.factories import self_evaluation

pytestmark = pytest.mark.django_db

NARRATIVE = "First paragraph.\n\n- a list\n- of two\n\nThird paragraph."


def section_with_issues(*places: int | None) -> ContextSection:
    evaluation = self_evaluation(Partnership.objects.create(name="Area"))
    section = ContextSection.objects.create(
        evaluation=evaluation, order=2, heading="Health", narrative=NARRATIVE
    )
    for order, place in enumerate(places, start=2):
        KeyIssue.objects.create(
            evaluation=evaluation, section=section, order=order, text=f"Issue {order}", after_paragraph=place
        )
    return ContextSection.objects.prefetch_related("key_issues").get(pk=section.pk)


def parts(section: ContextSection) -> list[tuple[str, list[str]]]:
    return [(part.text, [issue.text for issue in part.key_issues]) for part in section.narrative_parts()]


def test_a_key_issue_stands_between_the_paragraphs_the_document_puts_around_it():
    assert parts(section_with_issues(1)) == [
        ("First paragraph.", ["Issue 2"]),
        ("- a list\n- of two\n\nThird paragraph.", []),
    ]


def test_key_issues_at_one_place_keep_their_order_and_one_before_any_paragraph_comes_first():
    assert parts(section_with_issues(2, 0, 2)) == [
        ("", ["Issue 3"]),
        ("First paragraph.\n\n- a list\n- of two", ["Issue 2", "Issue 4"]),
        ("Third paragraph.", []),
    ]


def test_a_key_issue_with_no_place_or_one_beyond_the_narrative_follows_its_last_paragraph():
    assert parts(section_with_issues(None, 9)) == [(NARRATIVE, ["Issue 2", "Issue 3"])]


def test_a_section_without_key_issues_is_its_narrative_whole():
    assert parts(section_with_issues()) == [(NARRATIVE, [])]
