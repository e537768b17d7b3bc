import csv
import io
import re
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actions.models import Action
from core.models import Role
from dashboards import selectors
from kpis.models import Comparator, DataQuality, Geography
from kpis.national import NationalValue
from kpis.national_services import (
    national_indicator_adopt,
    national_statistics_import,
    statistical_neighbours_set,
)
from tests.actions.factories import (
    ActionFactory,
    MilestoneFactory,
    PlanFactory,
    RecommendationFactory,
    approved_update,
)
from tests.factories import OrganisationFactory, member
from tests.kpis.factories import ComparatorFactory, IndicatorFactory, ReturnFactory
from tests.kpis.statistics_files import (
    LUTON,
    SOUTHEND,
    THURROCK,
    TIMELINESS_HEADER,
    csv_bytes,
    timeliness_row,
    timeliness_rows,
)

pytestmark = pytest.mark.django_db

THIS_MONTH = timezone.localdate().replace(day=1)


def month(back: int) -> date:
    return selectors.add_months(THIS_MONTH, -back)


def approved(action: Action, back: int, key: str, **fields: object):
    """An update for the month `back` months ago, approved two days after that month ended."""
    reviewed = timezone.make_aware(datetime.combine(selectors.month_end(month(back)), datetime.min.time()))
    return approved_update(action, month(back), key, reviewed_at=reviewed + timedelta(days=2), **fields)


def area(actions: int = 3, indicators: int = 2, history: int = 4):
    """A partnership with a plan, actions with `history` months of approved updates, indicators with returns."""
    plan = PlanFactory()
    council = OrganisationFactory(partnership=plan.partnership, name="Council")
    recommendation = RecommendationFactory(plan=plan, number=1, short_title="Joint commissioning")
    made = []
    for n in range(actions):
        action = ActionFactory(recommendation=recommendation, reference=f"1.{n}", order=n)
        action.owner_organisations.add(council)
        for back in range(history, 0, -1):
            approved(action, back, "green")
        made.append(action)
    for n in range(indicators):
        indicator = IndicatorFactory(owner_organisation=council, code=f"K{n}_{plan.pk}", target_value=60)
        indicator.recommendations.add(recommendation)
        indicator.actions.add(made[n % len(made)])
        for back in range(history, 0, -1):
            end = selectors.month_end(month(back))
            ReturnFactory(
                indicator=indicator, period_label=f"{month(back):%B %Y}", reference_date=end, value=50 + back
            )
        Comparator.objects.create(
            indicator=indicator,
            geography="england",
            period_label="Last year",
            reference_date=month(6),
            value=55,
            source_document="England statistics",
        )
    return plan.partnership, council, recommendation, made


def board_urls(recommendation, indicator) -> dict[str, str]:
    return {
        "overview": reverse("boards:overview"),
        "recommendation": reverse("boards:recommendation", args=[recommendation.pk]),
        "recommendation_csv": reverse("boards:recommendation_csv", args=[recommendation.pk]),
        "recommendation_xlsx": reverse("boards:recommendation_xlsx", args=[recommendation.pk]),
        "indicator": reverse("boards:indicator", args=[indicator.pk]),
        "indicator_csv": reverse("boards:indicator_csv", args=[indicator.pk]),
    }


# Who may open what (every URL and role: tests/test_permission_matrix.py)


def test_a_restricted_indicator_is_hidden_from_roles_not_named(client, signed_in):
    _, council, recommendation, _ = area(actions=1, indicators=1, history=1)
    indicator = recommendation.indicators.get()
    indicator.restricted, indicator.visible_to_roles = True, [Role.LEAD]
    indicator.save()
    signed_in(member(Role.BOARD, council))
    assert client.get(reverse("boards:indicator", args=[indicator.pk])).status_code == 404
    assert indicator.title not in client.get(reverse("boards:overview")).content.decode()
    signed_in(member(Role.LEAD, council))
    assert client.get(reverse("boards:indicator", args=[indicator.pk])).status_code == 200


# Queries: a fixed number, whatever the size of the data (TARGETS P2)


