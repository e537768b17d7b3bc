"""The board dashboards: read-only pages for every member of the partnership, as at any past month."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import cast

from django import forms
from django.http import HttpResponse, QueryDict
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET
from django_tables2 import RequestConfig

from actions.models import Action, ProgressUpdate, Recommendation
from actions.selectors import recommendation_in
from core.charts import ChartSeries, trend_chart_svg
from core.documents import document_name
from core.http import PortalRequest
from core.permissions import permission_required
from core.spreadsheets import spreadsheet_response
from dashboards import selectors
from dashboards.pagecache import board_page
from dashboards.tables import (
    EXPORT_HEADER,
    BoardActionRow,
    BoardActionTable,
    export_rows,
)
from kpis.exports import plain_decimal
from kpis.figures import (
    PUBLISHED_COMPARATOR,
    SUPPRESSED_TEXT,
    GroupFigure,
    Quality,
    comparator_chart_series,
    format_number,
    group_figures,
    not_exact_dates,
    quality_of,
    return_text,
    split_period,
    suppressed,
    words_shown,
)
from kpis.models import Comparator, Frequency, Geography, Indicator, Return, Unit
from kpis.selectors import latest_breakdown

ACTIONS_PER_PAGE = 25


def when_of(request: PortalRequest) -> selectors.AsAt:
    return selectors.as_at(request.GET.get("as_at"))


def month_options(first: date | None, when: selectors.AsAt) -> list[dict[str, object]]:
    return [
        {"value": f"{month:%Y-%m}", "label": f"{month:%B %Y}", "selected": month == when.now.month}
        for month in selectors.month_choices(first, when.today)
    ]


@require_GET
@permission_required("core.view_partnership")
def overview(request: PortalRequest) -> HttpResponse:
    def context() -> dict[str, object]:
        shown = when_of(request)
        board = selectors.last_board(
            selectors.board_meetings(request.partnership, before=shown.reference_day),
            request.GET.get("board"),
        )
        when = selectors.as_at(
            request.GET.get("as_at"), board_date=board.chosen.date if board.chosen else None
        )
        position = selectors.overview(request.partnership, request.user, when)
        return {
            "board": position,
            "meeting": board,
            "when": when,
            "months": month_options(position.plan.start if position.plan else None, when),
            "comparator_names": Geography.labels,
        }

    return board_page(request, "dashboards/board/overview.html", context)


# A recommendation


class ActionFilterForm(forms.Form):
    """Filters for the actions table; the choices are what the recommendation's actions hold."""

    rag = forms.ChoiceField(label="RAG", required=False)
    organisation = forms.ChoiceField(label="Owner organisation", required=False)
    owner = forms.ChoiceField(label="Lead officer", required=False)

    def __init__(self, data: QueryDict, rows: list[BoardActionRow]) -> None:
        super().__init__(data)
        levels = {row.rag_key: (row.rag_order, row.rag_text) for row in rows}
        organisations = sorted({name for row in rows for name in row.organisations})
        owners = sorted({(row.owner, row.owner_id) for row in rows if row.owner_id}, key=lambda item: item[0])
        choices = {
            "rag": [(key, text) for key, (_, text) in sorted(levels.items(), key=lambda item: item[1][0])],
            "organisation": [(name, name) for name in organisations],
            "owner": [(str(pk), name) for name, pk in owners],
        }
        for name, options in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = [("", "Any"), *options]

    def apply(self, rows: list[BoardActionRow]) -> list[BoardActionRow]:
        if not self.is_valid():
            return rows
        rag, organisation, owner = (self.cleaned_data[name] for name in ("rag", "organisation", "owner"))
        return [
            row
            for row in rows
            if (not rag or row.rag_key == rag)
            and (not organisation or organisation in row.organisations)
            and (not owner or str(row.owner_id) == owner)
        ]


@dataclass
class GridCell:
    update: ProgressUpdate | None
    # The month's update deadline had passed on the day shown: until then a month without an update is not late.
    deadline_passed: bool


@dataclass
class GridRow:
    action: Action
    cells: list[GridCell]


@dataclass
class RecommendationPage:
    when: selectors.AsAt
    recommendation: Recommendation
    rows: list[BoardActionRow]
    shown: list[BoardActionRow]
    form: ActionFilterForm
    grid_months: list[date]
    grid: list[GridRow]


