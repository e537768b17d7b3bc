"""A new meeting's narrative is drafted from the evidence since the last Board, and keeps the author's edits."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import RecommendationSummary
from kpis.models import Unit
from reports import services
from reports.drafting import draft_fields
from reports.models import Meeting, Narrative
from tests.actions.factories import approved_update
from tests.kpis.factories import IndicatorFactory, ReturnFactory
from tests.reports.factories import MeetingFactory, NarrativeFactory
from tests.sef.factories import self_evaluation

pytestmark = pytest.mark.django_db

LAST_BOARD = date(2030, 6, 10)
THIS_BOARD = date(2030, 12, 1)


def moment(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


AS_AT = timezone.make_aware(datetime(2030, 11, 20, 9))


def approved_on(action, month: date, key: str, reviewed: date, **fields) -> None:
    """An update of the month, approved by the lead on the day `reviewed`."""
    approved_update(action, month, key, reviewed_at=moment(reviewed), **fields)


def drafted(world, day: date = THIS_BOARD) -> Narrative:
    """A meeting's narrative as drafted with the data as at AS_AT (the caller decides the window)."""
    meeting = MeetingFactory(partnership=world.partnership, date=day)
    return Narrative.objects.create(meeting=meeting, **draft_fields(meeting, now=AS_AT))


def new_meeting(world, day: date, actor=None) -> Meeting:
    """A meeting recorded as democratic services record it: drafted with the data as it is now."""
    return services.meeting_create(
        actor=actor or world.democratic,
        partnership=world.partnership,
        data={
            "body": "Health and Wellbeing Board",
            "council": "Test City Council",
            "date": day,
            "agenda_item": "5",
            "report_title": "SEND update",
            "report_author": "Ada Author",
            "executive_director": "Eve Director",
            "classification": "Part 1",
            "democratic_contact": "Dee Democratic",
            "build_days_before": 10,
        },
    )


@pytest.fixture
def last_board(world):
    return NarrativeFactory(
        meeting__partnership=world.partnership,
        meeting__date=LAST_BOARD,
        background="Carried background.",
        recommendation_wording={"2": "The cover report's own words for two."},
    ).meeting


def test_a_new_meetings_progress_quotes_the_approved_updates_since_the_last_board(world, last_board):
    approved_on(
        world.action, date(2030, 5, 1), "amber", date(2030, 5, 20), commentary="Words from before the Board."
    )
    approved_update(
        world.action,
        date(2030, 9, 1),
        "green",
        commentary="Pilot running in\n\nthree wards.",
        proposed_due_date=date(2031, 3, 31),
        proposed_due_reason="the pilot was extended",
        reviewed_at=moment(date(2030, 9, 20)),
        reviewed_by=world.lead,
    )
    world.milestone.completed_on = date(2030, 8, 1)
    world.milestone.save()
    indicator = IndicatorFactory(
        owner_organisation=world.council, title="Plans on time", unit=Unit.PERCENTAGE
    )
    indicator.recommendations.add(world.recommendation)
    ReturnFactory(  # from a published document: known at the date it describes
        indicator=indicator,
        value=40,
        period_label="May 2030",
        reference_date=date(2030, 5, 31),
        submitted_by=None,
    )
    ReturnFactory(  # entered in the portal: known when submitted
        indicator=indicator,
        value=Decimal("55.5"),
        period_label="October 2030",
        reference_date=date(2030, 10, 31),
        submitted_by=world.officer,
        submitted_at=moment(date(2030, 11, 1)),
    )
    ReturnFactory(  # entered after the as-at time: not in this draft
        indicator=indicator,
        value=70,
        period_label="November 2030",
        reference_date=date(2030, 11, 30),
        submitted_by=world.officer,
        submitted_at=moment(date(2030, 12, 1)),
    )

    narrative = drafted(world)

    progress = narrative.progress[str(world.recommendation.number)]
    since = "since the Health and Wellbeing Board of 10 June 2030"
    assert "R2.1 (September 2030): Pilot running in three wards." in progress
    assert "Words from before the Board." not in progress
    assert f"Milestones completed {since}:\n- R2.1: Pilot in three wards (1 August 2030)" in progress
    assert (
        f"Due dates moved {since}:\n- R2.1: now due 31 March 2031, because the pilot was extended" in progress
    )
    assert f"Status changes {since}:\n- R2.1: Amber" in progress and "to Green" in progress
    assert (
        f"Linked indicators with a new figure {since}:\n- Plans on time: 40% (May 2030) to 55.5% (October 2030)"
        in (progress)
    )
    quiet = narrative.progress[str(world.other_recommendation.number)]
    assert quiet.startswith(
        f"No update was approved and no milestone, date, status or linked indicator changed {since}."
    )
    sources = [
        source for _, source in narrative.drafted[f"progress:{world.recommendation.number}"]["paragraphs"]
    ]
    assert (
        f"Approved update for R2.1, September 2030, approved 20 September 2030 by {world.lead.get_full_name()}"
        in sources
    )
    assert "Plans on time: 40% (May 2030) to 55.5% (October 2030)." in narrative.impact.splitlines()


