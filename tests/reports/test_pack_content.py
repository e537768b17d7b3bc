"""The pack's content, read back from the PDF through pdftotext and pdfinfo, and the HTML twin."""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone

from actions.models import Action, RecommendationSummary
from core.models import AuditEvent
from kpis.models import Unit
from reports import services
from reports.content import indicator_rows
from reports.models import Appendix, Pack
from reports.rendering import RefusedURLError, StaticOnlyFetcher, static_file_for
from tests.actions.factories import ActionFactory, approved_update
from tests.kpis.factories import IndicatorFactory, ReturnFactory
from tests.reports.conftest import pdf_info, pdf_text
from tests.reports.factories import MeetingFactory, NarrativeFactory

pytestmark = pytest.mark.django_db


def build(meeting, actor=None) -> Pack:
    pack = services.pack_request(actor=actor, meeting=meeting)
    assert services.pack_queue(pack)  # eager in tests: the task has run when this returns
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY, pack.error
    return pack


def test_the_pdf_has_every_section_appendix_contents_and_page_numbers(world, meeting):
    RecommendationSummary.objects.create(
        recommendation=world.recommendation,
        year="2023-24",
        what_we_wanted="A joined-up system.",
        what_we_did=["Held a summit"],
        difference_it_made="Stronger governance.",
        priority_heading="Priority 2024-25",
        priority="Engage health commissioners.",
    )
    approved_update(world.action, date(2025, 3, 1), "amber", commentary="Slower than hoped in March.")
    pack = build(meeting)
    text = pdf_text(pack)
    flat = " ".join(text.split())
    for heading in [
        "Public Document Pack",
        "Contents",
        "1. Executive summary",
        "2. Recommendations",
        "3. Background",
        "4. Strategic Action Plan progress",
        "5. Impact to date",
        "6. Ongoing priorities",
        "Appendix 1: Strategic Action Plan annual update",
        "Appendix 2: Strategic Action Plan action status table",
        "Appendix 3: Governance chart",
        "Appendix 4: Self Evaluation Framework (SEF)",
        "Report Author Ada Author, SEND Consultant",
        "Executive Director Eve Director",
        "Classification Part 1",
        "Key Decision No",
    ]:
        assert heading in flat, heading
    assert flat.count(world.recommendation.text) >= 2  # 3.x in full, and Appendix 1
    assert "Slower than hoped in March." in flat
    assert "What we wanted: A joined-up system." in flat
    assert "Children's Joint Commissioning Group" in flat
    assert f"Page 1 of {pack.page_count}" in flat
    assert f"Page {pack.page_count} of {pack.page_count}" in flat
    # The contents give each part's page: "Appendix 1 ... 4" and the front sheet the report's page range.
    assert any(
        line.strip().startswith("Appendix 1: Strategic Action Plan annual update")
        and line.strip()[-1].isdigit()
        for line in pdf_text(pack, layout=True).splitlines()
    )
    assert f"(Pages 3 - {pack.page_count})" in flat
    assert "Tagged:          yes" in pdf_info(pack.pdf.path)


def test_an_action_row_is_printed_on_one_page_unless_it_is_longer_than_a_page(world, meeting):
    """The real pack keeps each table row whole; a row split over two pages left its reference alone at a page's
    foot. A row longer than a page still runs on, under the repeated headings, with nothing lost."""
    when = date(2025, 3, 1)
    for number in range(2, 32):
        wanted = (
            f"Begins{number} "
            + "children and families are supported well " * (number % 5 + 2)
            + f"Ends{number}."
        )
        action = ActionFactory(
            recommendation=world.recommendation, reference=f"R2.{number}", what_we_want=wanted
        )
        approved_update(action, when, commentary="Steady progress this month. " * (number % 3 + 1))
    longest = ActionFactory(recommendation=world.recommendation, reference="R2.40")
    words = [f"word{count}" for count in range(1400)]
    approved_update(longest, when, commentary=" ".join(words))

    pages = pdf_text(build(meeting)).split("\f")

    for number in range(2, 32):
        [page] = [page for page in pages if f"R2.{number}\n" in page]
        assert f"Begins{number} " in page and f"Ends{number}." in page, number
    printed = [word for page in pages for word in page.split() if word.startswith("word")]
    assert printed == words
    running_on = [page for page in pages if "word" in page]
    assert len(running_on) >= 2 and all("Commentary" in page for page in running_on)  # headers repeated


def test_only_approved_updates_appear(world, meeting):
    from actions.models import ProgressUpdate

    approved_update(world.action, date(2025, 3, 1), "green", commentary="Approved words.")
    draft = approved_update(world.action, date(2025, 4, 1), "red", commentary="Unapproved words.")
    ProgressUpdate.objects.filter(pk=draft.pk).update(state=ProgressUpdate.State.SUBMITTED)
    flat = " ".join(pdf_text(build(meeting)).split())
    assert "Approved words." in flat
    assert "Unapproved words." not in flat


