"""The board overview a member reads in a minute, the Board meeting it compares with, past positions,
and indicator pages whose figures cannot mislead (issue 13)."""

import csv
import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import selectors as action_selectors
from actions.models import RecommendationSummary
from core.charts import ChartSeries, trend_chart_svg
from core.models import Role
from dashboards import selectors
from kpis.figures import period_dated, split_period
from kpis.models import Comparator, DataQuality
from kpis.services import return_query, return_verify
from reports.content import plan_parts
from reports.models import Pack
from tests.actions.factories import ActionFactory, approved_update
from tests.dashboards.test_boards import approved, area, month, page_queries
from tests.factories import OrganisationFactory, member
from tests.kpis.factories import IndicatorFactory, ReturnFactory
from tests.reports.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def overview_html(client, query: str = "") -> str:
    return client.get(reverse("boards:overview") + query).content.decode()


# One reader of "an action's approved update as at a date"


def test_an_approval_without_a_review_time_counts_from_its_own_month_on_the_board_and_in_the_pack():
    partnership, council, recommendation, (action,) = area(actions=1, indicators=0, history=0)
    approved_update(action, month(4), "amber")  # loaded history: approved, never reviewed in the portal
    approved(action, 1, "green")
    as_at_month_3 = aware(selectors.month_end(month(3)))

    board = selectors.overview(partnership, frozenset({Role.BOARD}), selectors.as_at(f"{month(3):%Y-%m}"))
    pack_rows = plan_parts(partnership, as_at_month_3)[0].rows
    latest = action_selectors.latest_approved(action, as_at_month_3)

    board_counts = {c.level.key: c.now for c in board.counts if c.level}
    assert board_counts["amber"] == 1 and board_counts["green"] == 0
    assert pack_rows[0].update is not None and pack_rows[0].update.rag.key == "amber"
    assert latest is not None and latest.rag.key == "amber"
    # Before its month it does not count, however early it was typed in.
    assert action_selectors.latest_approved(action, aware(selectors.month_end(month(5)))) is None


# "The last Board": a meeting with a published pack, or the reader's choice


def test_the_change_is_given_since_the_last_board_meeting_with_a_published_pack(client, signed_in):
    partnership, council, recommendation, actions = area(actions=3, indicators=0, history=0)
    for action in actions:
        approved(action, 5, "red")
    approved(actions[0], 1, "green")
    approved(actions[1], 1, "green")
    published = MeetingFactory(
        partnership=partnership, date=selectors.month_end(month(4)) - timedelta(days=3)
    )
    Pack.objects.create(meeting=published, version=1, status=Pack.Status.READY, published_at=timezone.now())
    unpublished = MeetingFactory(partnership=partnership, date=selectors.month_end(month(2)))
    # A draft: built, never published.
    Pack.objects.create(meeting=unpublished, version=1, status=Pack.Status.READY)
    MeetingFactory(partnership=partnership, date=timezone.localdate() + timedelta(days=30))  # not yet held
    signed_in(member(Role.BOARD, council))

    page = overview_html(client)

    since = page.split('id="since-board"')[1].split("</p>")[0]
    assert f"Health and Wellbeing Board of {published.date:%-d %B %Y}" in since
    assert "the last with a published pack" in since
    assert "2 more Green, 2 fewer Red" in since
    # Every meeting held before the position can be chosen; one not yet held cannot.
    options = page.split('id="board"')[1].split("</select>")[0]
    assert f"{unpublished.date:%-d %B %Y} (no published pack)" in options
    assert options.count("<option") == 3


def test_a_reader_can_compare_with_a_meeting_they_choose(client, signed_in):
    partnership, council, recommendation, (action,) = area(actions=1, indicators=0, history=0)
    approved(action, 3, "amber")
    approved(action, 1, "green")
    chosen = MeetingFactory(partnership=partnership, date=selectors.month_end(month(2)) - timedelta(days=1))
    signed_in(member(Role.BOARD, council))

    page = overview_html(client, f"?board={chosen.pk}")

    since = page.split('id="since-board"')[1].split("</p>")[0]
    assert f"{chosen.date:%-d %B %Y} (the meeting you chose)" in since
    assert "1 more Green, 1 fewer Amber" in since


