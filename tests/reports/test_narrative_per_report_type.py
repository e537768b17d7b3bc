"""The narrative's editor, its redraft and the meeting page's warnings show the parts the meeting's kind of report
prints, labelled as that report numbers them; a kind that prints no narrative has no editor."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.drafting import BACKGROUND_PROMPT, draft_fields
from reports.models import Meeting, ReportType
from tests.conftest import sign_in
from tests.reports.factories import MeetingFactory, NarrativeFactory

pytestmark = pytest.mark.django_db


def drafted_meeting(world, report_type: str, **fields) -> Meeting:
    """A meeting to come of this kind, its narrative drafted from data that gives the background nothing."""
    found = MeetingFactory(
        partnership=world.partnership,
        report_type=report_type,
        body=fields.pop("body", "People Scrutiny Committee"),
        date=timezone.localdate() + timedelta(days=40),
        **fields,
    )
    NarrativeFactory(meeting=found, **draft_fields(found, now=timezone.now()))
    return found


def labels(page: str) -> list[str]:
    """The labels of the narrative form's boxes, in order."""
    return [
        " ".join(part.split("</label>")[0].split(">", 1)[1].split()) for part in page.split("<label ")[1:]
    ]


SCRUTINY_PARTS = [
    "1. Purpose of report",
    "2. Recommendations",
    "3. Background",
    "Recommendation 2 as this report words it (optional)",
    "Recommendation 3 as this report words it (optional)",
    "Progress towards recommendation 2",
    "Progress towards recommendation 3",
]
HWBB_PARTS = [
    "1. Executive summary",
    "2. Recommendations",
    "3. Background",
    "3.4 Recommendation 2 as this report words it (optional)",
    "3.4 Recommendation 3 as this report words it (optional)",
    "4.1 Introduction to progress",
    "Progress towards recommendation 2",
    "Progress towards recommendation 3",
    "5. Impact to date",
    "Heading of section 6",
    "6. Priorities",
]


@pytest.mark.parametrize(
    ("report_type", "body", "parts"),
    [
        (ReportType.SCRUTINY, "People Scrutiny Committee", SCRUTINY_PARTS),
        (ReportType.HWBB, "Health and Wellbeing Board", HWBB_PARTS),
        (ReportType.MONITORING, "DfE and NHS England", ["1. Purpose of report", *SCRUTINY_PARTS[-2:]]),
    ],
)
def test_the_narrative_has_the_parts_its_report_prints_numbered_as_it_prints_them(
    world, signed_in, report_type, body, parts
):
    meeting = drafted_meeting(world, report_type, body=body)
    client = signed_in(world.democratic)

    page = client.get(reverse("reports:narrative", args=[meeting.pk])).content.decode()

    assert labels(page) == parts
    if "2. Recommendations" in parts:
        assert f"What the {body} is asked to do" in page


def test_saving_a_reports_parts_keeps_the_narratives_other_parts(world, signed_in):
    meeting = drafted_meeting(world, ReportType.PARTNERSHIP_BOARD, body="SEND Strategic Partnership Board")
    narrative = meeting.narrative
    narrative.impact, narrative.progress = "Written for another report.", {"intro": "Intro.", "2": "Two."}
    narrative.recommendation_wording = {"3": "Three, as last worded."}
    narrative.save()
    client = signed_in(world.democratic)
    url = reverse("reports:narrative", args=[meeting.pk])
    assert labels(client.get(url).content.decode()) == ["1. Purpose of report"]

    refused = client.post(url, {"executive_summary": ""})
    assert refused.status_code == 400 and "Enter the purpose of report" in refused.content.decode()
    assert client.post(url, {"executive_summary": "To report on the risks."}).status_code == 302

    narrative.refresh_from_db()
    assert narrative.executive_summary == "To report on the risks."
    assert narrative.impact == "Written for another report."
    assert narrative.progress == {"intro": "Intro.", "2": "Two."}
    assert narrative.recommendation_wording == {"3": "Three, as last worded."}


