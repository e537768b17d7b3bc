"""Meetings are recorded, corrected, cancelled and deleted; each has a data cut-off that fixes what its pack
shows; packs are published before board members see them; the front sheet is the council's."""

import hashlib
import subprocess
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEvent, Partnership
from core.templatetags.portal import moment
from reports import services
from reports.calendar import bank_holidays, publication_date_for
from reports.forms import MeetingForm, parse_time
from reports.models import FrontSheet, Meeting, Pack
from tests.actions.factories import approved_update
from tests.reports.conftest import pdf_text
from tests.reports.factories import MeetingFactory, NarrativeFactory

pytestmark = pytest.mark.django_db


def build(meeting: Meeting, reason: str = "") -> Pack:
    pack = services.pack_request(actor=None, meeting=meeting, reason=reason)
    assert services.pack_queue(pack)  # eager in tests: the task has run when this returns
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY, pack.error
    return pack


def publish(world, pack: Pack) -> Pack:
    return services.pack_publish(actor=world.democratic, pack=pack)


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def page_text(pack: Pack, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), pack.pdf.path, "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


# The calendar: five clear working days, English bank holidays


def test_a_tuesday_meeting_is_issued_on_the_monday_of_the_week_before():
    assert publication_date_for(date(2024, 12, 10)) == date(2024, 12, 2)


def test_bank_holidays_are_not_clear_working_days():
    # Christmas, Boxing Day and New Year's Day 2025 fall among the five days before 7 January 2025.
    assert publication_date_for(date(2025, 1, 7)) == date(2024, 12, 27)
    # Easter 2026: Good Friday 3 April and Easter Monday 6 April.
    assert publication_date_for(date(2026, 4, 14)) == date(2026, 4, 2)


def test_bank_holidays_follow_the_rules_and_the_proclamations():
    assert sorted(bank_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 4, 3),
        date(2026, 4, 6),
        date(2026, 5, 4),
        date(2026, 5, 25),
        date(2026, 8, 31),
        date(2026, 12, 25),
        date(2026, 12, 28),  # Boxing Day is a Saturday
    ]
    assert date(2022, 9, 19) in bank_holidays(2022)  # the State Funeral
    assert date(2022, 5, 30) not in bank_holidays(2022)  # moved to 2 June for the Jubilee
    assert date(2020, 5, 8) in bank_holidays(2020) and date(2020, 5, 4) not in bank_holidays(2020)


# The cut-off and the point in time


def test_the_cut_off_is_the_issue_date_unless_democratic_services_set_one(world):
    meeting = MeetingFactory(partnership=world.partnership, date=date(2024, 12, 10))
    assert (meeting.pack_issue_date, meeting.cut_off) == (date(2024, 12, 2), date(2024, 12, 2))
    meeting.issue_date = date(2024, 12, 6)
    assert meeting.cut_off == date(2024, 12, 6)
    meeting.data_cut_off = date(2024, 11, 29)
    assert meeting.cut_off == date(2024, 11, 29)
    assert timezone.localtime(meeting.cut_off_at).date() == date(2024, 11, 29)


def test_a_past_meetings_pack_shows_data_as_at_its_cut_off_not_today(world):
    meeting = MeetingFactory(partnership=world.partnership, date=date(2024, 12, 10))
    NarrativeFactory(meeting=meeting)
    approved_update(
        world.action,
        date(2024, 11, 1),
        "amber",
        commentary="Written in November 2024.",
        reviewed_at=at(date(2024, 11, 20)),
    )
    approved_update(
        world.action,
        timezone.localdate(),
        "red",
        commentary="Written long after the meeting.",
        reviewed_at=timezone.now(),
    )
    pack = build(meeting)
    assert pack.as_at == meeting.cut_off_at
    flat = " ".join(pdf_text(pack).split())
    assert "Written in November 2024." in flat
    assert "Written long after the meeting." not in flat
    assert "Data as at 2 December 2024" in flat
    assert "02 December 2024" in flat  # the issue date on the front sheet