def test_without_a_published_pack_the_overview_says_what_it_compares_with(client, signed_in):
    partnership, council, recommendation, (action,) = area(actions=1, indicators=0, history=0)
    approved(action, 1, "green")
    signed_in(member(Role.BOARD, council))

    since = overview_html(client).split('id="since-board"')[1].split("</p>")[0]

    assert "No Board meeting before" in since and "has a published pack" in since
    assert f"{month(selectors.MONTHS_SINCE_BOARD):%B %Y}, six months earlier" in since


def test_with_nothing_approved_at_the_board_compared_with_the_overview_says_so_rather_than_counting_gains(
    client, signed_in
):
    partnership, council, recommendation, (first, second) = area(actions=2, indicators=0, history=0)
    approved(first, 1, "red")
    approved(second, 1, "green")
    signed_in(member(Role.BOARD, council))

    since = overview_html(client).split('id="since-board"')[1].split("</p>")[0]

    assert "<strong>no progress update had been approved by then</strong>" in since
    assert (
        f"(approved updates in the portal start in {month(1):%B %Y}), so there is nothing to compare with"
        in since
    )
    assert "more Red" not in since and "fewer without an update" not in since

    approved(first, selectors.MONTHS_SINCE_BOARD + 1, "amber")  # one action had an update by then
    board = selectors.overview(partnership, frozenset({Role.BOARD}), selectors.as_at(None))
    assert not board.nothing_approved_at_last_board
    assert board.since_last_board == "1 more Red, 1 more Green, 1 fewer Amber, 1 fewer without an update"


def test_the_change_since_the_board_is_said_in_words():
    green, red = (type("Level", (), {"label": name})() for name in ("Green", "Red"))
    counts = [
        selectors.RagCount(green, 5, 4, 2),
        selectors.RagCount(red, 1, 1, 2),
        selectors.RagCount(None, 0, 1, 2),
    ]

    assert selectors.change_in_words(counts) == "3 more Green, 1 fewer Red, 2 fewer without an update"
    assert selectors.change_in_words([selectors.RagCount(None, 1, 1, 1)]) == "no change"


# The one-screen overview


def test_the_overview_gives_each_recommendation_its_bar_counts_and_last_six_months_in_words(
    client, signed_in
):
    partnership, council, recommendation, actions = area(actions=2, indicators=0, history=6)
    approved(actions[0], 0, "red")
    signed_in(member(Role.BOARD, council))

    page = overview_html(client)

    row = page.split('class="app-recommendation-row"')[1].split("</li>")[0]
    assert "2 actions: 1 Red, 1 Green" in row  # the bar's numbers, in text
    assert 'aria-label="Joint commissioning: 1 Red, 1 Green"' in row  # the bar's text equivalent
    trend = re.search(r'aria-label="Joint commissioning, month by month: ([^"]+)"', row)
    assert trend is not None
    months = trend.group(1).split("; ")
    assert len(months) == 6
    assert months[-1] == f"{month(0):%b %Y} (still being reported): 1 Red, 1 Green"
    assert months[0] == f"{month(5):%b %Y}: 2 Green"


def test_the_months_summary_names_both_years_when_its_months_span_a_new_year(client, signed_in):
    partnership, council, recommendation, actions = area(actions=1, indicators=0, history=0)
    signed_in(member(Role.BOARD, council))
    first_january = date(timezone.localdate().year - 1, 1, 1)

    page = overview_html(client, f"?as_at={first_january:%Y-%m}")

    summary = re.search(
        r'summary-text">([^<]+)<span class="govuk-visually-hidden"> for Joint commissioning', page
    )
    assert summary is not None
    assert summary.group(1) == f"Aug {first_january.year - 1} to Jan {first_january.year}"


def months_still_being_reported_today() -> list[date]:
    """This month, and last month too until its update deadline (the 5th) has passed."""
    today = timezone.localdate()
    last_month_due = selectors.month_end(month(1)) + timedelta(days=5)
    return [month(1), month(0)] if today <= last_month_due else [month(0)]