def page_queries(client, django_assert_max_num_queries, url: str, most: int = 12) -> int:
    """Queries of a page drawn afresh, not kept (dashboards.views.board_page), read within a minute of the last,
    when the session is not written (core.middleware)."""
    client.get(url)
    cache.clear()
    with django_assert_max_num_queries(most) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_each_dashboard_runs_the_same_queries_at_two_data_sizes(
    client, signed_in, django_assert_max_num_queries
):
    partnership, council, recommendation, actions = area(actions=2, indicators=1, history=2)
    indicator = recommendation.indicators.get()
    signed_in(member(Role.BOARD, council))
    past = f"?as_at={month(2):%Y-%m}"
    urls = [url + suffix for url in board_urls(recommendation, indicator).values() for suffix in ("", past)]
    small = [page_queries(client, django_assert_max_num_queries, url) for url in urls]

    for n in range(25):  # more actions, months, milestones, indicators, and other partnerships beside
        action = ActionFactory(
            recommendation=recommendation, reference=f"9.{n}", order=100 + n, replan_count=n % 4
        )
        action.owner_organisations.add(OrganisationFactory(partnership=partnership, name=f"Org {n}"))
        MilestoneFactory(action=action, due_date=month(3))
        for back in range(12, 0, -1):
            approved(action, back, ["red", "amber", "green", "blue"][(n + back) % 4])
        more = IndicatorFactory(owner_organisation=council, code=f"MORE_{n}")
        more.recommendations.add(recommendation)
        more.actions.add(action)
        ReturnFactory(indicator=more, reference_date=month(1), value=n)
        ReturnFactory(
            indicator=indicator, period_label=f"Extra {n}", reference_date=month(20) + timedelta(days=n)
        )
    for _ in range(3):
        area(actions=3, indicators=2, history=3)
    large = [page_queries(client, django_assert_max_num_queries, url) for url in urls]

    assert large == small
    # session, user, memberships, the restricted indicators the reader may not see (dashboards.pagecache), then
    # the page's own reads (the overview adds the Board meetings and the yearly summaries published by then; the
    # recommendation page its indicators, the indicator page the recommendations it is linked to)
    assert small == [10, 10, 9, 9, 6, 6, 6, 6, 8, 8, 6, 6]


def national_import(rows: list[list[str]]) -> None:
    national_statistics_import(
        user=None,
        partnership=None,
        file_name="timeliness_20_week.csv",
        stream=io.BytesIO(csv_bytes(TIMELINESS_HEADER, rows)),
    )


def national_rows(years: range, authorities: int, breakdowns: int) -> list[list[str]]:
    """England, the region, Southend and its neighbours and `authorities` more, each year with `breakdowns`
    breakdown rows an authority. The figures are made up."""
    others = [(f"E06{900 + n:06d}", f"{900 + n}", f"Authority {n}") for n in range(authorities)]
    rows = []
    for year in map(str, years):
        rows += timeliness_rows(year, southend_percent=f"{int(year) - 1990}.5")
        for authority in others:
            rows.append(
                timeliness_row(year, "Local authority", authority, issued="90", within="45", percent="50.0")
            )
            rows += [
                timeliness_row(
                    year,
                    "Local authority",
                    authority,
                    issued="9",
                    within=str(b),
                    percent=f"{b}.0",
                    breakdown=("Age", f"Age band {b}"),
                )
                for b in range(breakdowns)
            ]
    return rows


def test_board_pages_run_the_same_queries_beside_one_year_of_national_statistics_and_ten(
    client, signed_in, django_assert_max_num_queries
):
    partnership, council, recommendation, _ = area(actions=2, indicators=1, history=2)
    partnership.ons_code = SOUTHEND[0]
    partnership.save()
    admin = member(Role.ADMIN, council)
    indicator = national_indicator_adopt(user=admin, partnership=partnership, code="SEN2_ISSUED_20_WEEKS_PC")
    indicator.recommendations.add(recommendation)
    national_import(timeliness_rows("2024"))
    statistical_neighbours_set(user=admin, partnership=partnership, codes=[THURROCK[0], LUTON[0]])
    signed_in(member(Role.BOARD, council))
    urls = board_urls(recommendation, indicator).values()

    def queries() -> list[int]:
        counts = [page_queries(client, django_assert_max_num_queries, url) for url in urls]
        # The indicator's own page also reads its statistical neighbours' latest published figures, and the
        # published breakdowns with the local authority's name.
        detail = page_queries(client, django_assert_max_num_queries, indicator.get_absolute_url(), most=16)
        return [*counts, detail]

    small = queries()
    assert indicator.returns.count() == 1

    national_import(national_rows(range(2015, 2025), authorities=40, breakdowns=8))
    large = queries()

    assert indicator.returns.filter(superseded_by__isnull=True).count() == 10
    assert indicator.comparators.count() == 30  # England, the region and the neighbours, each year
    assert NationalValue.objects.count() > 10 * 40 * 9 * 3
    assert large == small == [10, 9, 6, 6, 8, 6, 16]


