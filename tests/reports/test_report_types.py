"""Report types on the pack engine: the scrutiny update in the Cabinet and scrutiny template, the Strategic
Partnership Board performance report with the risk log's top risks, the monitoring summary and a report whose
sections democratic services choose; each read back from its tagged PDF."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from reports import services
from reports.models import FrontSheet, Pack, ReportType
from reports.report_types import CATALOGUE
from risks import services as risk_services
from tests.actions.factories import MilestoneFactory, approved_update
from tests.kpis.factories import IndicatorFactory, ReturnFactory
from tests.reports.conftest import pdf_info, pdf_text
from tests.reports.factories import MeetingFactory, NarrativeFactory
from tests.risks.factories import RiskFactory

pytestmark = pytest.mark.django_db


def build(meeting) -> Pack:
    pack = services.pack_request(actor=None, meeting=meeting)
    assert services.pack_queue(pack)  # eager in tests: the task has run when this returns
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY, pack.error
    return pack


def flat(pack: Pack) -> str:
    return " ".join(pdf_text(pack).split())


def meeting_of(world, report_type, **fields):
    found = MeetingFactory(
        partnership=world.partnership,
        report_type=report_type,
        body=fields.pop("body", "People Scrutiny Committee"),
        appendices=False,
        **fields,
    )
    NarrativeFactory(meeting=found, recommendations="Note the progress made")
    services.default_appendices(found)
    return found


def test_the_scrutiny_update_follows_the_cabinet_template_with_the_count_beside_every_percentage(world):
    indicator = IndicatorFactory(owner_organisation=world.council, title="EHC plans issued within 20 weeks")
    ReturnFactory(indicator=indicator, value=27, numerator=123, denominator=456)
    meeting = meeting_of(world, ReportType.SCRUTINY)
    services.narrative_sections_update(
        actor=world.democratic,
        narrative=meeting.narrative,
        texts={"other_options": "The partnership could report annually instead.", "implications_legal": ""},
    )
    pack = build(meeting)
    text = flat(pack)
    for heading in [
        "1. Purpose of report",
        "2. Recommendations",
        "3. Background",
        "4. Other options",
        "5. Reasons for recommendations",
        "6. Corporate implications",
        "7. Appendices",
        "8. Background papers",
        "Report of SEND Project Officer",
        "To People Scrutiny Committee",
        "Agenda Item No.",
    ]:
        assert heading in text, heading
    for label in [
        "Financial",
        "Legal",
        "People",
        "Property",
        "Consultation",
        "Equalities and diversity",
        "Risk assessment",
        "Value for money",
        "Community safety",
        "Environmental",
    ]:
        assert f"{label} implications" in text, label
    assert "EHC plans issued within 20 weeks 27% 123 of 456" in text
    assert "4.1 The partnership could report annually instead." in text
    assert "No identified legal implications." in text
    assert "Appendix 1: Strategic Action Plan action status table" in text
    assert "Tagged: yes" in " ".join(pdf_info(pack.pdf.path).split())
    assert pack.pdf.name.split("/")[-1].startswith("scrutiny-")
    # Its title keeps its own case, unlike the council's Health and Wellbeing Board pack; on the web page the title
    # is inside the main landmark.
    assert meeting.report_title in text and meeting.report_title.upper() not in text
    inside_main = pack.html.read().decode().split('<main id="main">', 1)[1]
    assert f'<h1 class="front-title">{meeting.report_title}</h1>' in inside_main


def test_a_scrutiny_updates_written_sections_print_a_line_a_paper_bullets_as_bullets_and_say_when_empty(
    world,
):
    meeting = meeting_of(world, ReportType.SCRUTINY)
    meeting.narrative.background = "The area was inspected.\n\n- First outcome\n- Second outcome"
    meeting.narrative.save()
    services.narrative_sections_update(
        actor=world.democratic,
        narrative=meeting.narrative,
        texts={
            "background_papers": "Area SEND inspection report, 2023\nSEND Strategic Action Plan, as updated"
        },
    )

    text = flat(build(meeting))

    assert "8.1 Area SEND inspection report, 2023 8.2 SEND Strategic Action Plan, as updated" in text
    assert "5.1 None identified." in text and "None." not in text
    assert "3.1 The area was inspected. • First outcome • Second outcome" in text and "3.2 •" not in text
    assert "The SEND risk log holds no open or escalated risk at" in text and "0 of them" not in text


def test_every_written_part_of_a_report_names_an_appendix_by_its_number(world):
    meeting = meeting_of(world, ReportType.SCRUTINY)
    meeting.narrative.recommendations = "Note the actions in [appendix: action status]"
    meeting.narrative.recommendation_wording = {"2": "Two, as [appendix: action status] lists it"}
    meeting.narrative.save()
    services.narrative_sections_update(
        actor=world.democratic,
        narrative=meeting.narrative,
        texts={"other_options": "[Appendix: action status] shows the other options."},
    )

    text = flat(build(meeting))

    assert "Note the actions in appendix 1" in text and "Two, as appendix 1 lists it" in text
    assert "4.1 Appendix 1 shows the other options." in text and "[appendix" not in text.lower()


def test_a_board_report_with_an_empty_risk_log_says_so_in_words(world):
    text = flat(
        build(meeting_of(world, ReportType.PARTNERSHIP_BOARD, body="SEND Strategic Partnership Board"))
    )

    assert "The SEND risk log holds no open or escalated risk at" in text
    assert "0 open" not in text and "Scores are likelihood" not in text


def test_a_percentage_without_its_count_says_so_and_a_small_count_is_suppressed(world):
    missing = IndicatorFactory(owner_organisation=world.council, title="Reviews on time")
    ReturnFactory(indicator=missing, value=40)
    small = IndicatorFactory(
        owner_organisation=world.council, title="Placements out of area", suppress_small_numbers=True
    )
    ReturnFactory(indicator=small, value=2, numerator=3, denominator=150)
    text = flat(build(meeting_of(world, ReportType.SCRUTINY)))
    assert "Reviews on time 40% Count and denominator not supplied" in text
    assert "3 of 150" not in text


def test_the_board_report_shows_rag_movements_attention_milestones_and_top_risks_with_their_movement(world):
    today = timezone.localdate()
    earlier = meeting_of(
        world,
        ReportType.PARTNERSHIP_BOARD,
        body="SEND Strategic Partnership Board",
        date=today - timedelta(days=60),
    )
    approved_update(
        world.action, today - timedelta(days=90), "green", reviewed_at=timezone.now() - timedelta(days=90)
    )
    risk = RiskFactory(
        partnership=world.partnership,
        owner=world.lead,
        title="Too few psychologists",
        raised_at=timezone.now() - timedelta(days=90),
    )
    build(earlier)
    services.pack_publish(actor=world.democratic, pack=earlier.packs.get())

    approved_update(
        world.action,
        today - timedelta(days=10),
        "red",
        commentary="Recruitment failed.",
        reviewed_at=timezone.now(),
    )
    risk_services.risk_rescore(
        actor=world.lead,
        risk=risk,
        scores={
            "inherent_likelihood": 4,
            "inherent_impact": 4,
            "residual_likelihood": 4,
            "residual_impact": 4,
        },
        reason="Recruitment failed.",
    )
    risk_services.risk_escalate(actor=world.lead, risk=risk, reason="Needs funding")
    RiskFactory(partnership=world.partnership, owner=world.lead, title="Transport contract ends")
    MilestoneFactory(
        action=world.other_action, title="Commission the hub", due_date=today - timedelta(days=5)
    )
    MilestoneFactory(action=world.other_action, title="Open the hub", due_date=today + timedelta(days=20))
    meeting = meeting_of(world, ReportType.PARTNERSHIP_BOARD, body="SEND Strategic Partnership Board")
    text = flat(build(meeting))
    assert "Strategic Partnership Board performance report" in text
    for heading in [
        "1. Purpose of report",
        "2. RAG movements since the last meeting",
        "3. Needs attention",
        "4. Milestones due and missed",
        "5. Top risks and their movement",
        "6. Indicators against comparators",
    ]:
        assert heading in text, heading
    assert "R2.1: Green (on track) to Red (off track)" in text
    assert "R2.1" in text.split("Actions that need attention")[1]
    assert "Commission the hub. Missed: due" in text
    assert "Open the hub. Due" in text
    assert f"Risk {risk.number}: Too few psychologists" in text and "Up from 9" in text
    assert "New since the last meeting" in text  # the transport risk was raised after the last meeting
    assert "1 of them escalated to the Strategic partnership board" in text


def test_a_report_shows_each_risk_as_it_stood_at_the_data_cut_off_and_none_raised_after(world):
    long_ago = timezone.now() - timedelta(days=90)
    risk = RiskFactory(
        partnership=world.partnership, owner=world.lead, title="Too few psychologists", raised_at=long_ago
    )
    closed_later = RiskFactory(
        partnership=world.partnership, owner=world.lead, title="Transport contract ends", raised_at=long_ago
    )
    # Everything below happens after the cut-off, 30 days ago: none of it is in the report.
    risk_services.risk_update(
        actor=world.lead,
        risk=risk,
        data={
            **{name: getattr(risk, name) for name in risk_services.DETAIL_FIELDS},
            "title": "No psychologists at all",
        },
        actions=[],
    )
    risk_services.risk_rescore(
        actor=world.lead,
        risk=risk,
        scores={
            "inherent_likelihood": 5,
            "inherent_impact": 5,
            "residual_likelihood": 4,
            "residual_impact": 4,
        },
        reason="Recruitment failed.",
    )
    risk_services.risk_escalate(actor=world.lead, risk=risk, reason="Needs funding")
    risk_services.risk_close(actor=world.lead, risk=closed_later, reason="New contract signed.")
    RiskFactory(partnership=world.partnership, owner=world.lead, title="Raised after the cut-off")
    meeting = meeting_of(
        world,
        ReportType.PARTNERSHIP_BOARD,
        body="SEND Strategic Partnership Board",
        data_cut_off=timezone.localdate() - timedelta(days=30),
    )
    text = flat(build(meeting))
    assert "holds 2 open or escalated risks" in text and "0 of them escalated" in text
    assert f"Risk {risk.number}: Too few psychologists" in text
    assert f"Risk {closed_later.number}: Transport contract ends" in text
    assert "9, Medium (3 × 3)" in text and "16, Very high" not in text
    assert "Open Risk" in text and "Escalated" not in text.split("Top risks and their movement")[-1]
    assert "No psychologists at all" not in text and "Raised after the cut-off" not in text
    assert "Closed" not in text.split("Top risks and their movement")[-1]


def test_the_board_report_has_the_risk_heat_map_as_at_its_cut_off_in_the_pdf_and_the_web_page(world):
    long_ago = timezone.now() - timedelta(days=90)
    risk = RiskFactory(
        partnership=world.partnership, owner=world.lead, title="Too few psychologists", raised_at=long_ago
    )
    transport = RiskFactory(
        partnership=world.partnership,
        owner=world.lead,
        title="Transport contract ends",
        residual_likelihood=5,
        residual_impact=4,
        raised_at=long_ago,
    )
    # After the cut-off the first risk moves to the top corner: the report keeps it where it stood.
    risk_services.risk_rescore(
        actor=world.lead,
        risk=risk,
        scores={
            "inherent_likelihood": 5,
            "inherent_impact": 5,
            "residual_likelihood": 5,
            "residual_impact": 5,
        },
        reason="Recruitment failed.",
    )
    cut_off = timezone.localdate() - timedelta(days=30)
    meeting = meeting_of(
        world, ReportType.PARTNERSHIP_BOARD, body="SEND Strategic Partnership Board", data_cut_off=cut_off
    )
    pack = build(meeting)
    caption = f"Heat map of live risks at {cut_off:%-d %B %Y}, scored with the controls in place"
    in_words = [
        f"Likelihood 5 (Almost certain) × impact 4 (Major), 20, very high: risk {transport.number}, "
        "Transport contract ends.",
        f"Likelihood 3 (Possible) × impact 3 (Moderate), 9, medium: risk {risk.number}, Too few psychologists.",
    ]
    text = flat(pack)
    assert caption in text and "Likelihood 1 Negligible 2 Minor 3 Moderate 4 Major 5 Severe" in text
    top_row = "5 Almost certain Medium, 5 High, 10 Very high, 15 Very high, 20"  # each cell's band and score
    assert top_row in text
    assert all(line in text for line in in_words) and text.index(in_words[0]) < text.index(in_words[1])
    assert "impact 5 (Severe), 25" not in text  # the rescoring after the cut-off is not on the map
    page = pack.html.open("rb").read().decode()
    heat_map = page.split('<table class="govuk-table app-heat-map">')[1].split("</table>")[0]
    assert caption in page and all(line in " ".join(page.split()) for line in in_words)
    assert heat_map.count("<tr") == 7 and heat_map.count("app-heat-map__cell--very-high") == 6
    assert f"<li>Risk {risk.number}</li>" in heat_map and "<a " not in heat_map


def test_the_monitoring_summary_gives_progress_evidence_and_indicators_for_each_recommendation(world):
    indicator = IndicatorFactory(owner_organisation=world.council, title="Plans reviewed")
    indicator.recommendations.add(world.recommendation)
    ReturnFactory(indicator=indicator, value=60, numerator=30, denominator=50)
    meeting = meeting_of(world, ReportType.MONITORING, body="DfE and NHS England monitoring")
    text = flat(build(meeting))
    assert "Progress against each recommendation" in text
    assert "Recommendation 2" in text and "Progress on two." in text
    assert "Indicators: Plans reviewed: 60% (January 2024)." in text
    assert "Monitoring summary for DfE and NHS England" in text


def test_a_chosen_sections_report_prints_only_those_sections_in_catalogue_order(world, signed_in):
    client = signed_in(world.democratic)
    response = client.post(
        reverse("reports:meeting_create"),
        {
            "report_type": ReportType.CUSTOM,
            "sections": ["risks", "purpose"],
            "body": "Schools Forum",
            "council": "Test City Council",
            "date_0": "10",
            "date_1": "6",
            "date_2": str(date.today().year + 1),
            "agenda_item": "4",
            "report_title": "SEND risks",
            "report_author": "Ada Author",
            "executive_director": "Eve Director",
            "classification": "Part 1",
            "democratic_contact": "Dee Democratic",
            "build_days_before": "10",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = world.partnership.meetings.get(body="Schools Forum")
    assert meeting.sections == ["risks", "purpose"]
    pack = build(meeting)
    text = flat(pack)
    assert "1. Purpose of report" in text and "2. Top risks and their movement" in text
    assert "Needs attention" not in text and "Corporate implications" not in text
    # Its front sheet calls it a report, not by the words it was chosen by on the meeting's form.
    assert '<p class="pack-kind">Report</p>' in pack.html.read().decode()
    assert "sections you choose" not in text


def test_the_section_checkboxes_belong_to_the_configurable_type_and_other_types_name_their_sections(
    world, signed_in
):
    page = signed_in(world.democratic).get(reverse("reports:meeting_create")).content.decode()
    radios, after = page.split('<div class="govuk-radios" data-module="govuk-radios">', 1)[1].split(
        '<div class="govuk-radios__conditional', 1
    )
    revealed = after.split('<div class="govuk-radios__item">')[0]
    assert 'name="sections"' not in radios and revealed.count('name="sections"') == len(CATALOGUE)
    assert "aria-controls" not in radios  # ARIA allows neither it nor aria-expanded on a radio
    assert 'value="custom"' in radios.rsplit("<input", 1)[1]  # the checkboxes follow the configurable type
    assert "app-reveal" in after.split(">")[0]  # and show only while it is checked
    hints = " ".join(radios.split())
    assert (
        "Its sections: Purpose of report, Recommendations, Background, Other options, Reasons for "
        "recommendations, Corporate implications, Appendices and Background papers." in hints
    )
    assert "Top risks and their movement, Indicators against comparators and Appendices." in hints
    assert "Its sections: Executive summary, Recommendations, Background" in hints  # the Board pack's own
    assert "Its pages: Our plan, one page for each aim" in hints  # the easy-read summary's


def test_a_report_with_chosen_sections_prints_what_was_ticked_once_in_the_reports_own_words(world):
    meeting = meeting_of(world, ReportType.CUSTOM, sections=["purpose", "background", "progress"])
    meeting.narrative.recommendation_wording = {"2": "Recommendation two, as the committee words it."}
    meeting.narrative.save()

    text = flat(build(meeting))

    assert "Report of SEND Project Officer" in text  # on its front sheet, as the meeting's details give it
    assert "Performance figures" not in text  # not ticked, so not in the background either
    assert (
        "Progress towards recommendation 2" not in text
    )  # its own section holds each recommendation's progress
    assert (
        text.count("Recommendation two, as the committee words it.") == 2
    )  # the background's list, and section 3
    assert "Evidence: none attached to approved updates yet." in text and "0 items" not in text
    scrutiny = flat(build(meeting_of(world, ReportType.SCRUTINY)))
    assert "Progress towards recommendation 2" in scrutiny and "Performance figures at" in scrutiny


def test_a_meeting_page_names_its_reports_sections(world, signed_in):
    client = signed_in(world.democratic)
    chosen = MeetingFactory(
        partnership=world.partnership, report_type=ReportType.CUSTOM, sections=["risks", "purpose"]
    )
    NarrativeFactory(meeting=chosen)
    page = " ".join(client.get(chosen.get_absolute_url()).content.decode().split())
    assert "Its sections: Purpose of report and Top risks and their movement." in page
    scrutiny = meeting_of(world, ReportType.SCRUTINY)
    page = " ".join(client.get(scrutiny.get_absolute_url()).content.decode().split())
    assert "Its sections: Purpose of report, Recommendations, Background, Other options" in page
    # The board's pack names no appendix in its outline: the page lists the meeting's own just below.
    board = meeting_of(world, ReportType.HWBB)
    page = " ".join(client.get(board.get_absolute_url()).content.decode().split())
    assert "Impact to date and Priorities, followed by the appendices chosen for the meeting." in page
    assert "with the action status table" not in page


def test_a_chosen_sections_report_needs_a_section_and_only_builders_write_sections(world, signed_in):
    client = signed_in(world.democratic)
    response = client.post(reverse("reports:meeting_create"), {"report_type": ReportType.CUSTOM})
    assert "Choose at least one section for the report" in response.content.decode()
    meeting = meeting_of(world, ReportType.SCRUTINY)
    with pytest.raises(PermissionDenied):
        services.narrative_sections_update(
            actor=world.board,
            narrative=meeting.narrative,
            texts={"reasons": "x"},
        )
    with pytest.raises(ValidationError):
        services.narrative_sections_update(
            actor=world.democratic,
            narrative=meeting.narrative,
            texts={"not_a_section": "x"},
        )
    response = client.post(
        reverse("reports:sections", args=[meeting.pk]), {"reasons": "Scrutiny asked for it."}
    )
    assert response.status_code == 302
    meeting.narrative.refresh_from_db()
    assert meeting.narrative.sections["reasons"] == "Scrutiny asked for it."
    hwbb = MeetingFactory(partnership=world.partnership)
    NarrativeFactory(meeting=hwbb)
    assert client.get(reverse("reports:sections", args=[hwbb.pk])).status_code == 404


def test_the_easy_read_summary_puts_one_idea_on_each_page_in_large_plain_words(world):
    approved_update(world.action, date(2025, 3, 1), "green", reviewed_at=timezone.now())
    RiskFactory(partnership=world.partnership, owner=world.lead)
    meeting = meeting_of(world, ReportType.EASY_READ, body="Families")
    pack = build(meeting)
    pages = pdf_text(pack).split("\f")
    assert pack.page_count == 2 + 2 + 2  # the cover, the plan, two aims, the risks and other formats
    assert "This is an easy read report." in pages[0]
    assert f"It is from the {world.partnership.name}." in " ".join(pages[0].split())
    assert "Our plan has 2 big aims." in " ".join(pages[1].split())
    aim = " ".join(pages[2].split())
    assert "Aim 2:" in aim and "We have 1 thing to do for this aim." in aim and "1 thing is on track." in aim
    assert "There is 1 thing on the list now." in " ".join(pages[4].split())
    assert "Braille" in pages[5]
    assert "Tagged: yes" in " ".join(pdf_info(pack.pdf.path).split())


def test_an_easy_read_summary_with_no_risk_on_the_list_says_so_in_words(world):
    pack = build(meeting_of(world, ReportType.EASY_READ, body="Families"))
    text = " ".join(pdf_text(pack).split())
    assert "There is nothing on the list now." in text and "0 things" not in text
    assert f"This is version {pack.version} of this report." in text


def test_an_easy_read_summary_gives_the_councils_phone_number_to_ask_for_another_format(world):
    meeting = meeting_of(world, ReportType.EASY_READ, body="Families", democratic_contact="Rob Harris")
    without = " ".join(pdf_text(build(meeting)).split())
    assert "Ask Rob Harris." in without and "Phone" not in without
    FrontSheet.objects.create(
        partnership=world.partnership,
        council="Test City Council",
        executive_director_title="Executive Director (Strategy & Change)",
        executive_director="Eve Director",
        address="Civic Centre",
        telephone="01702 215000",
        website="www.example.gov.uk",
    )

    text = " ".join(pdf_text(build(meeting)).split())

    assert "Ask Rob Harris. Phone 01702 215000." in text


def test_the_meeting_page_says_who_wrote_the_narrative_as_its_sections_do(world, signed_in):
    client = signed_in(world.democratic)

    def narrative_line(**narrative: object) -> str:
        meeting = MeetingFactory(partnership=world.partnership)
        NarrativeFactory(meeting=meeting, **narrative)
        page = client.get(meeting.get_absolute_url()).content.decode()
        return " ".join(page.split(">Narrative</dt>")[1].split("</dd>")[0].split())

    drafted = {"executive_summary": {"paragraphs": [["To update the Board.", "the plan"]]}}
    assert narrative_line(drafted={}).endswith(
        ">Written by the author"
    )  # a report taken as its author wrote it
    assert narrative_line(drafted=drafted).endswith(">Draft written by the portal from the data")
    edited = narrative_line(drafted=drafted, edited_by=world.democratic, edited_at=timezone.now())
    assert f"Edited by {world.democratic}" in edited