def test_a_pack_built_before_the_cut_off_shows_data_as_at_the_build(world, meeting):
    assert meeting.cut_off > timezone.localdate()
    before = timezone.now()
    pack = build(meeting)
    assert pack.as_at is not None and before <= pack.as_at <= timezone.now()


def test_the_seeded_december_2024_pack_rebuilt_today_is_as_at_early_december_2024():
    call_command("setup_demo", verbosity=0)
    meeting = Meeting.objects.get(date=date(2024, 12, 10))
    assert (meeting.pack_issue_date, meeting.cut_off) == (date(2024, 12, 6), date(2024, 12, 6))
    pack = build(meeting)
    flat = " ".join(pdf_text(pack).split())
    # The time as the portal's pages write it (GOV.UK style), not "23:59".
    assert "Data as at 6 December 2024, 11:59pm" in flat and "23:59" not in flat
    assert pack.html.open("rb").read().decode().count("6 December 2024, 11:59pm") >= 2
    assert str(timezone.localdate().year) not in flat.split("Appendix 1: Strategic Action Plan update")[-1]
    assert "Demo data: a sample update" not in flat  # the demo history is all after the cut-off


# "Changes since the last pack": the same board's previous meeting


def test_changes_are_measured_from_the_same_boards_previous_meeting_as_published(world):
    june = MeetingFactory(partnership=world.partnership, date=date(2025, 6, 10))
    other_board = MeetingFactory(
        partnership=world.partnership, date=date(2025, 9, 1), body="SEND Strategic Partnership Board"
    )
    december = MeetingFactory(partnership=world.partnership, date=date(2025, 12, 9))
    for meeting in (june, other_board, december):
        NarrativeFactory(meeting=meeting)
    approved_update(world.action, date(2025, 5, 1), "green", reviewed_at=at(date(2025, 5, 20)))
    june_pack = publish(world, build(june))
    approved_update(world.action, date(2025, 8, 1), "amber", reviewed_at=at(date(2025, 8, 20)))
    build(other_board)  # another board's pack is never the baseline
    approved_update(world.action, date(2025, 11, 1), "red", reviewed_at=at(date(2025, 11, 20)))
    pack = build(december)
    assert pack.compared_with["meeting_date"] == "2025-06-10"
    assert pack.compared_with["version"] == june_pack.version
    assert pack.compared_with["snapshot"] == june_pack.snapshot
    flat = " ".join(pdf_text(pack).split())
    assert "Green (on track) to Red" in flat or "Green to Red" in flat
    assert "Changes are measured from the Health and Wellbeing Board, 10 June 2025" in flat


def test_a_pack_built_early_measures_changes_from_the_last_meeting_whose_data_was_cut_off_not_one_to_come(
    world,
):
    today = timezone.localdate()
    held = MeetingFactory(partnership=world.partnership, date=today - timedelta(days=60))
    to_come = MeetingFactory(partnership=world.partnership, date=today + timedelta(days=40))
    later = MeetingFactory(partnership=world.partnership, date=today + timedelta(days=90))
    for meeting in (held, to_come, later):
        NarrativeFactory(meeting=meeting)

    pack = build(later)

    assert pack.compared_with["meeting_date"] == held.date.isoformat() != to_come.date.isoformat()