# As at a past month: from the history, not today's values


def test_the_position_as_at_a_past_month_comes_from_the_updates_approved_by_then(client, signed_in):
    partnership, council, recommendation, (action,) = area(actions=1, indicators=0, history=0)
    approved(action, 3, "green")
    approved(action, 1, "red")
    late = approved(action, 2, "amber")
    late.reviewed_at = timezone.now()  # month 2's update approved only today
    late.save()
    signed_in(member(Role.BOARD, council))

    now = client.get(reverse("boards:overview")).content.decode()
    then = client.get(reverse("boards:overview") + f"?as_at={month(2):%Y-%m}").content.decode()

    assert "Red" in now and "1.0" in now.split('id="attention"')[1]
    assert f"as at <strong>{month(2):%B %Y}</strong>" in then
    # In month 2 the amber update was not yet approved, so the action stood at month 3's Green.
    position = selectors.overview(partnership, frozenset({Role.BOARD}), selectors.as_at(f"{month(2):%Y-%m}"))
    counts = {c.level.key if c.level else None: c.now for c in position.recommendations[0].counts}
    assert counts["green"] == 1 and counts["amber"] == 0 and counts["red"] == 0
    today = selectors.overview(partnership, frozenset({Role.BOARD}), selectors.as_at(None))
    counts = {
        c.level.key if c.level else None: (c.now, c.last_month) for c in today.recommendations[0].counts
    }
    assert counts["red"] == (1, 1) and counts["green"] == (0, 0)


def test_a_kpi_as_at_a_past_month_shows_the_value_before_a_later_correction(client, signed_in):
    partnership, council, recommendation, _ = area(actions=1, indicators=1, history=0)
    indicator = recommendation.indicators.get()
    officer = member(Role.OFFICER, council)
    end = selectors.month_end(month(4))
    first = ReturnFactory(
        indicator=indicator,
        reference_date=end,
        value=40,
        submitted_by=officer,
        submitted_at=timezone.make_aware(datetime.combine(end, datetime.min.time())),
    )
    ReturnFactory(indicator=indicator, reference_date=end, value=45, supersedes=first, submitted_by=officer)
    signed_in(member(Role.BOARD, council))
    url = reverse("boards:indicator_csv", args=[indicator.pk])

    def local_values(query: str = "") -> list[str]:
        rows = csv.DictReader(io.StringIO(client.get(url + query).content.decode("utf-8-sig")))
        return [row["Value"] for row in rows if row["Series"] != "England"]

    assert local_values() == ["45%"]
    assert local_values(f"?as_at={month(3):%Y-%m}") == ["40%"]


def test_the_last_board_date_can_be_passed_by_the_caller():
    when = selectors.as_at(None, board_date=date(2024, 3, 14))
    default = selectors.as_at(None)

    assert when.last_board.month == date(2024, 3, 1)
    assert default.last_board.month == selectors.add_months(THIS_MONTH, -selectors.MONTHS_SINCE_BOARD)


def test_a_month_in_the_future_or_not_a_month_shows_the_present():
    assert selectors.as_at("2999-01").is_current
    assert selectors.as_at("rubbish").is_current
    assert selectors.as_at("<script>").now.month == THIS_MONTH


# What needs attention


def test_needs_attention_names_each_reason(client, signed_in):
    partnership, council, recommendation, actions = area(actions=6, indicators=0, history=0)
    red, amber, silent, replanned, late_milestone, fine = actions
    approved(red, 2, "red")
    approved(red, 1, "red")
    approved(amber, 2, "amber")
    approved(amber, 1, "amber")
    approved(silent, 3, "green")
    replanned.replan_count = 2
    replanned.save()
    for action in (replanned, late_milestone, fine):
        approved(action, 1, "green")
    MilestoneFactory(action=late_milestone, due_date=month(2))
    MilestoneFactory(action=fine, due_date=month(2), completed_on=month(3))
    board = selectors.overview(partnership, frozenset({Role.BOARD}), selectors.as_at(None))
    reasons = {item.action.reference: item.reasons for item in board.attention}

    assert reasons[red.reference] == ["Red"]
    assert reasons[amber.reference] == ["Amber for two periods or more"]
    assert reasons[silent.reference] == ["Not updated last period"]
    assert reasons[replanned.reference] == ["Due date moved 2 times"]
    assert reasons[late_milestone.reference] == ["1 overdue milestone"]
    assert fine.reference not in reasons


