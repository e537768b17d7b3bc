"""Every read of national statistics: the import history, the library beside a partnership's set, and the
statistical neighbours' own figures for an indicator."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet, Subquery
from django.shortcuts import get_object_or_404

from core.models import Partnership
from kpis.figures import figure_text
from kpis.library import LIBRARY, NationalMeasure, period_of
from kpis.models import Indicator
from kpis.national import ENGLAND_CODE, LocalAuthority, NationalValue, StatisticsImport


def import_history() -> QuerySet[StatisticsImport]:
    return StatisticsImport.objects.select_related("imported_by").order_by("-imported_at", "-pk")


def statistics_import_in(partnership: Partnership, pk: int) -> StatisticsImport:
    """An import the partnership's admin asked for; 404 for any other."""
    return get_object_or_404(
        StatisticsImport.objects.select_related("imported_by"), partnership=partnership, pk=pk
    )


@dataclass(frozen=True)
class LibraryEntry:
    measure: NationalMeasure
    adopted: Indicator | None


def library_for(partnership: Partnership) -> list[LibraryEntry]:
    adopted = {i.national_measure: i for i in partnership.indicators.exclude(national_measure="")}
    return [LibraryEntry(item, adopted.get(code)) for code, item in LIBRARY.items()]


def neighbour_codes(partnership: Partnership) -> list[str]:
    return list(partnership.statistical_neighbours.values_list("code", flat=True))


def neighbour_names(partnership: Partnership) -> list[tuple[str, str]]:
    """The neighbours in order, each as its code and, where the imported statistics give it, its name."""
    codes = neighbour_codes(partnership)
    names = dict(LocalAuthority.objects.filter(code__in=codes).values_list("code", "name"))
    return [(code, names.get(code, "")) for code in codes]


@dataclass(frozen=True)
class NeighbourFigure:
    name: str
    period: str
    value: Decimal | None
    places: int | None  # as the file wrote the value
    reason: str  # why there is no figure, where there is none


def neighbour_figures(indicator: Indicator) -> list[NeighbourFigure]:
    """Each statistical neighbour's latest published headline figure for an adopted indicator, in their order."""
    item = LIBRARY.get(indicator.national_measure)
    if item is None:
        return []
    codes = neighbour_codes(indicator.partnership)
    if not codes:
        return []
    names = dict(LocalAuthority.objects.filter(code__in=codes).values_list("code", "name"))
    # Each neighbour's latest period only, however many years are imported (PostgreSQL's DISTINCT ON).
    latest: dict[str, NationalValue] = {
        value.area_code: value
        for value in NationalValue.objects.filter(
            measure=item.code, area_code__in=codes, headline=True, current=True
        )
        .order_by("area_code", "-time_period")
        .distinct("area_code")
        .only("area_code", "time_period", "value", "decimal_places", "missing")
    }
    return [
        NeighbourFigure(
            name=names.get(code, code),
            period=period_of(latest[code].time_period, item.layout.time_identifier).label
            if code in latest
            else "",
            value=latest[code].value if code in latest else None,
            places=latest[code].decimal_places if code in latest else None,
            reason=item.layout.reason_for(latest[code].missing)
            if code in latest and latest[code].missing
            else "",
        )
        for code in codes
    ]


@dataclass(frozen=True)
class NationalGroup:
    breakdown: str
    local: str  # the partnership's own published figure, as readers read it
    england: str


@dataclass(frozen=True)
class NationalBreakdown:
    topic: str
    groups: list[NationalGroup]


@dataclass(frozen=True)
class NationalBreakdowns:
    period: str
    area: str  # the partnership's local authority, as the files name it
    topics: list[NationalBreakdown]


def national_breakdowns(indicator: Indicator) -> NationalBreakdowns | None:
    """The published breakdowns of an adopted indicator's national measure (every row of the file but its total)
    for the partnership's local authority and England, in the latest period published for the authority, in
    the file's order. Small counts are hidden as the indicator's own figures are. One query."""
    item = LIBRARY.get(indicator.national_measure)
    if item is None:
        return None
    code = indicator.partnership.ons_code
    if not code:
        return None
    published = NationalValue.objects.filter(measure=item.code, headline=False, current=True)
    latest = published.filter(area_code=code).order_by("-time_period").values("time_period")[:1]
    rows = list(
        published.filter(area_code__in=[code, ENGLAND_CODE], time_period=Subquery(latest)).order_by("pk")
    )
    if not rows:
        return None

    def shown(value: NationalValue | None) -> str:
        if value is None:
            return "Not published"
        if value.missing:
            return item.layout.reason_for(value.missing)
        return figure_text(indicator, value.value, places=value.decimal_places)

    found = {(row.area_code, row.breakdown_topic, row.breakdown): row for row in rows}
    topics: dict[str, list[NationalGroup]] = {}
    for row in rows:
        if row.area_code != code:
            continue
        key = (row.breakdown_topic, row.breakdown)
        topics.setdefault(row.breakdown_topic, []).append(
            NationalGroup(row.breakdown, shown(row), shown(found.get((ENGLAND_CODE, *key))))
        )
    authority = LocalAuthority.objects.filter(code=code).values_list("name", flat=True).first()
    return NationalBreakdowns(
        period=period_of(rows[0].time_period, item.layout.time_identifier).label,
        area=authority or indicator.partnership.short_name,
        topics=[NationalBreakdown(topic, groups) for topic, groups in topics.items()],
    )