def test_commentary_is_escaped_in_the_html_twin(world, meeting):
    approved_update(world.action, date(2025, 3, 1), "green", commentary="<script>alert(1)</script>")
    html = build(meeting).html.read().decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_small_counts_are_suppressed_in_the_kpi_annex(world, meeting):
    indicator = IndicatorFactory(
        owner_organisation=world.council,
        title="Tribunal appeals",
        unit=Unit.COUNT,
        suppress_small_numbers=True,
    )
    ReturnFactory(indicator=indicator, value=3, period_label="Spring 2025", reference_date=date(2025, 3, 31))
    services.appendix_add(
        actor=world.democratic,
        meeting=meeting,
        kind=Appendix.Kind.KPIS,
        title="Key performance indicators",
    )
    flat = " ".join(pdf_text(build(meeting)).split())
    assert "Appendix 5: Key performance indicators" in flat
    assert "Tribunal appeals" in flat
    assert "fewer than 5" in flat


def test_the_next_meetings_pack_says_what_changed_since_the_last_meetings_published_pack(world, meeting):
    approved_update(world.action, date(2025, 3, 1), "green")
    first = build(meeting)
    services.pack_publish(actor=world.democratic, pack=first)
    approved_update(world.action, date(2025, 4, 1), "red", commentary="Now off track.")
    Action.objects.filter(pk=world.other_action.pk).update(lifecycle=Action.Lifecycle.COMPLETE)
    later = MeetingFactory(partnership=world.partnership, date=meeting.date + timedelta(days=182))
    NarrativeFactory(meeting=later)
    second = build(later)
    assert second.compared_with["version"] == first.version
    assert second.compared_with["meeting_date"] == meeting.date.isoformat()
    flat = " ".join(pdf_text(second).split())
    assert "Green (on track) to Red" in flat or "to Red" in flat
    assert "Completed" in flat
    from reports.changes import compare

    changes = compare(second.compared_with["snapshot"], second.snapshot)
    assert changes.completed == [world.other_action.reference]
    assert [m.split(":")[0] for m in changes.rag_moves] == [world.action.reference]


def test_an_actions_first_approved_update_is_news_not_a_move_from_a_status_called_no_approved_update():
    from reports.changes import action_change, compare

    def snapshot(rag: str) -> dict:
        return {"lifecycle": "open", "rag": rag, "due": "2027-03-31"}

    assert action_change(snapshot("No approved update"), snapshot("Green (on track)")) == (
        "First approved update since the last pack"
    )
    assert action_change(snapshot("Amber (at risk)"), snapshot("Green (on track)")) == (
        "Amber (at risk) to Green (on track)"
    )
    assert action_change(snapshot("No approved update"), snapshot("No approved update")) == "No change"
    before = {"actions": {"R1.1": snapshot("No approved update"), "R1.2": snapshot("Amber (at risk)")}}
    after = {"actions": {"R1.1": snapshot("Green (on track)"), "R1.2": snapshot("Red (off track)")}}
    assert compare(before, after).rag_moves == [
        "R1.1: first approved update, Green (on track)",
        "R1.2: Amber (at risk) to Red (off track)",
    ]


def test_building_is_audited_and_a_repeated_task_makes_no_second_pack(world, meeting):
    pack = build(meeting, actor=world.democratic)
    assert services.pack_build(pack_id=pack.pk) == "already built"
    assert Pack.objects.count() == 1
    verbs = set(AuditEvent.objects.filter(object_type="reports.pack").values_list("verb", flat=True))
    assert verbs == {"request", "build"}


def test_the_schedule_builds_one_pack_when_the_window_opens(world, meeting):
    today = meeting.date - timedelta(days=meeting.build_days_before + 1)
    assert services.packs_build_due(today=today) == 0
    today += timedelta(days=1)
    assert services.packs_build_due(today=today) == 1
    assert services.packs_build_due(today=today) == 0
    pack = Pack.objects.get()
    assert (pack.trigger, pack.status) == (Pack.Trigger.SCHEDULE, Pack.Status.READY)


def test_a_new_meeting_gets_a_narrative_drafted_from_the_data(world):
    from reports.forms import MeetingForm

    approved_update(world.action, date(2025, 3, 1), "green")
    form = MeetingForm(
        data={
            "body": "Health and Wellbeing Board",
            "council": "Test City Council",
            "date_0": "1",
            "date_1": "12",
            "date_2": "2027",
            "agenda_item": "5",
            "report_title": "SEND update",
            "report_author": "Ada Author",
            "executive_director": "Eve Director",
            "classification": "Part 1",
            "democratic_contact": "Dee Democratic",
            "build_days_before": "10",
        },
        earliest=None,
        today=date(2026, 11, 30),
    )
    assert form.is_valid(), form.errors
    meeting = services.meeting_create(
        actor=world.democratic,
        partnership=world.partnership,
        data=form.cleaned_data,
    )
    narrative = meeting.narrative
    assert narrative.executive_summary.startswith("To update the Health and Wellbeing Board")
    assert (
        "Of the 1 action for this recommendation: 1 Green"
        in narrative.progress[str(world.recommendation.number)]
    )