def test_amber_for_two_periods_compares_the_two_latest_months_reported_not_a_month_still_to_report():
    """Early in a month its updates are not yet written: last month's Amber after a Green is one period of Amber,
    though the position now and last month's are both that Amber."""
    partnership, council, recommendation, actions = area(actions=4, indicators=0, history=0)
    newly_amber, amber_twice, amber_this_month_too, green_again = actions
    approved(newly_amber, 2, "green")
    approved(newly_amber, 1, "amber")
    approved(amber_twice, 2, "amber")
    approved(amber_twice, 1, "amber")
    approved(amber_this_month_too, 1, "amber")
    approved(amber_this_month_too, 0, "amber")
    approved(green_again, 1, "amber")
    approved(green_again, 0, "green")

    board = selectors.overview(partnership, frozenset({Role.BOARD}), selectors.as_at(None))
    reasons = {item.action.reference: item.reasons for item in board.attention}

    assert "Amber for two periods or more" not in reasons.get(newly_amber.reference, [])
    assert reasons[amber_twice.reference] == ["Amber for two periods or more"]
    assert reasons[amber_this_month_too.reference] == ["Amber for two periods or more"]
    assert green_again.reference not in reasons


def test_a_long_aim_in_needs_attention_is_shortened_between_words(client, signed_in):
    partnership, council, recommendation, (action,) = area(actions=1, indicators=0, history=0)
    action.what_we_want = (
        "Leaders in education, health and social care are empowered to drive forward improvements at pace so that "
        "the partnership strategy impacts positively on the experiences and outcomes of all children"
    )
    action.save()
    approved(action, 1, "red")
    signed_in(member(Role.BOARD, council))
    attention = client.get(reverse("boards:overview")).content.decode().split('id="attention"')[1]
    shown = re.search(r"Leaders in education.*?…", attention).group(0)
    assert shown == (
        "Leaders in education, health and social care are empowered to drive forward improvements at pace so that "
        "the …"
    )


def test_a_green_action_beside_a_worsening_indicator_is_flagged(client, signed_in):
    partnership, council, recommendation, (action, steady) = area(actions=2, indicators=0, history=0)
    approved(action, 1, "green")
    approved(steady, 1, "blue")
    worse = IndicatorFactory(owner_organisation=council, code="WORSE", title="Pupils seen", better="higher")
    better = IndicatorFactory(owner_organisation=council, code="BETTER", title="Days waited", better="lower")
    worse.actions.add(action)
    better.actions.add(steady)
    for indicator, values in ((worse, (70, 60)), (better, (70, 60))):
        for back, value in zip((3, 2), values, strict=True):
            ReturnFactory(indicator=indicator, reference_date=selectors.month_end(month(back)), value=value)
    signed_in(member(Role.BOARD, council))
    page = client.get(reverse("boards:overview")).content.decode()

    # Named by the indicator's title, never its code.
    assert "Green action, worsening outcome: Pupils seen" in page
    assert "WORSE" not in page
    assert "Days waited" not in page.split('id="attention"')[1].split('id="indicators"')[0]


# The recommendation page


def test_the_actions_table_filters_sorts_and_exports_what_is_shown(client, signed_in):
    partnership, council, recommendation, actions = area(actions=3, indicators=0, history=0)
    trust = OrganisationFactory(partnership=partnership, name="NHS trust")
    actions[0].owner_organisations.set([trust])
    approved(actions[0], 1, "red")
    approved(actions[1], 1, "green")
    signed_in(member(Role.BOARD, council))
    url = reverse("boards:recommendation", args=[recommendation.pk])

    def table(**query: str) -> str:
        return client.get(url, query).content.decode().split('id="actions"')[1].split('id="grid"')[0]

    red_only, by_trust, sorted_by_rag = (
        table(rag="red"),
        table(organisation="NHS trust"),
        table(sort="rag_text"),
    )
    exported = client.get(reverse("boards:recommendation_csv", args=[recommendation.pk]), {"rag": "green"})
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("boards:recommendation_xlsx", args=[recommendation.pk])).content)
    )

    assert "Showing 1 of 3 actions" in red_only and ">1.0<" in red_only and ">1.1<" not in red_only
    assert "Showing 1 of 3 actions" in by_trust
    table = sorted_by_rag.split("<tbody")[1]
    assert table.index(">1.0<") < table.index(">1.1<") < table.index(">1.2<")  # red, green, not updated
    assert 'aria-sort="ascending"' in sorted_by_rag
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["1.1"] and rows[1][4] == "Green (on track)"
    assert [cell.value for cell in workbook.active["A"]][1:] == ["1.0", "1.1", "1.2"]