def test_a_scrutiny_narrative_saves_each_recommendations_progress_and_wording(world, signed_in):
    meeting = drafted_meeting(world, ReportType.SCRUTINY)
    client = signed_in(world.democratic)
    form = {
        "executive_summary": "To update the committee.",
        "recommendations": "Note the progress",
        "background": "The area was inspected in March 2023.",
        "wording_2": "  Two, in the committee's words. ",
        "wording_3": "",
        "progress_2": "Progress on two.",
        "progress_3": "",
    }

    assert client.post(reverse("reports:narrative", args=[meeting.pk]), form).status_code == 302

    narrative = meeting.narrative
    narrative.refresh_from_db()
    assert narrative.progress["2"] == "Progress on two." and narrative.progress["3"] == ""
    assert narrative.progress["intro"]  # the Board's introduction, which this report does not print, is kept
    assert narrative.recommendation_wording == {"2": "Two, in the committee's words."}


def test_the_meeting_page_warns_only_of_the_sections_this_report_prints_by_its_own_numbers(world, signed_in):
    scrutiny = drafted_meeting(world, ReportType.SCRUTINY)
    board = drafted_meeting(world, ReportType.HWBB, body="Health and Wellbeing Board")
    assert scrutiny.narrative.background == board.narrative.background == BACKGROUND_PROMPT
    client = signed_in(world.democratic)

    def warning(meeting: Meeting) -> str:
        page = " ".join(client.get(meeting.get_absolute_url()).content.decode().split())
        return page.split('govuk-warning-text__text">')[1].split("</strong>")[0]

    assert "1 section of the report still says there was nothing to draft it from: 3. Background" in warning(
        scrutiny
    )
    assert "Priorities" not in warning(scrutiny) and "Impact" not in warning(scrutiny)
    assert "3. Background, 5. Impact to date, 6. Priorities" in warning(board)


def test_a_redraft_offers_and_replaces_only_the_parts_the_report_prints(world, signed_in):
    meeting = drafted_meeting(world, ReportType.MONITORING, body="DfE and NHS England")
    narrative = meeting.narrative
    narrative.impact = "Not printed in this report."
    narrative.save()
    client = signed_in(world.democratic)
    url = reverse("reports:redraft", args=[meeting.pk])

    page = client.get(url).content.decode()
    assert "1. Purpose of report" in page and "Progress towards recommendation 2" in page
    assert "Impact to date" not in page
    assert client.post(url, {"section": "impact"}).status_code == 400

    replaced = services.narrative_redraft(actor=world.democratic, narrative=narrative)

    assert sorted(replaced) == ["executive_summary", "progress:2", "progress:3"]
    narrative.refresh_from_db()
    assert narrative.impact == "Not printed in this report."


def test_an_easy_read_summary_prints_no_narrative_so_offers_no_editor(world, signed_in):
    easy_read = drafted_meeting(world, ReportType.EASY_READ, body="Families")
    board = drafted_meeting(world, ReportType.HWBB, body="Health and Wellbeing Board")
    client = signed_in(world.democratic)

    assert client.get(reverse("reports:narrative", args=[easy_read.pk])).status_code == 404
    recorded = client.post(
        reverse("reports:meeting_create"),
        {
            "report_type": ReportType.EASY_READ,
            "body": "Families",
            "council": "Test City Council",
            "date_0": "1",
            "date_1": "6",
            "date_2": str(timezone.localdate().year + 1),
            "agenda_item": "4",
            "report_title": "How our plan is going",
            "report_author": "Ada Author",
            "executive_director": "Eve Director",
            "classification": "Part 1",
            "democratic_contact": "Dee Democratic",
            "build_days_before": "10",
        },
        follow=True,
    )
    assert (
        "Meeting recorded." in recorded.content.decode()
        and "drafted the narrative" not in recorded.content.decode()
    )
    assert client.get(reverse("reports:redraft", args=[easy_read.pk])).status_code == 404
    assert ">Narrative</dt>" not in client.get(easy_read.get_absolute_url()).content.decode()
    assert client.get(reverse("reports:narrative", args=[board.pk])).status_code == 200
    assert ">Narrative</dt>" in client.get(board.get_absolute_url()).content.decode()