def test_months_whose_updates_are_not_all_due_are_drawn_paler_and_said_so_in_words(client, signed_in):
    partnership, council, recommendation, actions = area(actions=2, indicators=0, history=6)
    approved(actions[0], 0, "red")
    signed_in(member(Role.BOARD, council))
    in_progress = months_still_being_reported_today()

    page = overview_html(client)

    row = page.split('class="app-recommendation-row"')[1].split("</details>")[0]
    assert row.count('<g opacity="0.45">') == len(
        in_progress
    )  # one paler column per such month, and no other
    in_words = re.findall(r'<li><span class="govuk-!-font-weight-bold">([^<]+)</span>: ([^<]+)</li>', row)
    assert [name for name, _ in in_words] == [
        f"{m:%b %Y}" + (" (still being reported)" if m in in_progress else "")
        for m in map(month, range(5, -1, -1))
    ]
    assert in_words[-1][1] == "1 Red, 1 Green" and in_words[0][1] == "2 Green"
    caption = page.split('id="recommendations"')[1].split("</p>")[0]
    named = " and ".join(f"{m:%B %Y}" for m in in_progress)
    assert (
        f"{named} {'is a month' if len(in_progress) == 1 else 'are months'} still being reported" in caption
    )


def test_the_overview_says_what_each_colour_means_in_the_partnerships_own_words(client, signed_in):
    partnership, council, recommendation, actions = area(actions=1, indicators=0, history=1)
    ActionFactory(recommendation=recommendation, reference="1.9", order=9)  # no update yet
    signed_in(member(Role.BOARD, council))
    blue = action_selectors.rag_scale(partnership)[-1]

    page = overview_html(client)

    meanings = page.split("What the colours mean")[1].split("</details>")[0]
    assert f"{blue.label}: {blue.meaning}</dt>" in meanings and "<dd" in meanings
    assert blue.definition in meanings
    # "No update recorded yet" is explained too, and its tag is not the Grey level's.
    assert "No update recorded yet: white with a grey edge in the bars, as its tag</dt>" in meanings
    # The bar of the action with no update is drawn as that tag is, not filled with a colour a level could have.
    assert 'fill="#ffffff" stroke="#b1b4b6" stroke-width="2"' in page
    assert "This is not the same as Grey." in meanings
    assert 'class="govuk-tag app-tag--no-update">No update recorded yet<' in page
    assert 'govuk-tag--grey">No update recorded yet<' not in page


def test_a_past_position_has_no_month_still_being_reported(client, signed_in):
    partnership, council, recommendation, actions = area(actions=2, indicators=0, history=6)
    signed_in(member(Role.BOARD, council))

    page = overview_html(client, f"?as_at={month(3):%Y-%m}")

    assert "still being reported" not in page and 'opacity="0.45"' not in page
    assert f'<li><span class="govuk-!-font-weight-bold">{month(3):%b %Y}</span>: 2 Green</li>' in page


def test_with_no_indicator_to_compare_the_headline_says_so_rather_than_none_worsening(client, signed_in):
    partnership, council, recommendation, (action,) = area(actions=1, indicators=0, history=0)
    once = IndicatorFactory(owner_organisation=council, title="Tribunals", better="lower")
    ReturnFactory(indicator=once, reference_date=month(2), value=3)
    signed_in(member(Role.BOARD, council))

    page = overview_html(client)

    assert re.search(
        r'href="#worsening"><span class="app-key-figure__number">0</span> indicators with two recent figures to '
        r"compare",
        page,
    )
    assert "moving the wrong way," not in page
    assert "worse when last measured" not in page


def test_a_fall_long_ago_with_no_newer_figure_is_named_in_the_headline_beside_none_to_compare(
    client, signed_in
):
    partnership, council, recommendation, (action,) = area(actions=1, indicators=0, history=0)
    fell = IndicatorFactory(owner_organisation=council, title="Plans issued in 20 weeks", better="higher")
    ReturnFactory(indicator=fell, reference_date=date(2021, 4, 1), value=94, period_label="April 2021")
    ReturnFactory(indicator=fell, reference_date=date(2024, 6, 1), value=5, period_label="June 2024")
    signed_in(member(Role.BOARD, council))

    page = overview_html(client)

    assert re.search(
        r'href="#worsening"><span class="app-key-figure__number">0</span> indicators with two recent figures to '
        r"compare; 1 was worse when last measured</a>",
        page,
    )