def test_the_actions_table_gives_the_rag_straight_after_the_action(client, signed_in):
    partnership, council, recommendation, _ = area(actions=1, indicators=0, history=1)
    signed_in(member(Role.BOARD, council))
    page = client.get(reverse("boards:recommendation", args=[recommendation.pk])).content.decode()
    table = page.split('id="actions"')[1].split("</thead>")[0]

    cells = re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)
    headers = [re.sub(r"<[^>]+>", "", cell).split(": sort")[0].strip() for cell in cells]
    assert headers[:3] == ["Action", "RAG", "What we want to achieve"]


def test_the_grid_gives_each_months_rag_in_words(client, signed_in):
    partnership, council, recommendation, (action,) = area(actions=1, indicators=0, history=0)
    approved(action, 2, "amber")
    approved(action, 1, "green")
    signed_in(member(Role.BOARD, council))
    page = client.get(reverse("boards:recommendation", args=[recommendation.pk])).content.decode()
    grid = page.split('id="grid"')[1]

    assert grid.count("<td") == 12
    assert grid.count(">Amber</strong>") == 1 and grid.count(">Green</strong>") == 1
    # This month's update is due after the month ends, so its empty cell is not yet a missing update.
    assert grid.count(">No update</td>") == 9
    assert grid.split("</tr>")[1].rstrip().endswith(">Not due yet</td>")


def test_a_months_update_is_late_only_after_the_fifth_of_the_next_month():
    partnership = PlanFactory().partnership
    november, december = date(2026, 11, 1), date(2026, 12, 1)

    def passed(day: date) -> list[bool]:
        return list(selectors.update_deadlines_passed(partnership, [november, december], day).values())

    assert passed(date(2026, 12, 3)) == [False, False]  # November's is due by 5 December
    assert passed(date(2026, 12, 5)) == [False, False]
    assert passed(date(2026, 12, 6)) == [True, False]
    assert passed(date(2027, 1, 6)) == [True, True]


def test_the_grid_as_at_a_past_month_counts_only_the_updates_due_by_its_end(client, signed_in):
    partnership, council, recommendation, (action,) = area(actions=1, indicators=0, history=0)
    signed_in(member(Role.BOARD, council))
    url = reverse("boards:recommendation", args=[recommendation.pk])
    grid = client.get(url, {"as_at": f"{month(3):%Y-%m}"}).content.decode().split('id="grid"')[1]

    # As at the end of that month, its own update was due five days later; the month before was already late.
    cells = grid.split("</tr>")[1]
    assert cells.count(">No update</td>") == 11
    assert cells.count(">Not due yet</td>") == 1 and cells.rstrip().endswith(">Not due yet</td>")


# The indicator page


def test_the_indicator_page_links_its_recommendations_in_order_keeping_the_month_shown(client, signed_in):
    partnership, council, first, _ = area(actions=1, indicators=1, history=2)
    indicator = first.plan.partnership.indicators.get()
    third = RecommendationFactory(plan=first.plan, number=3, short_title="Transitions")
    indicator.recommendations.add(third)
    signed_in(member(Role.BOARD, council))
    url = reverse("boards:indicator", args=[indicator.pk])

    linked = client.get(url).content.decode().split("Recommendations</dt>")[1].split("</dd>")[0]
    then = client.get(url, {"as_at": f"{month(2):%Y-%m}"}).content.decode()

    first_link, third_link = (reverse("boards:recommendation", args=[r.pk]) for r in (first, third))
    assert re.findall(r'href="([^"]+)">([^<]+)</a>', linked) == [
        (first_link, "1. Joint commissioning"),
        (third_link, "3. Transitions"),
    ]
    assert f'href="{third_link}?as_at={month(2):%Y-%m}"' in then


def back_link(page: str) -> tuple[str, str]:
    url, words = re.search(r'<a href="([^"]+)" class="govuk-back-link">([^<]+)</a>', page).groups()
    return url.replace("&amp;", "&"), words