def test_before_the_first_board_the_linked_indicators_latest_figures_are_given_none_called_new(world):
    indicator = IndicatorFactory(owner_organisation=world.council, title="Plans on time", unit="percentage")
    indicator.recommendations.add(world.recommendation)
    ReturnFactory(indicator=indicator, value=35, period_label="2018/19", reference_date=date(2019, 3, 31))
    ReturnFactory(
        indicator=indicator,
        value=40,
        period_label="2020 (the SEF gives the year in the sentence before)",
        reference_date=date(2020, 12, 31),
    )

    progress = drafted(world).progress[str(world.recommendation.number)]

    assert "The linked indicators' latest figures:\n- Plans on time: 40% (2020)" in progress
    assert "first figure" not in progress and "new figure" not in progress and "2018/19" not in progress


def test_the_background_and_the_recommendations_wording_carry_over_from_the_last_board(world, last_board):
    narrative = drafted(world)
    assert narrative.background == "Carried background."
    assert narrative.recommendation_wording == {"2": "The cover report's own words for two."}


def test_sections_5_and_6_use_only_the_current_years_summaries(world, last_board):
    for year, words in [("2028-29", "Stale difference."), ("2029-30", "Current difference.")]:
        RecommendationSummary.objects.create(
            recommendation=world.recommendation,
            year=year,
            what_we_wanted="A joined-up system.",
            difference_it_made=words,
            priority_heading=f"Priority {year}",
            priority=f"Priority for after {year}.",
        )
    narrative = drafted(world)
    assert narrative.impact.splitlines()[0] == "Current difference."
    assert "Stale difference." not in narrative.impact
    assert narrative.priorities == "Priority for after 2029-30."
    assert narrative.priorities_heading == "Ongoing priorities for 30/31"


def test_without_this_years_summaries_sections_5_and_6_name_the_years_they_wait_for(world, last_board):
    narrative = drafted(world)
    assert narrative.priorities_heading == "Ongoing priorities for 30/31"
    assert (
        narrative.priorities
        == "No recommendation summary for 2029-30 has set the priorities for 2030-31 yet."
    )


def test_section_2_asks_to_agree_a_sef_only_when_one_awaits_this_boards_agreement(world, last_board):
    sef = self_evaluation(
        world.partnership, meeting_body="Health and Wellbeing Board", meeting_date=LAST_BOARD
    )
    lines = drafted(world).recommendations.splitlines()
    assert lines == [
        "To note progress",
        "To request a further update on the area's progress in implementing the action plan in 6 months",
    ]
    sef.meeting_date = date(2031, 6, 2)
    sef.save()
    asked = drafted(world, day=date(2031, 6, 2)).recommendations.splitlines()
    assert asked[-1] == "To agree the Self Evaluation Framework (SEF)"


def test_the_next_update_is_the_next_meeting_when_one_is_recorded(world, last_board):
    MeetingFactory(partnership=world.partnership, date=date(2031, 3, 2))
    lines = drafted(world).recommendations.splitlines()
    assert lines[1].endswith("at its meeting of 2 March 2031")