def test_the_overview_counts_what_needs_attention_and_names_indicators_moving_the_wrong_way(
    client, signed_in
):
    partnership, council, recommendation, (action,) = area(actions=1, indicators=0, history=2)
    approved(action, 0, "red")
    worse = IndicatorFactory(owner_organisation=council, title="Children seen on time", better="higher")
    worse.recommendations.add(recommendation)
    ReturnFactory(
        indicator=worse, reference_date=month(3), value=70, period_label="Spring (as given in the report)"
    )
    ReturnFactory(indicator=worse, reference_date=month(2), value=60, period_label="Summer")
    better = IndicatorFactory(owner_organisation=council, title="Reviews on time", better="higher")
    ReturnFactory(indicator=better, reference_date=month(3), value=40)
    ReturnFactory(indicator=better, reference_date=month(2), value=45)
    IndicatorFactory(owner_organisation=council, title="Plans issued", better="higher")  # no figure
    once = IndicatorFactory(owner_organisation=council, title="Tribunals", better="lower")
    ReturnFactory(indicator=once, reference_date=month(2), value=3)  # one figure: no direction
    signed_in(member(Role.BOARD, council))

    page = overview_html(client)

    assert re.search(
        r'href="#attention"><span class="app-key-figure__number">1</span> action needs attention', page
    )
    # Of the four indicators only two have the two figures a direction needs: the headline says so.
    assert re.search(
        r'href="#worsening"><span class="app-key-figure__number">1</span> indicator moving the wrong way, of 2 with '
        r"two recent figures",
        page,
    )
    side = page.split('id="worsening"')[1].split('id="attention"')[0]
    assert "Children seen on time" in side and "60% (Summer), from 70% (Spring)" in side
    assert "as given in the report" not in side
    assert "No newer figure" not in side  # a monthly value from two months ago is the newest to expect


def test_a_worsening_figure_long_without_a_newer_one_says_how_old_it_is(client, signed_in):
    partnership, council, recommendation, (action,) = area(actions=1, indicators=0, history=1)
    old = IndicatorFactory(
        owner_organisation=council, title="Absence of pupils with plans", better="lower", frequency="annual"
    )
    recent = IndicatorFactory(
        owner_organisation=council, title="Plans issued in 20 weeks", better="higher", frequency="annual"
    )
    year = timezone.localdate().year
    ReturnFactory(indicator=old, reference_date=date(year - 5, 1, 1), value=10, period_label="A")
    # A period naming no year keeps the note that dates it: "Current data" beside "4 years old" would contradict it.
    dated = f"Current data (report dated 1 January {year - 4})"
    ReturnFactory(indicator=old, reference_date=date(year - 4, 1, 1), value=12, period_label=dated)
    ReturnFactory(indicator=recent, reference_date=date(year - 3, 6, 1), value=50, period_label="C")
    ReturnFactory(indicator=recent, reference_date=date(year - 2, 6, 1), value=40, period_label="D")
    old.actions.add(action)
    recent.actions.add(action)
    signed_in(member(Role.BOARD, council))

    page = overview_html(client)
    side = page.split('id="worsening"')[1].split('id="attention"')[0]
    # Only the current fall makes the Green action linked to both need attention.
    attention = page.split('id="attention"')[1]
    assert "Green action, worsening outcome: Plans issued in 20 weeks" in attention
    assert "Absence of pupils with plans" not in attention
    # A fall measured years ago, with nothing newer, is listed apart and left out of the headline count.
    # ... but the headline says it is there, so that a reader of the headline alone is not told all is well.
    assert re.search(
        r'href="#worsening"><span class="app-key-figure__number">1</span> indicator moving the wrong way, of 1 with '
        r"two recent figures; 1 more was worse when last measured</a>",
        page,
    )
    counted, apart = side.split("so not counted above")
    assert "Plans issued in 20 weeks" in counted and "Absence of pupils with plans" not in counted
    assert "Absence of pupils with plans" in apart and "Plans issued in 20 weeks" not in apart
    old_item = side.split("Absence of pupils with plans")[1].split("</li>")[0]
    recent_item = side.split("Plans issued in 20 weeks")[1].split("</li>")[0]
    assert "No newer figure: this one is 4\xa0years" in old_item  # timesince joins with a no-break space
    assert f"(Current data, report dated 1 January {year - 4}), from" in old_item
    assert "No newer figure" not in recent_item  # an annual figure two years old may be the newest published
    old.recommendations.add(recommendation)
    recent.recommendations.add(recommendation)
    indicators = client.get(reverse("boards:recommendation", args=[recommendation.pk])).content.decode()
    old_row = indicators.split(">Absence of pupils with plans</a>")[1].split("</tr>")[0]
    recent_row = indicators.split(">Plans issued in 20 weeks</a>")[1].split("</tr>")[0]
    assert "No newer figure: this one is 4\xa0years" in old_row
    assert f"Current data, report dated 1 January {year - 4}. No newer figure" in old_row
    assert "No newer figure" not in recent_row