def test_the_indicator_pages_back_link_returns_to_the_recommendation_it_was_reached_from(client, signed_in):
    partnership, council, first, _ = area(actions=1, indicators=1, history=2)
    indicator = first.plan.partnership.indicators.get()
    not_linked = RecommendationFactory(plan=first.plan, number=3, short_title="Transitions")
    signed_in(member(Role.BOARD, council))
    url = reverse("boards:indicator", args=[indicator.pk])
    recommendation_url = reverse("boards:recommendation", args=[first.pk])
    then = f"{month(2):%Y-%m}"

    from_recommendation = client.get(recommendation_url).content.decode()
    from_recommendation_then = client.get(recommendation_url, {"as_at": then}).content.decode()

    assert f'href="{url}?recommendation={first.pk}"' in from_recommendation
    assert f'href="{url}?recommendation={first.pk}&amp;as_at={then}"' in from_recommendation_then
    page = client.get(url, {"recommendation": first.pk}).content.decode()
    assert back_link(page) == (recommendation_url, "Recommendation 1")
    page = client.get(url, {"recommendation": first.pk, "as_at": then}).content.decode()
    assert back_link(page) == (f"{recommendation_url}?as_at={then}", "Recommendation 1")
    # Choosing another month, or the position now, keeps the way back.
    assert f'<input type="hidden" name="recommendation" value="{first.pk}">' in page
    assert f'href="?recommendation={first.pk}">Show the position now</a>' in page
    # From anywhere else, or naming a recommendation the indicator is not linked to: the board dashboard.
    for query in ({}, {"recommendation": not_linked.pk}, {"recommendation": "x"}):
        page = client.get(url, query).content.decode()
        assert back_link(page) == (reverse("boards:overview"), "Board dashboard")


def test_the_indicator_page_has_the_chart_its_table_and_suppressed_small_numbers(client, signed_in):
    partnership, council, recommendation, _ = area(actions=1, indicators=1, history=0)
    indicator = recommendation.indicators.get()
    indicator.suppress_small_numbers, indicator.unit = True, "count"
    indicator.save()
    ReturnFactory(
        indicator=indicator, reference_date=selectors.month_end(month(3)), value=3, period_label="Small"
    )
    ReturnFactory(
        indicator=indicator,
        reference_date=selectors.month_end(month(2)),
        value=12,
        period_label="Big",
        data_quality=DataQuality.PROVISIONAL,
        source_document="Board report <b>March</b>",
    )
    signed_in(member(Role.BOARD, council))
    page = client.get(reverse("boards:indicator", args=[indicator.pk])).content.decode()
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(reverse("boards:indicator_csv", args=[indicator.pk])).content.decode("utf-8-sig")
            )
        )
    )

    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in page
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 2  # for a screen, and a phone
    assert "<caption" in page.split("</svg>")[-1]
    assert "fewer than 5" in page and ">3<" not in page
    # Taken from a document, so never called verified or provisional by the portal.
    assert "From a published document" in page and "Board report &lt;b&gt;March&lt;/b&gt;" in page
    local = {row[2]: row for row in rows[1:] if row[0] != "England"}
    assert local["Small"][4] == "fewer than 5" and local["Big"][4] == "12"
    # Beside the words, the figure as a number a spreadsheet can add up; never the small count it hides.
    assert local["Small"][5] == "" and local["Big"][5] == "12"
    assert local["Big"][9] == "From a published document"
    assert rows[0][4:7] == ["Value", "Value as a number", "Qualifier of the number"]


def test_a_count_given_beside_a_percentage_is_named_by_what_it_counts(client, signed_in):
    partnership, council, recommendation, _ = area(actions=1, indicators=1, history=0)
    indicator = recommendation.indicators.get()
    indicator.numerator = "Pupils recorded at SEN Support"
    indicator.save()
    ReturnFactory(
        indicator=indicator, reference_date=selectors.month_end(month(3)), value="9.25", numerator=2966
    )
    ReturnFactory(
        indicator=indicator,
        reference_date=selectors.month_end(month(2)),
        value=50,
        numerator=40,
        denominator=80,
    )
    signed_in(member(Role.BOARD, council))
    page = client.get(reverse("boards:indicator", args=[indicator.pk])).content.decode()

    assert "Pupils recorded at SEN Support: 2,966" in page
    assert "40 of 80" in page  # a count with its total says what it is already