def test_a_redraft_keeps_the_authors_edits_unless_that_section_is_asked_for(world):
    today = timezone.localdate()
    NarrativeFactory(meeting__partnership=world.partnership, meeting__date=today - timedelta(days=120))
    meeting = new_meeting(world, today + timedelta(days=14))
    narrative = meeting.narrative
    key, other = str(world.recommendation.number), str(world.other_recommendation.number)
    services.narrative_update(
        actor=world.democratic,
        narrative=narrative,
        data={"progress": {**narrative.progress, key: "The author's own words."}},
    )
    approved_update(world.action, today, "red", commentary="Now off track.", reviewed_at=timezone.now())
    approved_update(world.other_action, today, "green", commentary="Other news.", reviewed_at=timezone.now())

    replaced = services.narrative_redraft(actor=world.democratic, narrative=narrative)

    narrative.refresh_from_db()
    assert narrative.progress[key] == "The author's own words."
    assert "Other news." in narrative.progress[other]
    assert f"progress:{key}" not in replaced

    services.narrative_redraft(
        actor=world.democratic,
        narrative=narrative,
        sections={f"progress:{key}"},
    )
    narrative.refresh_from_db()
    assert "Now off track." in narrative.progress[key]


def test_the_editor_sees_where_each_drafted_paragraph_came_from_and_what_they_changed(
    client, signed_in, world, last_board
):
    approved_update(
        world.action,
        date(2030, 9, 1),
        "green",
        commentary="Pilot running.",
        reviewed_at=moment(date(2030, 9, 20)),
    )
    meeting = drafted(world).meeting
    signed_in(world.democratic)
    page = client.get(reverse("reports:narrative", args=[meeting.pk])).content.decode()
    assert "Approved update for R2.1, September 2030, approved 20 September 2030" in page
    assert "As the portal drafted it" in page

    narrative = meeting.narrative
    services.narrative_update(actor=world.democratic, narrative=narrative, data={"impact": "Mine."})
    page = client.get(reverse("reports:narrative", args=[meeting.pk])).content.decode()
    assert "Changed by the author" in page


def test_a_redraft_of_one_section_is_asked_for_on_its_own_page(client, signed_in, world, last_board):
    meeting = drafted(world).meeting
    services.narrative_update(
        actor=world.democratic,
        narrative=meeting.narrative,
        data={"impact": "Mine."},
    )
    url = reverse("reports:redraft", args=[meeting.pk])
    signed_in(world.board)
    assert client.post(url, {"section": "impact"}).status_code == 403
    signed_in(world.democratic)
    assert "Changed by the author" in client.get(url).content.decode()
    error = client.post(url, {"section": "nothing-like-it"})
    assert error.status_code == 400 and "Error: " in error.content.decode()
    response = client.post(url, {"section": "impact"})
    assert response.status_code == 302
    meeting.narrative.refresh_from_db()
    assert meeting.narrative.impact != "Mine."


def test_the_meeting_page_warns_of_sections_that_still_say_there_was_nothing_to_draft_them_from(
    world, signed_in
):
    found = MeetingFactory(partnership=world.partnership, date=timezone.localdate() + timedelta(days=40))
    fields = draft_fields(found, now=timezone.now())  # nothing approved, no summaries
    narrative = NarrativeFactory(meeting=found, **fields)
    client = signed_in(world.democratic)

    def warning() -> str:
        page = " ".join(client.get(found.get_absolute_url()).content.decode().split())
        return (
            page.split('govuk-warning-text__text">')[1].split("</strong>")[0]
            if "warning-text__text" in page
            else ""
        )

    assert "3 sections of the report still say there was nothing to draft them from" in warning()
    assert "3. Background, 5. Impact to date, 6. Priorities" in warning()
    narrative.background = "The area was inspected in March 2023."
    narrative.impact = "Waiting times fell."
    narrative.save()
    assert "1 section of the report still says there was nothing to draft it from: 6. Priorities" in warning()
    narrative.priorities = "Transitions to adult services."
    narrative.save()
    assert warning() == ""


def test_a_narrative_drafted_before_the_meeting_in_between_counts_from_the_last_board_whose_data_is_in(
    world, last_board
):
    in_between = MeetingFactory(partnership=world.partnership, date=date(2031, 1, 15), body=last_board.body)
    approved_on(world.action, date(2030, 5, 1), "amber", date(2030, 5, 20))
    approved_on(world.action, date(2030, 9, 1), "green", date(2030, 9, 20), commentary="Seen since June.")

    narrative = drafted(world, day=date(2031, 4, 1))

    assert last_board.cut_off_at < AS_AT < in_between.cut_off_at
    progress = narrative.progress[str(world.recommendation.number)]
    assert "R2.1 (September 2030): Seen since June." in progress
    assert "Status changes since the Health and Wellbeing Board of 10 June 2030:\n- R2.1: Amber" in progress
    assert "15 January 2031" not in progress