def test_the_fetcher_serves_static_files_only():
    assert static_file_for("https://pack.invalid/static/reports/pack.css").name == "pack.css"
    for url in [
        "file:///etc/passwd",
        "https://example.com/static/reports/pack.css",
        "http://pack.invalid/static/reports/pack.css",
        "https://pack.invalid/media/packs/secret.pdf",
        "https://pack.invalid/static/../../../etc/passwd",
        "https://pack.invalid/static/%2e%2e/%2e%2e/settings.py",
        "data:text/plain,hello",
    ]:
        with pytest.raises(RefusedURLError):
            StaticOnlyFetcher().fetch(url)


def test_as_at_is_kept_so_a_later_download_is_what_the_board_saw(world, meeting):
    pack = build(meeting)
    approved_update(world.action, timezone.localdate(), "red", commentary="Written after the pack.")
    pack.refresh_from_db()
    assert "Written after the pack." not in pdf_text(pack)


def kpi_annex_with_groups(
    world, meeting, title: str, groups: dict[str, str], headline: int | None = None
) -> str:
    """The built pack's text, its KPI annex holding an indicator by primary need with January 2025's figures."""
    indicator = IndicatorFactory(
        owner_organisation=world.council, title=title, unit=Unit.PERCENTAGE, breakdown_topic="Primary need"
    )
    january = {"period_label": "January 2025", "reference_date": date(2025, 1, 31)}
    if headline is not None:
        ReturnFactory(indicator=indicator, value=headline, **january)
    for group, value in groups.items():
        ReturnFactory(indicator=indicator, breakdown=group, value=value, **january)
    services.appendix_add(
        actor=world.democratic, meeting=meeting, kind=Appendix.Kind.KPIS, title="Key performance indicators"
    )
    return " ".join(pdf_text(build(meeting)).split())


def test_the_kpi_annex_gives_each_periods_name_without_its_note_and_a_documents_words_where_it_gave_no_number(
    world, meeting
):
    indicator = IndicatorFactory(
        owner_organisation=world.council, title="Annual reviews on time", unit=Unit.PERCENTAGE
    )
    ReturnFactory(
        indicator=indicator,
        value=60,
        period_label="2022-23 (the SEF gives the year in the sentence before this figure)",
        reference_date=date(2023, 8, 31),
    )
    ReturnFactory(
        indicator=indicator,
        value=None,
        period_label="SEF dated 10 October 2024",
        reference_date=date(2024, 10, 10),
        source_quote="Just over a third of EHC plans were reviewed\twithin 12 months of the last review.",
    )
    services.appendix_add(
        actor=world.democratic, meeting=meeting, kind=Appendix.Kind.KPIS, title="Key performance indicators"
    )

    flat = " ".join(pdf_text(build(meeting)).split())

    annex = flat[flat.index("Annual reviews on time") :]
    assert "2022-23 60%" in annex and "the sentence before this figure" not in annex
    assert (
        "Data quality From a published document" in annex
    )  # as every page says it: never "Verified" unchecked
    assert (
        "No figure given. The document says: “Just over a third of EHC plans were reviewed within 12 months of the "
        "last review.”" in annex
    )


def test_the_kpi_annex_gives_an_indicators_latest_breakdown_in_a_compact_table(world, meeting):
    groups = {"Speech, language and communication needs": "28.3", "Autism": "19.5"}
    flat = kpi_annex_with_groups(world, meeting, "Primary need of EHC plans", groups, headline=100)
    assert "Primary need of EHC plans, January 2025" in flat
    assert "Speech, language and communication needs 28.3%" in flat and "Autism 19.5%" in flat
    assert "Latest 100%" in flat  # the headline stays the whole cohort's


def test_the_kpi_annex_says_an_indicator_held_only_by_group_has_its_figures_below(world, meeting):
    flat = kpi_annex_with_groups(world, meeting, "EHC plans by primary need (%)", {"Autism": "55"})
    said = flat[flat.index("EHC plans by primary need (%)") :]
    assert "No figure for the whole cohort has been reported: the figures for each group are below." in said
    assert said.index("are below.") < said.index("Autism 55%")
    assert "No figures have been reported yet." not in said[: said.index("Autism 55%")]


def test_the_kpi_annexs_charts_start_at_zero_so_a_small_change_is_not_drawn_as_a_steep_one(world):
    money = IndicatorFactory(owner_organisation=world.council, title="Capital grants", unit=Unit.MONEY)
    for day, value in ((date(2024, 3, 31), 500_000), (date(2024, 10, 10), 630_000)):
        ReturnFactory(indicator=money, reference_date=day, value=value)

    row = next(r for r in indicator_rows(world.partnership, timezone.now()) if r.indicator == money)
    ticks = re.findall(r'text-anchor="end"[^>]*>([^<]+)<', row.chart_svg)

    assert ticks[0] == "0"
    assert ticks[-1] == "800,000"
