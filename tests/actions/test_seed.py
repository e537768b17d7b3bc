from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from actions.models import (
    Action,
    AnnualUpdate,
    Plan,
    ProgressUpdate,
    RagLevel,
    Recommendation,
    RecommendationSummary,
)

pytestmark = pytest.mark.django_db

R1_1_WHAT_WE_WILL_DO = (
    "Implement revised governance arrangements for the local area SEND/ Alternative Provision (AP) system that are "
    "clear, understood and where all stakeholders are accountable."
)
R2_1_WHAT_WE_WILL_DO = (
    "Roll out 'every child a talker' support programme to all wards across the city.\n"
    "Commission effective practical resources for speech and language therapy in settings and schools."
)
R6_8_DIFFERENCE = (
    "Communications from the partnership are useful, relevant and informative for families. Families are well "
    "informed on key partnership activity and understand what it means for them."
)


def test_the_published_plan_has_six_recommendations_and_45_actions_in_document_order(module_southend):
    plan = Plan.objects.get()
    assert plan.title == "SEND Strategic Action Plan 2023–2026"
    assert plan.published_label == "Published July 2023. Version 1"
    assert plan.status == Plan.Status.PUBLISHED
    counts = [r.actions.count() for r in Recommendation.objects.order_by("number")]
    assert counts == [7, 15, 5, 4, 6, 8]
    references = list(
        Action.objects.order_by("recommendation__number", "order").values_list("reference", flat=True)
    )
    assert references[:3] == ["R1.1", "R1.2", "R1.3"]
    assert references[-1] == "R6.8"
    assert len(references) == 45


def test_action_texts_are_verbatim_with_their_line_breaks(module_southend):
    assert Action.objects.get(reference="R1.1").what_we_will_do == R1_1_WHAT_WE_WILL_DO
    assert Action.objects.get(reference="R2.1").what_we_will_do == R2_1_WHAT_WE_WILL_DO
    assert Action.objects.get(reference="R6.8").difference_this_will_make == R6_8_DIFFERENCE
    assert Action.objects.get(reference="R1.1").where_are_we_now.startswith(
        "Mid and South Essex (MSE) Integrated Care Board (ICB) is currently undergoing a reorganisation"
    )
    assert "\n\n1. emerging SEMH and\n2. " in Action.objects.get(reference="R2.9").where_are_we_now


def test_recommendation_texts_keep_the_documents_wording(module_southend):
    first = Recommendation.objects.get(number=1)
    assert first.text.startswith(
        "Leaders in education, health and social care are empowered to drive forward"
    )
    assert "all children and young and people with SEND." in first.text  # the plan's own wording, kept


def test_the_2023_24_summaries_are_loaded_for_every_recommendation(module_southend):
    summaries = RecommendationSummary.objects.order_by("recommendation__number")
    assert summaries.count() == 6
    assert [len(s.what_we_did) for s in summaries] == [7, 9, 7, 5, 6, 9]
    last = summaries.last()
    assert last.priority_heading == "Priorities 2024-25"
    assert last.priority.endswith("\nSEND champions are operational.")
    assert last.published_label == "October 2024"


def test_the_leaflets_title_date_and_introduction_are_loaded_with_its_summaries(module_southend):
    opening = AnnualUpdate.objects.get()
    assert (opening.year, opening.title, opening.published_label) == (
        "2023-24",
        "Update on Key Strategy Activity and Next Steps",
        "October 2024",
    )
    paragraphs = opening.introduction.split("\n\n")
    assert len(paragraphs) == 5
    assert paragraphs[0].startswith("In March 2023 the Southend-on-Sea Local Area Partnership was subject to")
    assert paragraphs[-1].startswith("For more detailed updates and to view the strategic action plan visit")


def test_loading_again_duplicates_nothing_and_keeps_progress(module_southend):
    call_command("load_southend", verbosity=0)
    assert Plan.objects.count() == 1
    assert Action.objects.count() == 45
    assert RecommendationSummary.objects.count() == 6
    assert AnnualUpdate.objects.count() == 1
    assert RagLevel.objects.count() == 5


def test_no_owner_or_lead_is_invented(module_southend):
    assert not Action.objects.filter(lead_officer__isnull=False).exists()
    assert not Recommendation.objects.filter(lead__isnull=False).exists()
    assert not ProgressUpdate.objects.exists()


def test_the_default_rag_scale_has_five_levels_with_definitions(module_southend):
    levels = list(RagLevel.objects.order_by("order"))
    assert [(level.label, level.meaning) for level in levels] == [
        ("Red", "off track"),
        ("Amber", "at risk"),
        ("Green", "on track"),
        ("Blue", "complete"),
        ("Grey", "not started"),
    ]
    assert all(level.definition for level in levels)
    assert {level.key for level in levels if level.needs_commentary} == {"red", "amber"}


def test_demo_history_is_flagged_and_pages_say_demo_data(client, signed_in):
    from core.models import User

    call_command("setup_demo", verbosity=0)
    assert ProgressUpdate.objects.exists()
    assert not ProgressUpdate.objects.filter(is_demo=False).exists()
    signed_in(User.objects.get(email="board@example.org"))
    page = client.get(Action.objects.get(reference="R1.1").get_absolute_url()).content.decode()
    assert "Demo data" in page
    assert page.count('class="app-demo-banner"') == 1  # the page's own wording, not a second banner


def test_demo_history_set_up_on_the_first_of_a_month_is_never_dated_after_that_moment():
    from actions.seed.demo import load_demo_history
    from core.models import Partnership

    call_command("setup_demo", verbosity=0)
    ProgressUpdate.objects.all().delete()
    now = timezone.make_aware(datetime(2026, 12, 1, 9, 0))
    load_demo_history(Partnership.objects.get(), now=now)
    latest = ProgressUpdate.objects.order_by("-reviewed_at").first()
    assert (latest.period.start, latest.reviewed_at) == (date(2026, 11, 1), now)
    assert not ProgressUpdate.objects.filter(submitted_at__gt=now).exists()


def test_every_page_of_a_partnership_with_demo_history_says_demo_data(client, signed_in):
    from core.models import Partnership, User

    call_command("setup_demo", verbosity=0)
    assert Partnership.objects.get().has_demo_data
    signed_in(User.objects.get(email="board@example.org"))
    for url in ("/", "/board/", "/plan/", "/kpis/indicators/"):
        assert (
            "Demo data</strong> This partnership holds sample progress updates"
            in client.get(url).content.decode()
        ), url