# Past positions


def test_a_past_position_before_any_update_says_so_and_points_to_what_was_published_then(client, signed_in):
    partnership, council, recommendation, (action,) = area(actions=1, indicators=0, history=0)
    approved(action, 1, "green")
    RecommendationSummary.objects.create(
        recommendation=recommendation,
        year="2023-24",
        published_label=f"{month(6):%B %Y}",
        what_we_wanted="Joint working",
        difference_it_made="Families told us",
        priority_heading="Priorities",
        priority="More joint working",
    )
    RecommendationSummary.objects.create(
        recommendation=recommendation,
        year="2024-25",
        published_label=f"{month(2):%B %Y}",  # published after the position asked for
        what_we_wanted="Later",
        difference_it_made="Later",
        priority_heading="Priorities",
        priority="Later",
    )
    signed_in(member(Role.BOARD, council))
    as_at = f"?as_at={month(4):%Y-%m}"

    overview = overview_html(client, as_at)
    detail = client.get(reverse("boards:recommendation", args=[recommendation.pk]) + as_at).content.decode()

    assert "1 action has no update recorded yet" in overview
    assert "1 action: 1 no update recorded yet" in overview  # mid-sentence, in lower case
    assert f"approved progress updates in the portal start in {month(1):%B %Y}" in overview
    assert f"the {month(6):%B %Y} annual update (2023-24)" in overview
    assert "2024-25" not in overview.split('id="recommendations"')[1].split('id="attention"')[0]
    assert "No update recorded yet" in detail
    assert f"Its first approved update in the portal is for {month(1):%B %Y}." in detail
    assert f"the {month(6):%B %Y} annual update (2023-24)" in detail
    # No RAG is made up for the months before the first update.
    assert "Green" not in detail.split('id="actions"')[1].split('id="grid"')[0]
    # Monthly updates had not begun, so not being updated is not a reason for attention.
    assert "Not updated last period" not in overview


# Indicator pages


def test_the_indicator_page_is_titled_by_name_and_keeps_period_and_note_apart(client, signed_in):
    partnership, council, recommendation, _ = area(actions=1, indicators=0, history=0)
    indicator = IndicatorFactory(
        owner_organisation=council, code="EHCP_20_WEEKS_PCT", title="Plans in 20 weeks"
    )
    ReturnFactory(
        indicator=indicator,
        reference_date=date(2023, 3, 31),
        value=33.4,
        period_label="2022-23 (the SEF gives the year in the sentence before this figure)",
    )
    signed_in(member(Role.BOARD, council))

    page = client.get(reverse("boards:indicator", args=[indicator.pk])).content.decode()

    assert "EHCP_20_WEEKS_PCT" not in page
    assert '<h1 class="govuk-heading-l">Plans in 20 weeks</h1>' in page
    values = page.split('id="values"')[1].split("</table>")[0]
    assert '<td class="govuk-table__cell">2022-23<br>' in values
    assert "on the chart at March 2023</span>" in values  # where the chart places it
    assert "the SEF gives the year in the sentence before this figure" in values
    assert "No comparator published" in page or "No comparator published as at" in page
    # The chart's text alternative counts one value as one, in its one period.
    assert f">1 value for {partnership.short_name} in 2022-23, with no comparators." in page