def recommendation_page(request: PortalRequest, pk: int) -> RecommendationPage:
    """The recommendation's actions as at the month, filtered, and their RAG month by month."""
    when = when_of(request)
    recommendation = recommendation_in(request.partnership, pk)
    actions = selectors.recommendation_actions(recommendation)
    by_month: dict[tuple[int, date], ProgressUpdate] = {}
    latest: dict[int, ProgressUpdate] = {}
    for update in selectors.recent_updates(recommendation, when.now):
        by_month[(update.action_id, update.period.start)] = update
        latest.setdefault(update.action_id, update)
    rows = [BoardActionRow(action, latest.get(action.pk)) for action in actions]
    months = [selectors.add_months(when.now.month, -back) for back in reversed(range(selectors.GRID_PERIODS))]
    deadline_passed = selectors.update_deadlines_passed(request.partnership, months, when.reference_day)
    form = ActionFilterForm(request.GET, rows)
    return RecommendationPage(
        when=when,
        recommendation=recommendation,
        rows=rows,
        shown=form.apply(rows),
        form=form,
        grid_months=months,
        grid=[
            GridRow(a, [GridCell(by_month.get((a.pk, month)), deadline_passed[month]) for month in months])
            for a in actions
        ],
    )


@require_GET
@permission_required("core.view_partnership")
def recommendation(request: PortalRequest, pk: int) -> HttpResponse:
    def context() -> dict[str, object]:
        page = recommendation_page(request, pk)
        table = BoardActionTable(page.shown)
        RequestConfig(request, paginate={"per_page": ACTIONS_PER_PAGE}).configure(table)
        summaries = selectors.summaries_of(page.recommendation)
        return {
            **vars(page),
            "table": table,
            "summaries": summaries,
            "not_updated": sum(1 for row in page.rows if row.latest is None),
            "readings": selectors.readings(
                request.partnership, request.user, page.when.now, recommendation=page.recommendation
            ),
            "comparator_names": Geography.labels,
            "published_then": selectors.latest_published(summaries, page.when.reference_day),
            "months": month_options(page.recommendation.plan.start, page.when),
            "filtered": page.form.is_valid() and any(page.form.cleaned_data.values()),
        }

    return board_page(request, "dashboards/board/recommendation.html", context)


@require_GET
@permission_required("core.view_partnership")
def recommendation_export(request: PortalRequest, pk: int, file_format: str) -> HttpResponse:
    page = recommendation_page(request, pk)
    return spreadsheet_response(
        f"recommendation-{page.recommendation.number}-actions-{page.when.now.month:%Y-%m}",
        EXPORT_HEADER,
        export_rows(page.shown),
        file_format,
        title=f"Recommendation {page.recommendation.number} actions",
    )


# An indicator


# How far apart two values may be before the line between them is broken: one and a half periods.
@dataclass
class ValueRow:
    """A value in the indicator's data table and CSV: local figures and comparators alike."""

    series: str
    period: str
    reference_date: date
    figure: str
    # The figure as a number, and the words it is given with ("around", "fewer than"): None where it is hidden or was
    # not given.
    value: Decimal | None
    value_qualifier: str
    numerator: str
    denominator: str
    quality: Quality
    source: str
    note: str
    places: int | None = None  # the decimal places the figure was written with, where they are kept
    # The group of the cohort a figure is for ("Autistic spectrum disorder"); empty for the whole cohort.
    group: str = ""

    @property
    def charted_at(self) -> str:
        return month_charted_at(self.period, self.reference_date)

    @property
    def number(self) -> str:
        """The figure as a plain decimal, for a spreadsheet to sum and chart."""
        return "" if self.value is None else plain_decimal(self.value, self.places)

    @property
    def qualifier(self) -> str:
        """The words the number is given with, which the number alone loses."""
        return "" if self.value is None else self.value_qualifier


def month_charted_at(period: str, reference_date: date) -> str:
    """The month the chart places a figure at ("March 2024" for 2023/24), for the tables beside it; empty where
    the period already says it, or is a year alone (a count for the year)."""
    month = f"{reference_date:%B %Y}"
    return "" if month in period or period == str(reference_date.year) else month


def note_of(period_label: str, note: str) -> str:
    """The note that came with the period in its document, then the figure's own note."""
    return "; ".join(part for part in (split_period(period_label)[1], note) if part)