def test_without_a_published_pack_the_previous_meeting_is_read_as_at_its_cut_off(world):
    earlier = MeetingFactory(partnership=world.partnership, date=date(2025, 6, 10))
    cancelled = MeetingFactory(
        partnership=world.partnership, date=date(2025, 9, 9), cancelled_at=timezone.now()
    )
    later = MeetingFactory(partnership=world.partnership, date=date(2025, 12, 9))
    NarrativeFactory(meeting=later)
    approved_update(world.action, date(2025, 5, 1), "green", reviewed_at=at(date(2025, 5, 20)))
    approved_update(world.action, date(2025, 11, 1), "red", reviewed_at=at(date(2025, 11, 20)))
    pack = build(later)
    assert pack.compared_with["meeting_date"] == earlier.date.isoformat() != cancelled.date.isoformat()
    assert pack.compared_with["version"] is None
    assert datetime.fromisoformat(pack.compared_with["as_at"]) == earlier.cut_off_at
    said = pack.compared_with["snapshot"]["actions"][world.action.reference]["rag"]
    assert said.startswith("Green")


def test_a_boards_first_meeting_has_nothing_to_compare_with(world, meeting):
    pack = build(meeting)
    assert pack.compared_with == {}
    assert "nothing to measure changes from" in " ".join(pdf_text(pack).split())


# Publishing


def test_publishing_locks_the_version_with_the_checksums_of_its_files(world, meeting):
    pack = publish(world, build(meeting))
    assert pack.is_published and pack.published_by == world.democratic
    assert pack.pdf_sha256 == hashlib.sha256(Path(pack.pdf.path).read_bytes()).hexdigest()
    assert pack.html_sha256 == hashlib.sha256(Path(pack.html.path).read_bytes()).hexdigest()
    assert AuditEvent.objects.filter(verb="published", object_id=str(pack.pk)).exists()
    with pytest.raises(ValidationError, match="already published"):
        publish(world, pack)


def test_an_older_version_cannot_be_published_over_a_later_one(world, meeting):
    first = build(meeting)
    second = publish(world, build(meeting))
    with pytest.raises(ValidationError, match="later version"):
        publish(world, first)
    assert second.is_published


def test_after_publication_a_new_version_is_supplementary_and_needs_its_reason(world, meeting):
    publish(world, build(meeting))
    with pytest.raises(ValidationError) as refused:
        services.pack_request(actor=world.democratic, meeting=meeting)
    assert refused.value.message_dict == {"reason": ["Enter why a new version is needed"]}
    second = build(meeting, reason="The action plan appendix left out action R2.1's update.")
    assert second.supplementary and second.issue_date == timezone.localdate()
    flat = " ".join(pdf_text(second).split())
    assert f"SUPPLEMENTARY REPORTS PACK: AGENDA ITEM {meeting.agenda_item}" in flat
    # On the web page, in words, on a line of its own after the meeting's date.
    assert (
        f"<br> Supplementary reports pack: agenda item {meeting.agenda_item}</h1>"
        in second.html.read().decode()
    )
    assert "The action plan appendix left out action R2.1's update." in flat


def test_board_members_see_only_published_versions_and_builders_see_drafts(world, meeting, signed_in):
    draft = build(meeting)
    urls = [
        reverse(name, args=[draft.pk])
        for name in ("reports:pack", "reports:pdf", "reports:html", "reports:changes")
    ]
    board = signed_in(world.board)
    for url in urls:
        assert board.get(url).status_code == 404, url
    assert f"Version {draft.version}" not in board.get(meeting.get_absolute_url()).content.decode()
    democratic = signed_in(world.democratic)
    assert democratic.get(urls[0]).status_code == 200
    assert "Publish version 1" in democratic.get(urls[0]).content.decode()
    assert democratic.post(reverse("reports:publish", args=[draft.pk])).status_code == 302
    board = signed_in(world.board)
    for url in urls:
        assert board.get(url).status_code == 200, url


