import json
from collections import Counter

import pytest
from django.core.management import call_command

from actions.seed.loader import load_southend_plan
from core.seed.southend import load_southend_partnership
from sef.models import (
    AreaEvaluation,
    AreaItem,
    ContextSection,
    EvaluationArea,
    InspectionFramework,
    KeyIssue,
    Priority,
    SelfEvaluation,
)
from sef.seed.loader import SEF_2024_FILE, load_southend_sef

pytestmark = pytest.mark.django_db

AREA_8 = "Leaders have an accurate, shared understanding of the needs of children and young people in their local area"
KEY_ISSUE_6 = "Just over a third of EHC plans were reviewed within 12 months of the last review."


@pytest.fixture
def southend():
    partnership = load_southend_partnership()
    load_southend_plan(partnership)
    load_southend_sef(partnership)
    return partnership


@pytest.fixture
def sef_2024(southend):
    return SelfEvaluation.objects.get(partnership=southend, dated="2024-10-10")


def test_the_framework_has_eleven_areas_in_two_strands_and_three_outcomes(southend):
    framework = InspectionFramework.objects.get()
    assert framework.areas.count() == 11
    assert [s.key for s in framework.strands.all()] == ["experiences", "leadership"]
    assert list(framework.strands.get(key="experiences").areas.values_list("number", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert list(framework.strands.get(key="leadership").areas.values_list("number", flat=True)) == list(
        range(6, 12)
    )
    assert framework.areas.get(number=8).title == AREA_8
    assert framework.outcomes.get(number=2).text == (
        "The local area partnership's arrangements lead to inconsistent experiences and outcomes for children "
        "and young people with SEND."
    )


def test_the_2024_sef_has_every_part_a_section_and_key_issue_verbatim(sef_2024):
    assert sef_2024.sections.count() == 18
    assert sef_2024.sections.get(order=18).heading == "Feedback"
    assert sef_2024.key_issues.count() == 14
    issue = sef_2024.key_issues.get(order=6)
    assert issue.text == KEY_ISSUE_6
    assert issue.section.heading == "EHC Plan Annual Reviews"
    assert (
        sef_2024.key_issues.get(order=13).section.heading == "Area Partnership Leadership and Commissioning"
    )


def test_the_2024_sef_has_every_part_b_item_under_its_heading_for_each_area(sef_2024):
    document = json.loads(SEF_2024_FILE.read_text(encoding="utf-8"))
    counts = Counter(
        AreaItem.objects.filter(area_evaluation__evaluation=sef_2024).values_list(
            "area_evaluation__area__number", "heading"
        )
    )
    expected = {
        1: (22, 16, 8), 2: (10, 5, 3), 3: (13, 10, 12), 4: (9, 10, 10), 5: (10, 10, 3), 6: (8, 2, 3),
        7: (8, 8, 3), 8: (10, 8, 5), 9: (11, 13, 12), 10: (11, 5, 10), 11: (16, 8, 3),
    }  # fmt: skip
    for number, (do_well, impact, improve) in expected.items():
        assert counts[(number, "do_well")] == do_well, number
        assert counts[(number, "impact")] == impact, number
        assert counts[(number, "improve")] == improve, number
    assert sum(counts.values()) == 295
    area_1 = sef_2024.area_evaluations.get(area__number=1)
    first = area_1.items.get(heading=AreaItem.Heading.DO_WELL, order=1).text
    assert first == document["part_b"]["areas"][0]["what_we_do_well"][0]
    assert first.startswith("The multi-agency core referral team (MACRT) is well established")
    assert area_1.improve_heading == "What do we need to do to improve?"
    assert sef_2024.area_evaluations.get(area__number=2).improve_heading == "What do we need to do to improve"


def test_no_area_has_an_invented_judgement(sef_2024):
    assert sef_2024.area_evaluations.count() == 11
    assert not sef_2024.area_evaluations.filter(judgement__isnull=False).exists()
    assert not sef_2024.area_evaluations.exclude(judgement_rationale="").exists()


def test_the_default_judgement_scale_is_the_three_inspection_outcomes(southend):
    labels = list(southend.judgement_levels.values_list("label", flat=True))
    assert labels == list(InspectionFramework.objects.get().outcomes.values_list("text", flat=True))


def test_part_c_priorities_are_grouped_by_their_recommendation_of_the_plan(sef_2024):
    groups = list(sef_2024.priority_groups.select_related("recommendation"))
    assert [g.number for g in groups] == [1, 2, 3, 4, 5, 6]
    assert all(g.recommendation.number == g.number for g in groups)
    assert [g.priorities.count() for g in groups] == [4, 6, 4, 3, 2, 4]
    assert Priority.objects.get(group__evaluation=sef_2024, group__number=6, order=2).text == (
        "SEND champions across the area will be in place."
    )
    assert not Priority.actions.through.objects.exists()  # no document names the actions


def test_the_2024_sef_is_submitted_for_agreement_at_the_december_board_not_agreed(sef_2024):
    assert sef_2024.status == SelfEvaluation.Status.SUBMITTED
    assert sef_2024.meeting_body == "Health and Wellbeing Board"
    assert str(sef_2024.meeting_date) == "2024-12-10"
    assert sef_2024.agreed_on is None
    assert sef_2024.version == 2


def test_the_2021_summary_is_the_earlier_version_with_its_partly_achieved_priorities(sef_2024):
    earlier = sef_2024.based_on
    assert earlier.version == 1
    assert earlier.title == "SEND Self-evaluation - Executive Summary"
    assert earlier.status == SelfEvaluation.Status.SUPERSEDED
    assert "1. Introduction" in earlier.summary_text
    priorities = list(earlier.previous_priorities.all())
    assert len(priorities) == 5
    assert {(p.rating, p.period) for p in priorities} == {("Partly Achieved", "2016-19")}
    assert priorities[0].text == "Priority 1: Timely Intervention"


def test_loading_twice_duplicates_nothing():
    call_command("load_southend", verbosity=0)
    counts = [m.objects.count() for m in (SelfEvaluation, EvaluationArea, ContextSection, KeyIssue, AreaItem)]
    call_command("load_southend", verbosity=0)
    assert [
        m.objects.count() for m in (SelfEvaluation, EvaluationArea, ContextSection, KeyIssue, AreaItem)
    ] == counts
    assert AreaEvaluation.objects.count() == 11


def test_the_2024_sef_places_each_key_issue_after_the_paragraph_the_document_puts_before_it(sef_2024):
    education = sef_2024.sections.prefetch_related("key_issues").get(heading="Education provision")
    before, after = education.narrative_parts()
    assert before.text.endswith("use the information they have to support all pupils with SEND.")
    assert [issue.order for issue in before.key_issues] == [1]
    assert after.text.startswith("After consultation with parents/carers")
    assert after.key_issues == []
    reviews = sef_2024.sections.prefetch_related("key_issues").get(heading="EHC Plan Annual Reviews")
    assert [[issue.order for issue in part.key_issues] for part in reviews.narrative_parts()] == [[6], [7]]