def local_rows(indicator: Indicator, local_name: str, values: list[Return]) -> list[ValueRow]:
    rows = []
    for value in values:
        hidden = suppressed(indicator, value.value, value.numerator, value.denominator)

        def count(number: int | None, hidden: bool = hidden) -> str:
            return "" if number is None else SUPPRESSED_TEXT if hidden else format_number(number)

        rows.append(
            ValueRow(
                series=local_name,
                period=split_period(value.period_label)[0],
                reference_date=value.reference_date,
                figure=return_text(indicator, value),
                value=None if hidden else value.value,
                value_qualifier=value.qualifier,
                places=value.decimal_places,
                numerator=count(value.numerator),
                denominator=count(value.denominator),
                quality=quality_of(value),
                source=value.source_document
                or (f"Returned {value.submitted_at:%-d %B %Y}" if value.submitted_by_id else ""),
                note=note_of(value.period_label, words_shown(indicator, value, value.note)),
                group=value.breakdown,
            )
        )
    return rows


def comparator_rows(indicator: Indicator, comparators: list[Comparator]) -> list[ValueRow]:
    return [
        ValueRow(
            series=comparator.get_geography_display(),
            period=split_period(comparator.period_label)[0],
            reference_date=comparator.reference_date,
            figure=format_number(
                comparator.value, indicator.unit, comparator.qualifier, comparator.decimal_places
            )
            if comparator.value is not None
            else "No figure published",
            value=comparator.value,
            value_qualifier=comparator.qualifier,
            places=comparator.decimal_places,
            numerator="",
            denominator="",
            quality=PUBLISHED_COMPARATOR,
            source=comparator.source_document,
            note=note_of(comparator.period_label, comparator.note),
        )
        for comparator in comparators
    ]


@dataclass
class AlignedRow:
    """One period: the local figure and each comparator's for the same date, side by side."""

    period: str
    reference_date: date
    figures: list[str]  # the local figure, then one per Geography

    @property
    def charted_at(self) -> str:
        return month_charted_at(self.period, self.reference_date)


def aligned_rows(local: list[ValueRow], comparators: list[ValueRow]) -> list[AlignedRow]:
    """Local values and comparators lined up by the date they are for, so like is read beside like."""
    series = [local[0].series if local else "", *Geography.labels]
    by_date: dict[date, AlignedRow] = {}
    columns = {name: column for column, name in reversed(list(enumerate(series)))}
    placed = [(0, row) for row in local] + [(columns[row.series], row) for row in comparators]
    for column, row in placed:
        aligned = by_date.setdefault(
            row.reference_date, AlignedRow(row.period, row.reference_date, [""] * len(series))
        )
        aligned.figures[column] = row.figure
    for aligned in by_date.values():
        aligned.figures = [
            figure or ("No figure" if column == 0 else "No comparator published")
            for column, figure in enumerate(aligned.figures)
        ]
    return sorted(by_date.values(), key=lambda row: row.reference_date)


NARROW_CHART_WIDTH = 300  # a 320 px screen less the page's margins, near enough to show the text at its size


def period_span(values: list[Return]) -> str:
    """The periods of the first and last values in words: "in 2022/23" when both are the same period."""
    first, last = (split_period(value.period_label)[0] for value in (values[0], values[-1]))
    return f"in {first}" if first == last else f"from {first} to {last}"


def charts_for(
    indicator: Indicator, local_name: str, values: list[Return], comparators: list[Comparator]
) -> tuple[str, str]:
    """The indicator's trend drawn for a screen and for a phone, from series and a description built once; none
    where no series has a figure to draw (an indicator returned only by group, before its first figure)."""
    local = [
        (
            value.reference_date,
            None
            if value.value is None or suppressed(indicator, value.value, value.numerator, value.denominator)
            else float(value.value),
        )
        for value in values
    ]
    series = [ChartSeries(local_name, local, "local", not_exact_dates(values))]
    for geography in Geography:
        series += comparator_chart_series(comparators, geography.value, geography.label)
    if indicator.target_value is not None and local:
        target = float(indicator.target_value)
        series.append(ChartSeries("Target", [(day, target) for day, _ in local], "target"))
    shown = [value for _, value in local if value is not None]
    percentage = indicator.unit == Unit.PERCENTAGE
    description = (
        f"{len(shown)} value{'s' if len(shown) != 1 else ''} for {local_name} {period_span(values)}, "
        f"with {', '.join(one.name for one in series[1:]) or 'no comparators'}. "
        "Points are placed by date; the line is broken where more than a period passed without a value."
        + (" The axis starts at 0%." if percentage else " The axis starts at 0.")
        + " The table below gives every value."
        if values
        else "No values yet."
    )

    def drawn(narrow: bool) -> str:
        return trend_chart_svg(
            title=indicator.title,
            description=description,
            y_label=indicator.get_unit_display(),
            series=series,
            chart_id=f"indicator-{indicator.pk}{'-narrow' if narrow else ''}",
            from_zero=True,  # every unit the portal keeps counts from a real zero: an axis from 2 would exaggerate
            max_gap_days=selectors.GAP_DAYS.get(Frequency(indicator.frequency)),
            narrow=narrow,
            width=NARROW_CHART_WIDTH if narrow else 640,
        )

    if not any(value is not None for one in series for _, value in one.points):
        return "", ""
    return drawn(narrow=False), drawn(narrow=True)