def test_publishing_asks_first_and_says_what_it_cannot_undo(world, meeting, signed_in):
    draft = build(meeting)
    democratic = signed_in(world.democratic)
    publish_url = reverse("reports:publish", args=[draft.pk])
    assert f'href="{publish_url}"' in democratic.get(draft.get_absolute_url()).content.decode()

    asked = democratic.get(publish_url)

    page = asked.content.decode()
    assert asked.status_code == 200
    assert "Publish version 1 of the pack?" in page
    assert f"It has {draft.page_count} pages, with data as at {moment(draft.as_at)}." in page
    assert "this version can never change" in page
    # A plain button, not a warning's: nothing is removed.
    assert (
        '<button type="submit" class="govuk-button" data-module="govuk-button">Publish version 1</button>'
        in page
    )
    draft.refresh_from_db()
    assert not draft.is_published
    assert democratic.post(publish_url).status_code == 302
    draft.refresh_from_db()
    assert draft.is_published


def test_asking_to_publish_a_version_that_cannot_be_published_says_why_and_offers_no_button(
    world, meeting, signed_in
):
    first = build(meeting)
    second = publish(world, build(meeting))
    queued = Pack.objects.create(meeting=meeting, version=3, status=Pack.Status.QUEUED)
    democratic = signed_in(world.democratic)

    for pack, reason in (
        (second, "This version is already published."),
        (first, "A later version is already published."),
        (queued, "Only a pack that is ready can be published."),
    ):
        refused = democratic.get(reverse("reports:publish", args=[pack.pk]))
        page = refused.content.decode()
        assert refused.status_code == 200
        assert f"Version {pack.version} cannot be published" in page and reason in page
        assert '<form method="post" novalidate>' not in page and "It has" not in page

        # Sent anyway (from a page opened before the other version was published): the same page, and nothing changes.
        sent = democratic.post(reverse("reports:publish", args=[pack.pk]))
        assert sent.status_code == 400
        assert f"Version {pack.version} cannot be published" in sent.content.decode()
        assert reason in sent.content.decode()
    assert list(meeting.packs.filter(published_at__isnull=False)) == [second]


def test_only_democratic_services_and_admins_publish(world, meeting, signed_in):
    pack = build(meeting)
    for person in (world.board, world.lead, world.officer):
        assert signed_in(person).post(reverse("reports:publish", args=[pack.pk])).status_code == 403
    pack.refresh_from_db()
    assert not pack.is_published
    assert signed_in(world.admin).post(reverse("reports:publish", args=[pack.pk])).status_code == 302
    pack.refresh_from_db()
    assert pack.is_published


# Correcting, cancelling and deleting meetings


def form_data(**changes: str) -> dict[str, str]:
    data = {
        "body": "Health and Wellbeing Board",
        "council": "Test City Council",
        "date_0": "9",
        "date_1": "6",
        "date_2": "2027",
        "agenda_item": "7",
        "item_time": "6.05pm",
        "report_title": "SEND and Strategic Action Plan Update",
        "report_author": "Ada Author, SEND Consultant",
        "executive_director": "Eve Director",
        "classification": "Part 1",
        "democratic_contact": "Dee Democratic, Democratic Services Officer",
        "build_days_before": "10",
    }
    return {**data, **changes}


def test_an_empty_meeting_form_names_every_field_in_our_words(world, signed_in):
    response = signed_in(world.democratic).post(reverse("reports:meeting_create"), {})
    assert response.status_code == 400
    page = response.content.decode()
    assert "This field is required" not in page
    assert "<title>Error: Record a meeting" in page
    for message in [
        "Enter the name of the meeting",
        "Enter the council",
        "Enter the date of the meeting",
        "Enter the agenda item number",
        "Enter the report title",
        "Enter the report author&#x27;s name and job title",
        "Enter the executive director",
        "Enter the democratic services contact",
        "Enter how many days before the meeting the pack is built",
    ]:
        assert f'">{message}</a>' in page, message


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"date_2": "2020", "date_1": "1", "date_0": "1"}, "date", "on or after 1 July 2023"),
        ({"date_0": "31", "date_1": "2"}, "date", "The date of the meeting must be a real date"),
        ({"date_2": "27"}, "date", "the year must have 4 numbers"),
        (
            {"agenda_item": "seven"},
            "agenda_item",
            "Enter the agenda item as a number, like 7, or with a letter, like 7a",
        ),
        ({"build_days_before": "-1"}, "build_days_before", "Enter 0 or more days before the meeting"),
        ({"item_time": "teatime"}, "item_time", "Enter the time of the item like 18:05 or 6.05pm"),
        ({"issue_date_0": "10", "issue_date_1": "6", "issue_date_2": "2027"}, "issue_date", "on or before"),
        (
            {"data_cut_off_0": "1", "data_cut_off_1": "6"},
            "data_cut_off",
            "The data cut-off must include a day, month and year, or be left empty",
        ),
    ],
)
def test_mistaken_meeting_details_are_refused_with_the_fields_name(world, changes, field, message):
    form = MeetingForm(data=form_data(**changes), earliest=date(2023, 7, 1), today=date(2026, 11, 30))
    assert not form.is_valid()
    assert any(message in error for error in form.errors[field]), form.errors