def test_an_appendix_named_only_in_a_part_the_report_does_not_print_is_not_reported_missing(world, signed_in):
    board = drafted_meeting(
        world, ReportType.PARTNERSHIP_BOARD, body="SEND Strategic Partnership Board", appendices=False
    )
    hwbb = drafted_meeting(world, ReportType.HWBB, body="Health and Wellbeing Board", appendices=False)
    for meeting in (board, hwbb):
        narrative = meeting.narrative
        narrative.progress = {**narrative.progress, "intro": "[Appendix: budget] sets it out."}
        narrative.save()
    client = signed_in(world.democratic)

    def missing(meeting: Meeting) -> bool:
        return "budget" in client.get(reverse("reports:appendices", args=[meeting.pk])).content.decode()

    assert not missing(board)
    assert missing(hwbb)


def test_the_narrative_form_carries_one_csrf_token_and_saves_with_it(world):
    meeting = drafted_meeting(world, ReportType.SCRUTINY)
    browser = sign_in(Client(enforce_csrf_checks=True), world.democratic)
    url = reverse("reports:narrative", args=[meeting.pk])
    page = browser.get(url).content.decode()

    form = re.search(r"<form method=\"post\" novalidate>.*?</form>", page, re.S)[0]  # type: ignore[index]
    (token,) = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)

    saved = browser.post(
        url,
        {
            "executive_summary": "To update.",
            "recommendations": "Note it",
            "background": "Inspected.",
            "csrfmiddlewaretoken": token,
        },
    )
    assert saved.status_code == 302


def test_a_version_that_prints_a_note_to_its_author_cannot_be_published_until_it_is_written(world, signed_in):
    meeting = drafted_meeting(world, ReportType.SCRUTINY)
    drafted = services.pack_request(actor=world.democratic, meeting=meeting)
    assert services.pack_queue(drafted)  # eager in tests: built when this returns
    drafted.refresh_from_db()
    client = signed_in(world.democratic)

    page = client.get(drafted.get_absolute_url()).content.decode()
    assert "it cannot be published. It prints the portal" in page and "Publish version 1" not in page
    refused = client.post(reverse("reports:publish", args=[drafted.pk]))

    assert refused.status_code == 400
    assert "It prints the portal&#x27;s note to its author where the report&#x27;s own words should be: " in (
        refused.content.decode()
    )
    assert "“Write the background here”" in refused.content.decode()
    drafted.refresh_from_db()
    assert not drafted.is_published
    meeting.narrative.background = "The area was inspected in March 2023."
    meeting.narrative.save()
    written = services.pack_request(actor=world.democratic, meeting=meeting)
    assert services.pack_queue(written)
    assert "Publish version 2" in client.get(written.get_absolute_url()).content.decode()
    assert client.post(reverse("reports:publish", args=[written.pk])).status_code == 302
    written.refresh_from_db()
    assert written.is_published


def test_an_older_version_is_not_published_over_a_newer_one_ready_beside_it(world, signed_in):
    meeting = drafted_meeting(world, ReportType.HWBB, body="Health and Wellbeing Board")
    narrative = meeting.narrative
    narrative.background, narrative.impact, narrative.priorities = "Inspected.", "Shorter waits.", "Adulthood"
    narrative.save()
    first, second = (services.pack_request(actor=world.democratic, meeting=meeting) for _ in range(2))
    assert services.pack_queue(first) and services.pack_queue(second)
    client = signed_in(world.democratic)

    assert (
        "Version 2 is newer and ready: publish that one"
        in client.get(first.get_absolute_url()).content.decode()
    )
    assert client.post(reverse("reports:publish", args=[first.pk])).status_code == 400
    assert client.post(reverse("reports:publish", args=[second.pk])).status_code == 302
    page = client.get(first.get_absolute_url()).content.decode()
    assert "A later version is already published." in page and "Publish version 1" not in page