def test_data_quality_tells_a_document_a_return_awaiting_a_check_and_a_verified_return_apart(
    client, signed_in
):
    partnership, council, recommendation, _ = area(actions=1, indicators=0, history=0)
    trust = OrganisationFactory(partnership=partnership, name="Hospital trust")
    indicator = IndicatorFactory(owner_organisation=council)
    officer = member(Role.OFFICER, council)
    verifier = member(Role.LEAD, trust)
    ReturnFactory(indicator=indicator, reference_date=month(5), period_label="From the report")
    ReturnFactory(
        indicator=indicator,
        reference_date=month(4),
        period_label="Returned",
        source_document="",
        submitted_by=officer,
        data_quality=DataQuality.PROVISIONAL,
    )
    checked = ReturnFactory(
        indicator=indicator,
        reference_date=month(3),
        period_label="Checked",
        source_document="",
        submitted_by=officer,
        data_quality=DataQuality.PROVISIONAL,
    )
    return_verify(user=verifier, returned=checked)
    signed_in(member(Role.BOARD, council))

    page = client.get(reverse("boards:indicator", args=[indicator.pk])).content.decode()
    values = page.split('id="values"')[1].split("</table>")[0]

    rows = {
        label: values.split(f">{label}<")[1].split("</tr>")[0]
        for label in ("From the report", "Returned", "Checked")
    }
    assert "From a published document" in rows["From the report"]
    assert "Verified" not in rows["From the report"]
    assert "Returned, not yet verified" in rows["Returned"]
    assert f"Verified by Hospital trust on {timezone.localdate():%-d %B %Y}" in rows["Checked"]


def test_a_latest_figure_not_yet_verified_says_so_on_the_recommendation_page_and_the_overview(
    client, signed_in
):
    partnership, council, recommendation, _ = area(actions=1, indicators=0, history=0)
    officer = member(Role.OFFICER, council)
    checker = member(Role.LEAD, council)

    def indicator_returned(
        title: str, values: tuple[int, int], verified: bool, queried: bool = False
    ) -> None:
        indicator = IndicatorFactory(owner_organisation=council, title=title, better="lower", unit="count")
        indicator.recommendations.add(recommendation)
        for back, value in zip((3, 2), values, strict=True):
            returned = ReturnFactory(
                indicator=indicator,
                reference_date=selectors.month_end(month(back)),
                period_label=f"{month(back):%B %Y}",
                value=value,
                source_document="",
                submitted_by=officer,
                data_quality=DataQuality.PROVISIONAL,
            )
        if verified:
            return_verify(user=checker, returned=returned)
        if queried:
            return_query(user=checker, returned=returned, reason="Looks doubled")

    indicator_returned("Waiting", (10, 20), verified=False)
    indicator_returned("Checked", (10, 20), verified=True)
    indicator_returned("Doubtful", (10, 20), verified=False, queried=True)
    signed_in(member(Role.BOARD, council))

    page = client.get(reverse("boards:recommendation", args=[recommendation.pk])).content.decode()
    overview = overview_html(client)

    def row(html: str, title: str, end: str) -> str:
        return html.split(f">{title}</a>")[1].split(end)[0]

    assert "Returned, not yet verified" in row(page, "Waiting", "</tr>")
    assert "verified" not in row(page, "Checked", "</tr>").lower()
    assert "returned, not yet verified), from" in row(overview, "Waiting", "</li>")
    assert "verified" not in row(overview, "Checked", "</li>").lower()
    assert "Queried: not to be relied on until corrected" in row(page, "Doubtful", "</tr>")
    assert "queried: not to be relied on until corrected), from" in row(overview, "Doubtful", "</li>")