def test_times_are_read_as_agendas_write_them():
    assert parse_time("18.05") == parse_time("18:05") == parse_time("6.05pm") == time(18, 5)
    assert parse_time("12:30 a.m.") == time(0, 30)
    assert parse_time("25:00") is None and parse_time("13.00pm") is None


def test_a_past_meeting_date_after_the_plan_started_is_accepted(world):
    form = MeetingForm(
        data=form_data(date_0="10", date_1="12", date_2="2024"),
        earliest=date(2023, 7, 1),
        today=date(2026, 11, 30),
    )
    assert form.is_valid(), form.errors


def test_democratic_services_correct_a_mistaken_meeting(world, meeting, signed_in):
    client = signed_in(world.democratic)
    edit = reverse("reports:meeting_edit", args=[meeting.pk])
    assert 'value="10"' in client.get(edit).content.decode()  # the day box holds the recorded date
    response = client.post(edit, form_data(date_0="16", date_1="6", date_2="2027", item_time=""))
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.date, meeting.item_time) == (date(2027, 6, 16), None)
    assert AuditEvent.objects.filter(verb="updated", object_type="reports.meeting").exists()


def test_a_meeting_with_only_drafts_can_be_deleted_with_its_files(
    world, meeting, signed_in, django_capture_on_commit_callbacks
):
    pack = build(meeting)
    files = [Path(pack.pdf.path), Path(pack.html.path)]
    client = signed_in(world.democratic)
    url = reverse("reports:meeting_delete", args=[meeting.pk])
    assert "Delete the meeting" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response["Location"] == reverse("reports:index")
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert not Pack.objects.filter(pk=pack.pk).exists()
    assert not any(file.exists() for file in files)
    assert AuditEvent.objects.filter(verb="removed", object_type="reports.meeting").exists()