def test_the_indicator_tables_give_the_month_the_chart_places_a_figure_at_where_its_period_does_not(
    client, signed_in
):
    partnership, council, recommendation, _ = area(actions=1, indicators=1, history=0)
    indicator = recommendation.indicators.get()
    for period, day in (
        ("2023/24", date(2024, 3, 31)),
        ("SEF dated 10 October 2024", date(2024, 10, 10)),
        ("2019", date(2019, 1, 1)),
    ):
        ReturnFactory(indicator=indicator, reference_date=day, period_label=period, value=40)
    signed_in(member(Role.BOARD, council))

    page = client.get(reverse("boards:indicator", args=[indicator.pk])).content.decode()
    values = page.split('id="values"')[1].split("</table>")[0]
    periods = [
        " ".join(re.sub(r"<[^>]+>", " ", cell).split())
        for cell in re.findall(
            r"<tr class=\"govuk-table__row\">\s*<td class=\"govuk-table__cell\">(.*?)</td>", values, re.S
        )
    ]

    assert periods == ["2019", "2023/24 on the chart at March 2024", "SEF dated 10 October 2024"]
    assert ">Date the figure refers to</text>" in page  # the chart's axis, which places figures by date
    assert "Mar 2024" in page.split("</svg>")[0]


def test_the_recommendation_page_shows_each_comparator_as_it_stood_with_its_period(client, signed_in):
    partnership, council, recommendation, _ = area(actions=1, indicators=1, history=1)
    indicator = recommendation.indicators.get()
    for geography, value, period, back in (
        ("region", 57, "Region 2023", 6),
        ("statistical_neighbours", 52, "Neighbours 2023", 5),
        ("statistical_neighbours", 49, "Neighbours 2024", 1),
    ):
        Comparator.objects.create(
            indicator=indicator,
            geography=geography,
            period_label=period,
            reference_date=month(back),
            value=value,
            source_document="Local Area Inclusion Plan",
        )
    signed_in(member(Role.BOARD, council))

    url = reverse("boards:recommendation", args=[recommendation.pk])
    now = client.get(url).content.decode()
    then = client.get(url + f"?as_at={month(3):%Y-%m}").content.decode()

    assert "Statistical neighbours</th>" in now
    for expected in (
        '55%<br><span class="govuk-body-s">Last year',
        '57%<br><span class="govuk-body-s">Region 2023',
    ):
        assert expected in now and expected in then
    assert '49%<br><span class="govuk-body-s">Neighbours 2024' in now
    assert '52%<br><span class="govuk-body-s">Neighbours 2023' in then and "Neighbours 2024" not in then


def test_the_overview_of_a_partnership_without_a_plan_says_so(client, signed_in):
    signed_in(member(Role.BOARD, OrganisationFactory()))
    page = client.get(reverse("boards:overview")).content.decode()
    assert "There is no published action plan yet" in page


def test_a_figure_in_words_only_between_two_numbers_does_not_hide_which_way_the_numbers_went():
    partnership, council, recommendation, _ = area(actions=1, indicators=0, history=0)
    timeliness = IndicatorFactory(
        owner_organisation=council, title="Plans issued in 20 weeks", better="higher"
    )
    ReturnFactory(indicator=timeliness, reference_date=month(30), value=94)
    ReturnFactory(
        indicator=timeliness, reference_date=month(6), value=None, note="falling as the year progressed"
    )
    ReturnFactory(indicator=timeliness, reference_date=month(1), value=5)

    [reading] = selectors.readings(partnership, frozenset({Role.BOARD}), selectors.as_at(None).now)

    assert (reading.latest, reading.previous, reading.direction) == (Decimal(5), Decimal(94), "worse")


def test_a_reading_carries_each_figure_whole_from_one_query(django_assert_num_queries):
    partnership, council, recommendation, _ = area(actions=1, indicators=0, history=0)
    timeliness = IndicatorFactory(owner_organisation=council, title="Plans issued in 20 weeks")
    ReturnFactory(indicator=timeliness, reference_date=month(13), value=Decimal("47.0"), period_label="2023")
    ReturnFactory(
        indicator=timeliness,
        reference_date=month(1),
        value=Decimal("5.25"),
        qualifier="around",
        numerator=21,
        denominator=400,
        period_label="As of June 2024",
    )
    ComparatorFactory(
        indicator=timeliness,
        geography=Geography.REGION,
        reference_date=month(1),
        value=Decimal("123456789.1234"),
        qualifier="over",
        period_label="2024",
    )

    now = selectors.as_at(None).now
    with django_assert_num_queries(1):
        [reading] = selectors.readings(partnership, frozenset({Role.BOARD}), now)

    read = reading.indicator
    # The figure as its column holds it, to its four places, whichever database read it.
    assert str(read.latest_value) == "5.2500" and str(reading.previous) == "47.0000"
    assert (read.latest_qualifier, read.latest_numerator, read.latest_denominator) == ("around", 21, 400)
    assert type(read.latest_numerator) is int and type(read.latest_denominator) is int
    assert (read.latest_period_label, read.latest_data_quality) == ("As of June 2024", DataQuality.VERIFIED)
    assert type(reading.latest_day) is date and reading.latest_day == month(1)
    assert (read.previous_period_label, read.previous_numerator, read.previous_qualifier) == (
        "2023",
        None,
        "",
    )
    comparators = dict(zip(Geography, reading.comparators, strict=True))
    assert comparators[Geography.REGION] == selectors.ComparatorFigure(
        Decimal("123456789.1234"), "2024", "over"
    )
    assert str(comparators[Geography.REGION].value) == "123456789.1234"
    assert comparators[Geography.ENGLAND] == selectors.ComparatorFigure(None, None, "")
    # The overview reads no comparators, and the same figures.
    [overview] = selectors.readings(partnership, frozenset({Role.BOARD}), now, in_table=False)
    assert (overview.comparators, str(overview.latest), overview.indicator.latest_qualifier) == (
        [],
        "5.2500",
        "around",
    )