def test_a_comparator_keeps_the_decimal_places_it_was_published_with_on_every_board_page_and_in_the_csv(
    client, signed_in
):
    partnership, council, recommendation, _ = area(actions=1, indicators=0, history=0)
    indicator = IndicatorFactory(owner_organisation=council, frequency="annual", unit="score")
    indicator.recommendations.add(recommendation)
    ReturnFactory(indicator=indicator, reference_date=date(2019, 8, 31), value=47.2, period_label="2018/19")
    Comparator.objects.create(
        indicator=indicator,
        geography="region",
        period_label="2018/19",
        reference_date=date(2019, 8, 31),
        value=Decimal("47.0"),
        decimal_places=1,
    )
    signed_in(member(Role.BOARD, council))

    indicator_page = client.get(reverse("boards:indicator", args=[indicator.pk])).content.decode()
    aligned = indicator_page.split('id="aligned"')[1].split("</table>")[0]
    assert "47.0" in aligned and "47.2" in aligned
    recommendation_page = client.get(
        reverse("boards:recommendation", args=[recommendation.pk])
    ).content.decode()
    assert ">47.0<br>" in recommendation_page
    csv_text = client.get(reverse("boards:indicator_csv", args=[indicator.pk])).content.decode("utf-8-sig")
    [region] = [row for row in csv.reader(io.StringIO(csv_text)) if "47.0" in row]
    assert region.count("47.0") == 2  # as shown, and as a number for a spreadsheet


def test_percentages_are_drawn_on_an_axis_from_0_and_gaps_in_time_break_the_line(client, signed_in):
    partnership, council, recommendation, _ = area(actions=1, indicators=0, history=0)
    indicator = IndicatorFactory(owner_organisation=council, frequency="annual", unit="percentage")
    for year, value in ((2019, 32.3), (2020, 32.9), (2023, 33.4)):
        ReturnFactory(
            indicator=indicator, reference_date=date(year, 1, 1), value=value, period_label=str(year)
        )
    Comparator.objects.create(
        indicator=indicator,
        geography="england",
        period_label="2023",
        reference_date=date(2023, 1, 1),
        value=32.3,
    )
    signed_in(member(Role.BOARD, council))

    page = client.get(reverse("boards:indicator", args=[indicator.pk])).content.decode()
    chart = page.split("<svg")[1].split("</svg>")[0]

    ticks = re.findall(r'text-anchor="end" fill="#0b0c0c">([^<]+)</text>', chart)
    assert ticks[0] == "0" and ticks[-1] == "40"  # from 0, to a step above the highest value (33.4%)
    local = chart.split('class="series series-local"')[1].split("</g>")[0]
    assert local.count("<polyline") == 1  # 2019 to 2020 joined; 2020 to 2023 left as a gap
    assert local.count("<circle") >= 1  # 2023 stands alone, marked
    assert "the line is broken where more than a period passed" in chart
    assert "The axis starts at 0%." in chart
    aligned = page.split('id="aligned"')[1].split("</table>")[0]
    row_2023 = aligned.split(">2023</th>")[1].split("</tr>")[0]
    assert "33.4%" in row_2023 and "32.3%" in row_2023 and "No comparator published" in row_2023
    row_2019 = aligned.split(">2019</th>")[1].split("</tr>")[0]
    assert "32.3%" in row_2019 and row_2019.count("No comparator published") == 3


def test_a_count_is_drawn_from_0_in_whole_numbers_so_a_rise_from_2_to_3_is_not_the_charts_whole_height(
    client, signed_in
):
    partnership, council, recommendation, _ = area(actions=1, indicators=0, history=0)
    indicator = IndicatorFactory(owner_organisation=council, unit="count", suppress_small_numbers=False)
    ReturnFactory(indicator=indicator, reference_date=month(3), value=2, period_label="Summer")
    ReturnFactory(indicator=indicator, reference_date=month(2), value=3, period_label="Autumn")
    signed_in(member(Role.BOARD, council))

    page = client.get(reverse("boards:indicator", args=[indicator.pk])).content.decode()
    for chart in page.split("<svg")[1:3]:  # the wide drawing and the phone's
        ticks = re.findall(r'text-anchor="end" fill="#0b0c0c">([^<]+)</text>', chart.split("</svg>")[0])
        assert ticks == ["0", "1", "2", "3"]
        assert "The axis starts at 0." in chart