def test_a_meeting_with_a_published_pack_cannot_be_deleted_but_can_be_cancelled(world, meeting, signed_in):
    publish(world, build(meeting))
    client = signed_in(world.democratic)
    response = client.post(reverse("reports:meeting_delete", args=[meeting.pk]))
    assert response.status_code == 400
    assert "cannot be deleted because a version of its pack has been published" in response.content.decode()
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    with pytest.raises(ValidationError):
        services.meeting_delete(actor=world.democratic, meeting=meeting)

    cancel = reverse("reports:meeting_cancel", args=[meeting.pk])
    refused = client.post(cancel, {"reason": ""})
    assert refused.status_code == 400 and "Enter why the meeting is cancelled" in refused.content.decode()
    assert client.post(cancel, {"reason": "The Board was not quorate."}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.cancelled_by == world.democratic
    with pytest.raises(ValidationError, match="cancelled"):
        services.pack_request(actor=world.democratic, meeting=meeting, reason="Another go")
    page = signed_in(world.board).get(meeting.get_absolute_url()).content.decode()
    assert "Cancelled" in page and "The Board was not quorate." in page


def test_a_cancelled_meeting_gets_no_scheduled_pack(world, meeting):
    services.meeting_cancel(actor=world.democratic, meeting=meeting, reason="Moved")
    assert services.packs_build_due(today=meeting.date - timedelta(days=1)) == 0


def test_meetings_are_listed_upcoming_soonest_first_then_past_latest_first(world, signed_in):
    today = timezone.localdate()
    for offset in (400, -30, 20, -400):
        MeetingFactory(partnership=world.partnership, date=today + timedelta(days=offset))
    page = signed_in(world.board).get(reverse("reports:index")).content.decode()
    shown = [today + timedelta(days=offset) for offset in (20, 400, -30, -400)]
    positions = [page.index(f"{day:%-d %B %Y}") for day in shown]
    assert positions == sorted(positions)
    assert page.index("Upcoming meetings") < positions[0] < page.index("Past meetings") < positions[2]


# The front sheet


def test_the_southend_front_sheet_is_the_real_documents_verbatim():
    call_command("load_southend", verbosity=0)
    pack = build(Meeting.objects.get(date=date(2024, 12, 10)))
    text = page_text(pack, 1)
    flat = " ".join(text.split())
    for words in [
        "Public Document Pack",
        "Southend-on-Sea City Council",
        "Executive Director (Strategy & Change): Claire Shuter",
        "Civic Centre, Victoria Avenue, Southend-on-Sea, Essex SS2 6ER",
        "01702 215000",
        "www.southend.gov.uk",
        "06 December 2024",
        "HEALTH AND WELLBEING BOARD – TUESDAY, 10TH DECEMBER, 2024 SUPPLEMENTARY REPORTS PACK: AGENDA ITEMS 7, 9 AND 10",
        "the following reports that were unavailable when the agenda was printed.",
        "SEND Reporting (18.05) (Pages 3 - ",
        "Report of SEND Project Officer",
        "9 Ageing Well, Caring Well and Living Well Strategies (18.40)",
        "10 Better Care Fund Update (for information)",
        "Rob Harris",
        "Principal Democratic Services Officer",
    ]:
        assert words in flat, words
    assert "Demo data" not in flat
    assert not Partnership.objects.get().has_demo_data
    # The web page's title is the same words, not in capitals a screen reader would spell out, and opens its main part.
    inside_main = pack.html.read().decode().split('<main id="main">', 1)[1]
    assert (
        '<h1 class="front-title council-pack-title">Health and Wellbeing Board – Tuesday, 10th December, 2024<br> '
        "Supplementary reports pack: agenda items 7, 9 and 10</h1>" in inside_main
    )


def test_a_demo_pack_says_demo_data_on_its_front_sheet_and_every_page(world, meeting):
    Partnership.objects.filter(pk=world.partnership.pk).update(has_demo_data=True)
    meeting.refresh_from_db()
    pack = build(meeting)
    assert pack.is_demo and pack.page_count
    assert "This is not a real Board paper" in " ".join(page_text(pack, 1).split())
    for page in range(1, pack.page_count + 1):
        assert "Demo data" in page_text(pack, page), page
    assert "Demo data" in pack.html.read().decode()


def test_the_partnership_admin_keeps_the_front_sheet(world, signed_in):
    details = {
        "council": "Test City Council",
        "executive_director_title": "Executive Director (Strategy & Change)",
        "executive_director": "Eve Director",
        "address": "Civic Centre, Test Street, Testing TE1 1ST",
        "telephone": "01234 567890",
        "website": "www.test.gov.uk",
    }
    url = reverse("reports:front_sheet")
    assert signed_in(world.democratic).post(url, details).status_code == 403
    assert not FrontSheet.objects.exists()
    refused = signed_in(world.admin).post(url, {**details, "telephone": ""})
    assert (
        refused.status_code == 400 and "Enter the council&#x27;s telephone number" in refused.content.decode()
    )
    assert signed_in(world.admin).post(url, details).status_code == 302
    sheet = FrontSheet.objects.get(partnership=world.partnership)
    assert sheet.address == "Civic Centre, Test Street, Testing TE1 1ST"
    assert AuditEvent.objects.filter(object_type="reports.frontsheet", verb="created").exists()


def test_a_meetings_page_offers_an_automatic_build_only_for_a_meeting_still_to_come(world, signed_in):
    client = signed_in(world.democratic)
    today = timezone.localdate()
    past = MeetingFactory(
        partnership=world.partnership, date=today - timedelta(days=400), build_days_before=10
    )
    coming = MeetingFactory(
        partnership=world.partnership, date=today + timedelta(days=40), build_days_before=10
    )

    def row(meeting):
        page = " ".join(client.get(meeting.get_absolute_url()).content.decode().split())
        return page.split("Automatic build</dt>")[1].split("</dd>")[0]

    assert "Not needed: the meeting has taken place" in row(past)
    build_day = coming.date - timedelta(days=10)
    assert f"10 days before the meeting, on {build_day:%-d %B %Y}" in row(coming)
    # Ten days before is earlier than the default cut-off (the issue date, five clear working days before).
    assert coming.cut_off > build_day
    assert "That is before the data cut-off" in row(coming)
    late = MeetingFactory(partnership=world.partnership, date=today + timedelta(days=41), build_days_before=2)
    assert late.cut_off < late.date - timedelta(days=2)
    assert "before the data cut-off" not in row(late)
    page = client.get(past.get_absolute_url()).content.decode()
    assert "Issue date on the front sheet" in page and "Pack issued" not in page


def test_the_advice_to_build_again_after_the_cut_off_is_for_those_who_build_not_for_board_members(
    world, signed_in
):
    meeting = MeetingFactory(partnership=world.partnership, date=timezone.localdate() + timedelta(days=60))
    NarrativeFactory(meeting=meeting)
    assert meeting.builds_before_cut_off

    def page(user) -> str:
        return " ".join(signed_in(user).get(meeting.get_absolute_url()).content.decode().split())

    assert "Build the pack again on the cut-off day" in page(world.democratic)
    assert "Build the pack again" not in page(world.board)
    index = signed_in(world.board).get(reverse("reports:index")).content.decode()
    assert '<h1 class="govuk-heading-l">Board packs</h1>' in index  # of every board and committee, not one


def test_an_automatic_build_after_the_issue_date_is_called_too_late(world, signed_in):
    day = timezone.localdate() + timedelta(days=60)
    meeting = MeetingFactory(
        partnership=world.partnership, date=day, issue_date=day - timedelta(days=10), build_days_before=3
    )
    NarrativeFactory(meeting=meeting)

    page = " ".join(signed_in(world.democratic).get(meeting.get_absolute_url()).content.decode().split())

    assert (
        f"That is after the pack is issued on {meeting.pack_issue_date:%-d %B %Y}: build it by then" in page
    )
    assert "Build the pack again on the cut-off day" not in page


def test_an_agenda_item_may_carry_a_letter_as_agendas_number_an_added_item(world, signed_in):
    response = signed_in(world.democratic).post(
        reverse("reports:meeting_create"),
        {
            "body": "Health and Wellbeing Board",
            "council": "Test City Council",
            "date_0": "10",
            "date_1": "6",
            "date_2": str(timezone.localdate().year + 1),
            "agenda_item": "7a",
            "report_title": "SEND update",
            "report_author": "Ada Author",
            "executive_director": "Eve Director",
            "classification": "Part 1",
            "democratic_contact": "Dee Democratic",
            "other_items": "9a Youth Justice Plan",
            "build_days_before": "10",
        },
    )

    assert response.status_code == 302
    meeting = Meeting.objects.get(agenda_item="7a")
    assert meeting.other_item_rows == [("9a", "Youth Justice Plan")]