def test_rag_counts_give_the_change_in_words():
    count = selectors.RagCount(level=None, now=3, last_month=1, last_board=3)
    assert (count.since_last_month, count.since_last_board) == ("up 2", "no change")
    assert selectors.RagCount(None, 1, 4, 0).since_last_month == "down 3"


def test_the_overview_reads_the_same_on_sqlite_and_postgresql_with_joined_ids():
    partnership, council, recommendation, actions = area(actions=2, indicators=2, history=2)
    readings = selectors.readings(partnership, frozenset({Role.BOARD}), selectors.as_at(None).now)

    assert [r.recommendation_ids for r in readings] == [{recommendation.pk}, {recommendation.pk}]
    assert [r.action_ids for r in readings] == [{actions[0].pk}, {actions[1].pk}]
    assert [r.latest for r in readings] == [Decimal(51), Decimal(51)]
    assert [r.direction for r in readings] == ["worse", "worse"]


def test_the_board_indicator_page_gives_the_latest_breakdown_without_a_query_more(
    client, signed_in, django_assert_max_num_queries
):
    partnership, council, recommendation, _ = area(actions=1, indicators=1, history=2)
    indicator = recommendation.indicators.get()
    signed_in(member(Role.BOARD, council))
    url = reverse("boards:indicator", args=[indicator.pk])
    with django_assert_max_num_queries(20) as before:
        client.get(url)
    indicator.breakdown_topic = "Primary need"
    indicator.save()
    end = selectors.month_end(month(1))
    for need, value in (("Autism", 19), ("Hearing impairment", 3)):
        ReturnFactory(
            indicator=indicator, breakdown=need, value=value, reference_date=end, period_label="Last"
        )
    indicator.suppress_small_numbers, indicator.unit = True, "count"
    indicator.save()
    cache.clear()  # changed above by the factories, not by the portal's audited writes, so the page is drawn again

    with django_assert_max_num_queries(len(before.captured_queries)):
        page = client.get(url).content.decode()

    table = page.split('id="breakdown-caption"')[1].split("</table>")[0]
    assert "by primary need, Last" in table
    assert "Autism" in table and ">19<" in table and ">fewer than 5<" in table
    # The trend and its table are the headline figures only.
    values = page.split('id="values-caption"')[1].split("</table>")[0]
    assert "Autism" not in values and ">19<" not in values


def test_an_indicator_returned_only_by_breakdown_says_so_rather_than_point_to_figures_that_are_not_there(
    client, signed_in
):
    partnership, council, recommendation, _ = area(actions=1, indicators=0, history=0)
    indicator = IndicatorFactory(owner_organisation=council, breakdown_topic="Setting", unit="count")
    for setting, value in (("Mainstream", 85), ("Special school", 50)):
        ReturnFactory(
            indicator=indicator, breakdown=setting, value=value, reference_date=month(2), period_label="Last"
        )
    signed_in(member(Role.BOARD, council))

    page = " ".join(client.get(reverse("boards:indicator", args=[indicator.pk])).content.decode().split())

    whole = f"No value for {partnership.short_name} as a whole had been returned by"
    assert f"{whole} " in page and "the figures returned are broken down, below" in page
    assert "The same figures are in the tables below" not in page
    assert "No values had been returned" not in page
    assert "Mainstream" in page.split('id="breakdown-caption"')[1]
    # No empty chart frame saying "No figures to show" above the groups' figures.
    assert 'id="trend"' not in page and "<svg" not in page.split('id="breakdown-caption"')[0]