def test_the_chart_breaks_a_line_only_at_a_gap_longer_than_allowed():
    points = [(date(2020, 1, 1), 1.0), (date(2021, 1, 1), 2.0), (date(2021, 2, 1), 3.0)]
    series = [ChartSeries("Local", points, "local")]

    joined = trend_chart_svg(title="t", description="d", y_label="y", series=series)
    broken = trend_chart_svg(title="t", description="d", y_label="y", series=series, max_gap_days=46)

    assert joined.split('series-local"')[1].split("</g>")[0].count("<polyline") == 1
    assert broken.split('series-local"')[1].split("</g>")[0].count("<polyline") == 1
    assert broken.split('series-local"')[1].split("</g>")[0].count("<circle") >= 1
    first_line = broken.split('series-local"')[1].split("<polyline")[1]
    assert first_line.count(",") == 2  # the joined run is only the two values a month apart


def test_a_period_label_gives_its_note_apart():
    assert split_period("2022-23 (the SEF gives the year in the sentence before this figure)") == (
        "2022-23",
        "the SEF gives the year in the sentence before this figure",
    )
    assert split_period("As of June 2024") == ("As of June 2024", "")
    assert split_period('2024 ("as 2024 progressed")') == ("2024", '"as 2024 progressed"')


def test_a_period_naming_no_year_keeps_the_note_that_dates_it_where_notes_are_not_shown_apart():
    assert (
        period_dated("Current data (SEF dated 10 October 2024)") == "Current data, SEF dated 10 October 2024"
    )
    assert period_dated('"this academic year" (SEF dated 10 October 2024)') == (
        '"this academic year", SEF dated 10 October 2024'
    )
    assert period_dated("2022-23 (the SEF gives the year in the sentence before this figure)") == "2022-23"
    assert period_dated("Spring (as given in the report)") == "Spring"  # the note does not date it
    assert period_dated("As of June 2024") == "As of June 2024"
    assert period_dated("Current data") == "Current data"
    assert (
        period_dated("1200 children (SEF dated 10 October 2024)")
        == "1200 children, SEF dated 10 October 2024"
    )


def test_board_pages_answer_in_no_more_than_ten_queries(client, signed_in, django_assert_max_num_queries):
    partnership, council, recommendation, actions = area(actions=3, indicators=2, history=6)
    meeting = MeetingFactory(partnership=partnership, date=month(3))
    Pack.objects.create(meeting=meeting, version=1, status=Pack.Status.READY, published_at=timezone.now())
    ActionFactory(recommendation=recommendation, reference="1.9", order=9)
    signed_in(member(Role.BOARD, council))
    indicator = recommendation.indicators.first()

    for url in (
        reverse("boards:overview"),
        reverse("boards:overview") + f"?as_at={month(2):%Y-%m}&board={meeting.pk}",
        reverse("boards:recommendation", args=[recommendation.pk]),
        reverse("boards:indicator", args=[indicator.pk]),
    ):
        assert page_queries(client, django_assert_max_num_queries, url) <= 10


def test_the_indicator_list_never_calls_a_figure_from_a_document_verified(client, signed_in):
    partnership, council, recommendation, _ = area(actions=1, indicators=0, history=0)
    indicator = IndicatorFactory(owner_organisation=council, title="Plans reviewed on time")
    ReturnFactory(
        indicator=indicator,
        reference_date=month(2),
        period_label="2023 (as the report put it)",
        data_quality=DataQuality.VERIFIED,
    )
    signed_in(member(Role.BOARD, council))

    page = client.get(reverse("kpis:indicators")).content.decode()
    row = page.split("Plans reviewed on time")[1].split("</tr>")[0]

    assert "From a published document" in row and "Verified" not in row
    assert ">2023<" in row and "as the report put it" not in row