@dataclass
class IndicatorPage:
    when: selectors.AsAt
    indicator: Indicator
    rows: list[ValueRow]
    comparator_rows: list[ValueRow]
    aligned: list[AlignedRow]
    series_names: list[str]
    chart: str
    chart_narrow: str  # the same chart drawn for a phone, shown instead of it there (app.scss)
    first_month: date | None
    groups: list[GroupFigure]  # the latest breakdown, as the page shows it
    group_rows: list[ValueRow]  # every breakdown's figures, for the CSV


def indicator_page(request: PortalRequest, pk: int) -> IndicatorPage:
    when = when_of(request)
    indicator = selectors.board_indicator(request.partnership, request.user, pk)
    values, breakdowns = selectors.indicator_values(indicator, when.now)
    comparators = selectors.indicator_comparator_values(indicator, when.now)
    local_name = request.partnership.short_name
    rows = local_rows(indicator, local_name, values)
    others = comparator_rows(indicator, comparators)
    chart, chart_narrow = charts_for(indicator, local_name, values, comparators)
    return IndicatorPage(
        when=when,
        indicator=indicator,
        rows=rows,
        comparator_rows=others,
        aligned=aligned_rows(rows, others),
        series_names=[local_name, *Geography.labels],
        chart=chart,
        chart_narrow=chart_narrow,
        first_month=values[0].reference_date if values else None,
        groups=group_figures(indicator, latest_breakdown(breakdowns)),
        group_rows=local_rows(indicator, local_name, breakdowns),
    )


@require_GET
@permission_required("core.view_partnership")
def indicator(request: PortalRequest, pk: int) -> HttpResponse:
    def context() -> dict[str, object]:
        page = indicator_page(request, pk)
        recommendations = selectors.linked_recommendations(page.indicator)
        came_from = recommendation_came_from(request, recommendations)
        return {
            **vars(page),
            "months": month_options(page.first_month, page.when),
            "recommendations": recommendations,
            "came_from": came_from,
            "back": back_from_indicator(page.when, came_from),
        }

    return board_page(request, "dashboards/board/indicator.html", context)


def recommendation_came_from(
    request: PortalRequest, recommendations: list[Recommendation]
) -> Recommendation | None:
    """The recommendation whose page linked here (`?recommendation=`), if it is one of this indicator's."""
    chosen = request.GET.get("recommendation", "")
    return next((r for r in recommendations if str(r.pk) == chosen), None)


def back_from_indicator(when: selectors.AsAt, came_from: Recommendation | None) -> tuple[str, str]:
    """The back link's address and words: to the recommendation the member came from, or else to the board
    dashboard; at the month shown."""
    if came_from is None:
        url, words = reverse("boards:overview"), "Board dashboard"
    else:
        url, words = (
            reverse("boards:recommendation", args=[came_from.pk]),
            f"Recommendation {came_from.number}",
        )
    return (url if when.is_current else f"{url}?as_at={when.now.month:%Y-%m}"), words


CSV_HEADER = [
    "Series",
    "Group",
    "Period",
    "Reference date",
    "Value",
    "Value as a number",
    "Qualifier of the number",
    "Numerator",
    "Denominator",
    "Data quality",
    "Source",
    "Note",
]


@require_GET
@permission_required("core.view_partnership")
def indicator_csv(request: PortalRequest, pk: int) -> HttpResponse:
    page = indicator_page(request, pk)
    return spreadsheet_response(
        f"{slugify(page.indicator.title)}-as-at-{page.when.now.month:%Y-%m}",
        CSV_HEADER,
        [
            [
                row.series,
                row.group,
                row.period,
                row.reference_date.isoformat(),
                row.figure,
                row.number,
                row.qualifier,
                row.numerator,
                row.denominator,
                row.quality.label,
                document_name(row.source),
                row.note,
            ]
            for row in page.rows + page.group_rows + page.comparator_rows
        ],
        "csv",
        title=page.indicator.title,
    )
