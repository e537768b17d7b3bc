"""Every read behind the board dashboards: the position of the plan and the KPIs as at a chosen month.

A position is computed from the history, never from today's values (docs/adr/0007-board-dashboards.md):
an action's RAG is its latest approved update for a month up to the one chosen, counting only what had
been approved by that month's update deadline; a KPI's value is the latest return for a date up to the
end of that month, in the version that stood at the same cut-off.

Each page reads in a fixed, small number of queries (TARGETS P1-P2): the work is done in SQL with
correlated subqueries, which PostgreSQL and SQLite both run from the indexes added for them, so the
number of queries does not depend on how many partnerships, actions or returns there are.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple, cast

from django.db.models import (
    Aggregate,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    Field,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, DenseRank, JSONObject, RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from actions.models import (
    DEADLINE_DAYS_AFTER_MONTH_END,
    Action,
    Milestone,
    Plan,
    ProgressUpdate,
    RagLevel,
    Recommendation,
    RecommendationSummary,
    ReportingPeriod,
)
from actions.selectors import actions_in, approved_as_at, latest_approved_rag, rag_scale
from core.models import Partnership
from kpis.figures import UNCHECKED, Quality, describe_quality, suppressed
from kpis.models import Better, Comparator, Frequency, Geography, Indicator, Return
from kpis.selectors import LATEST_FIRST, Reader, known_by, sees, with_verifier_organisation
from reports.models import Meeting, Pack

# HWBB reports are twice-yearly, so "since the last Health and Wellbeing Board" compares with the
# position this many months earlier unless the caller passes the meeting's date (ADR 7).
MONTHS_SINCE_BOARD = 6
GRID_PERIODS = 12
RECENT_PERIODS = 6  # the overview's small multiples: the last six monthly positions
GOOD_KEYS = frozenset({"green", "blue"})


NAME_SEPARATOR = "; "


class Joined(Aggregate):
    """A column's values joined into one text: STRING_AGG on PostgreSQL, GROUP_CONCAT on SQLite.

    Lets one row carry the ids or names it links to, instead of a query per link table. The separator
    is written into the SQL, so only the two constants here are accepted.
    """

    function = "STRING_AGG"
    template = "%(function)s(CAST(%(expressions)s AS TEXT), '%(separator)s')"
    output_field = CharField()

    def __init__(self, expression: str, separator: str = ",") -> None:
        if separator not in {",", NAME_SEPARATOR}:
            raise ValueError(f"Unsupported separator {separator!r}")
        super().__init__(expression)
        self.separator = separator

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        return super().as_sql(compiler, connection, separator=self.separator, **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            function="GROUP_CONCAT",
            template="%(function)s(%(expressions)s, '%(separator)s')",
            **extra_context,
        )


def id_set(text: str | None) -> set[int]:
    return {int(part) for part in text.split(",")} if text else set()


# The moment a position describes


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


@dataclass(frozen=True)
class Moment:
    """A month's position: updates for months up to `month`, approved by `cutoff` (None: up to now)."""

    month: date
    cutoff: datetime | None

    @property
    def end(self) -> date:
        return month_end(self.month)

    @property
    def still_being_reported(self) -> bool:
        """Updates for it may yet be approved: its cut-off (the update deadline, a meeting's evening) is to come."""
        return self.cutoff is None

    @classmethod
    def of(cls, month: date, now: datetime) -> "Moment":
        deadline = month_end(month) + timedelta(days=DEADLINE_DAYS_AFTER_MONTH_END)
        cutoff = timezone.make_aware(datetime.combine(deadline, time.max))
        return cls(month, None if cutoff >= now else cutoff)


@dataclass(frozen=True)
class AsAt:
    """The position shown, and the two positions it is compared with."""

    now: Moment
    last_month: Moment
    last_board: Moment
    is_current: bool
    today: date
    earlier: tuple[Moment, ...] = ()  # the months before last month that the overview's trend shows

    @property
    def reference_day(self) -> date:
        """The day against which due dates count as overdue."""
        return self.today if self.is_current else self.now.end

    @property
    def recent(self) -> list[Moment]:
        """The last RECENT_PERIODS months, oldest first, ending with the month shown."""
        return [*self.earlier, self.last_month, self.now]

    @property
    def months_still_being_reported(self) -> list[date]:
        return [moment.month for moment in self.recent if moment.still_being_reported]


def as_at(
    requested: str | None,
    *,
    now: datetime | None = None,
    board_date: date | None = None,
    months_since_board: int = MONTHS_SINCE_BOARD,
) -> AsAt:
    """The position for a requested month ("2024-06"), or the current month when absent or invalid.

    `board_date` is the date of the Board meeting to compare with (see `board_meetings`): the position
    then is what had been approved by the end of that day. Without it the comparison is
    `months_since_board` months earlier.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    current = today.replace(day=1)
    month = parse_month(requested) or current
    month = min(month, current)
    return AsAt(
        now=Moment.of(month, now),
        last_month=Moment.of(add_months(month, -1), now),
        last_board=meeting_moment(board_date, now)
        if board_date
        else Moment.of(add_months(month, -months_since_board), now),
        is_current=month == current,
        today=today,
        earlier=tuple(Moment.of(add_months(month, -back), now) for back in range(RECENT_PERIODS - 1, 1, -1)),
    )


def meeting_moment(day: date, now: datetime) -> Moment:
    """What was known on the day of a meeting: updates for months up to its month, approved by that evening."""
    cutoff = timezone.make_aware(datetime.combine(day, time.max))
    return Moment(day.replace(day=1), None if cutoff >= now else cutoff)


def parse_month(text: str | None) -> date | None:
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1) if 2000 <= year <= 2100 else None
    except ValueError:
        return None


def month_choices(first: date | None, today: date) -> list[date]:
    """Months a position can be chosen for, newest first, from the plan's start to this month."""
    current = today.replace(day=1)
    month = (first or current).replace(day=1)
    months = []
    while month <= current:
        months.append(month)
        month = add_months(month, 1)
    return list(reversed(months))


# Action RAG from the approved history


def approved_by(moment: Moment) -> QuerySet[ProgressUpdate]:
    return approved_as_at(moment.cutoff, moment.month)


# Expressions built once per process for each moment and handed to every query that annotates with them: a query
# resolves a copy of each expression it is given (Django copies an expression, and the query inside a Subquery,
# before resolving it against the outer query), so one built here is never changed by its use. Building them
# was a large part of the CPU of the board pages; a Moment is a frozen, hashable value, a date and a cut-off.
EXPRESSIONS_KEPT = 512


@lru_cache(maxsize=EXPRESSIONS_KEPT)
def rag_at(moment: Moment) -> Subquery:
    return latest_approved_rag(moment.cutoff, moment.month)


@lru_cache(maxsize=EXPRESSIONS_KEPT)
def rag_before_latest(moment: Moment) -> Subquery:
    """The RAG id of an action's update for the month reported before its latest, both as known at the moment.
    "Amber for two periods" compares these two: early in a month, before its updates are written, the position now
    and last month's are the same update, and one month of Amber would count twice."""
    updates = approved_by(moment)
    # The action's own latest month, found once per action: a reference to the candidate update's action (its
    # row, not the outer action) made PostgreSQL look the latest month up again for every earlier update.
    latest_month = (
        updates.filter(action=OuterRef(OuterRef("pk"))).order_by("-period__start").values("period__start")[:1]
    )
    before = updates.filter(action=OuterRef("pk"), period__start__lt=Subquery(latest_month))
    return Subquery(
        before.order_by("-period__start", "-revision").values("rag_id")[:1], output_field=IntegerField()
    )


def replans_after(cutoff: datetime | None) -> Coalesce | Value:
    """Re-plans approved after the cut-off, to take off today's count and give the count as it stood."""
    if cutoff is None:
        return Value(0)
    later = ProgressUpdate.objects.filter(
        action=OuterRef("pk"),
        state=ProgressUpdate.State.APPROVED,
        proposed_due_date__isnull=False,
        reviewed_at__gt=cutoff,
    )
    return Coalesce(
        Subquery(
            later.order_by().values("action").annotate(count=Count("pk")).values("count"),
            output_field=IntegerField(),
        ),
        0,
    )


@lru_cache(maxsize=1)
def first_update_month() -> Subquery:
    """The month of an action's first approved update in the portal, whenever it was approved: why a
    past position before it has none."""
    first = approved_as_at(None).filter(action=OuterRef("pk")).order_by("period__start")
    return Subquery(first.values("period__start")[:1])


def with_position(actions: QuerySet[Action], when: AsAt) -> QuerySet[Action]:
    """Actions with their RAG now, last month, at the last board and in the month reported before their latest, and
    what makes them need attention."""
    return actions.annotate(**position_annotations(when))


@lru_cache(maxsize=EXPRESSIONS_KEPT)
def position_annotations(when: AsAt) -> dict[str, Any]:
    """with_position's annotations, built once per position (see rag_at): callers unpack them, never change them."""
    last_month_update = approved_by(when.now).filter(
        action=OuterRef("pk"), period__start=when.last_month.month
    )
    day = when.reference_day
    overdue = (
        Milestone.objects.filter(action=OuterRef("pk"))
        .annotate(due=Coalesce("revised_due_date", "due_date"))
        .filter(due__lt=day)
        .filter(Q(completed_on__isnull=True) | Q(completed_on__gt=day))
        .order_by()
        .values("action")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return dict(
        rag_now=rag_at(when.now),
        rag_last_month=rag_at(when.last_month),
        rag_last_board=rag_at(when.last_board),
        rag_before_latest=rag_before_latest(when.now),
        **{
            f"rag_back_{len(when.earlier) + 1 - index}": rag_at(moment)
            for index, moment in enumerate(when.earlier)
        },
        first_update_month=first_update_month(),
        # A scalar subquery, not EXISTS: PostgreSQL turns that EXISTS into a hash of every partnership's
        # updates for the month, where this reads the action's own few rows from its index.
        last_month_update=Subquery(
            last_month_update.order_by().values("pk")[:1], output_field=IntegerField()
        ),
        later_replans=replans_after(when.now.cutoff),
        overdue_milestones=Coalesce(Subquery(overdue, output_field=IntegerField()), 0),
    )


# KPI values from the returns as they stood


def returns_as_at(moment: Moment, *, groups: bool = False) -> QuerySet[Return]:
    """Returns for dates up to the month's end, as they were known at its cut-off (kpis.selectors.known_by,
    the one rule the pack follows too). Headline figures only, unless `groups` asks for the breakdowns too: a
    breakdown is never "the indicator's value"."""
    returns = Return.objects.filter(reference_date__lte=moment.end)
    if not groups:
        returns = returns.filter(breakdown="")
    if moment.cutoff:
        returns = returns.filter(known_by(moment.cutoff))
    return returns


def with_values(
    indicators: QuerySet[Indicator], moment: Moment, *, in_table: bool = True
) -> QuerySet[Indicator]:
    """Indicators with their latest and previous figures as at the moment and, for a table of indicators (the
    overview shows none), each comparator's latest and the latest period of any groups' figures; `with_figures`
    reads the figures."""
    return indicators.annotate(**value_annotations(moment, in_table))


# Each figure is read as one JSON object of its columns, one subquery a figure: a subquery a column made the
# recommendation page's read 24 subqueries, which Django compiled and PostgreSQL planned afresh on every drawing
# (docs/adr/0013-serving-deadline-day.md). Each column read, and the name it is given on the indicator after the
# figure's prefix ("latest_value", "england_period").
RETURN_COLUMNS = {
    "value": "value",
    "decimal_places": "places",
    "qualifier": "qualifier",
    "numerator": "numerator",
    "denominator": "denominator",
    "period_label": "period_label",
    "data_quality": "data_quality",
    "reference_date": "reference_date",
    "submitted_by_id": "submitted_by_id",  # none for a figure from a published document
    "verified_at": "verified_at",
    "queried_at": "queried_at",
}
COMPARATOR_COLUMNS = {
    "value": "value",
    "period_label": "period",
    "qualifier": "qualifier",
    "decimal_places": "places",
}
FigureModel = type[Return] | type[Comparator]


def first_as_json(rows: QuerySet[Any], columns: dict[str, str]) -> Subquery:
    """The first row's columns as one JSON object (null when there is no row)."""
    figure = JSONObject(**{column: column for column in columns})
    return Subquery(rows.values(figure=figure)[:1], output_field=JSONField())


@lru_cache(maxsize=EXPRESSIONS_KEPT)
def value_annotations(moment: Moment, in_table: bool) -> dict[str, Subquery]:
    """with_values's annotations, built once per moment (see rag_at): callers spread them into `annotate`, never
    change them."""
    newest = returns_as_at(moment).order_by(*LATEST_FIRST)
    latest = newest.filter(indicator=OuterRef("pk"))
    # The figure before is the last with a number: a figure returned in words only ("rising as 2024 progressed")
    # between two numbers would otherwise leave "not enough values to say" where the two numbers say it.
    before_latest = newest.filter(
        indicator=OuterRef("pk"),
        value__isnull=False,
        reference_date__lt=Subquery(
            newest.filter(indicator=OuterRef(OuterRef("pk"))).values("reference_date")[:1]
        ),
    )
    annotations = {
        "latest_figure": first_as_json(latest, RETURN_COLUMNS),
        "previous_figure": first_as_json(before_latest, RETURN_COLUMNS),
    }
    for geography in Geography if in_table else ():
        latest_comparators = Comparator.objects.filter(
            indicator=OuterRef("pk"),
            geography=geography,
            reference_date__lte=moment.end,
            value__isnull=False,
        ).order_by("-reference_date", "-pk")
        annotations[f"{geography}_figure"] = first_as_json(latest_comparators, COMPARATOR_COLUMNS)
    if in_table:
        # An indicator returned only for groups of its cohort has no latest figure of its own: the table tells its
        # readers the latest period it has groups' figures for instead.
        groups = returns_as_at(moment, groups=True).exclude(breakdown="").order_by(*LATEST_FIRST)
        annotations["latest_breakdown_period"] = Subquery(
            groups.filter(indicator=OuterRef("pk")).values("period_label")[:1]
        )
    annotations["recommendation_ids"] = linked_ids(Indicator.recommendations.through, "recommendation_id")
    annotations["action_ids"] = linked_ids(Indicator.actions.through, "action_id")
    return annotations


def column_value(model: FigureModel, column: str, raw: Any) -> Any:
    """A column's value read from a JSON figure, as the model's own field reads it (a date from its text), a
    decimal rounded to the column's places: PostgreSQL writes it as stored ("5.2500"), SQLite as a whole number or a
    binary fraction, and a double holds the column's 14 digits, so rounding gives back exactly the stored figure."""
    field = cast(Field, model._meta.get_field(column))  # a figure's columns are its own, never a relation
    value = field.to_python(raw)
    if isinstance(field, DecimalField) and value is not None:
        return value.quantize(Decimal(1).scaleb(-field.decimal_places))
    return value


def with_figures(indicator: Indicator) -> Indicator:
    """Unpacks the figures with_values read onto the indicator, as `latest_value`, `previous_qualifier`,
    `england_value`, `region_period` and so on, the names the pages and the readings use."""
    for prefix in ("latest", "previous"):
        unpack(indicator, prefix, Return, RETURN_COLUMNS)
    for geography in Geography:
        if hasattr(indicator, f"{geography}_figure"):
            unpack(indicator, str(geography), Comparator, COMPARATOR_COLUMNS)
    return indicator


def unpack(indicator: Indicator, prefix: str, model: FigureModel, columns: dict[str, str]) -> None:
    """Sets each column of the figure read as `<prefix>_figure` on the indicator as `<prefix>_<name>`; every one
    None when there was no figure."""
    figure = getattr(indicator, f"{prefix}_figure") or {}
    for column, name in columns.items():
        setattr(indicator, f"{prefix}_{name}", column_value(model, column, figure.get(column)))


def linked_ids(through: Any, column: str) -> Subquery:
    """The ids an indicator links to through a many-to-many table, as one text."""
    links = through.objects.filter(indicator=OuterRef("pk")).values("indicator")
    return Subquery(links.annotate(ids=Joined(column)).values("ids"))


# The longest an indicator of each rhythm goes between two values before a gap is shown in its line, and before
# its latest value is called out of date.
GAP_DAYS = {Frequency.MONTHLY: 46, Frequency.TERMLY: 183, Frequency.ANNUAL: 548}


@dataclass(frozen=True)
class ComparatorFigure:
    """A comparator's latest published value as at the moment, and the period it is for."""

    value: Decimal | None
    period: str | None
    qualifier: str = ""  # "around", "over": as the source words the figure
    places: int | None = None  # the decimal places it was published with (47.0), where they are kept


@dataclass
class Reading:
    """An indicator's position: what the board sees in a row of the overview."""

    indicator: Indicator
    latest: Decimal | None
    previous: Decimal | None
    hidden: bool  # small numbers suppressed
    recommendation_ids: set[int]
    action_ids: set[int]
    comparators: list[ComparatorFigure]  # one for each Geography, in its order
    latest_day: date | None = None  # the date the latest value is for
    out_of_date: bool = False  # no newer value for over twice the gap its rhythm allows, as at the moment
    breakdown_period: str | None = None  # the latest period with figures for groups of the cohort
    # Where the latest figure was returned in the portal and not (or not successfully) checked, what readers are told.
    unchecked: Quality | None = None

    @property
    def direction(self) -> str:
        """Improving, worsening, no change or unchanged measure, from the last two values."""
        if self.hidden or self.latest is None or self.previous is None:
            return "none"
        if self.latest == self.previous:
            return "same"
        if self.indicator.better == Better.NEITHER:
            return "up" if self.latest > self.previous else "down"
        rising_is_good = self.indicator.better == Better.HIGHER
        return "better" if (self.latest > self.previous) == rising_is_good else "worse"

    @property
    def compared(self) -> bool:
        """Its last two values say whether it got better or worse, and are recent enough to be a current trend."""
        return self.direction in {"better", "worse", "same"} and not self.out_of_date

    @property
    def currently_worse(self) -> bool:
        """Worse than the value before, and recent enough to be a current trend rather than history."""
        return self.compared and self.direction == "worse"


def long_without_a_value(indicator: Indicator, latest_day: date | None, moment: Moment) -> bool:
    """Twice the gap the indicator's rhythm allows: official annual figures come out a year or so after their
    period, so an annual value two years old is the newest there is, and one over three years old is not."""
    allowed = GAP_DAYS.get(Frequency(indicator.frequency))
    return latest_day is not None and allowed is not None and (moment.end - latest_day).days > 2 * allowed


def unchecked_quality(indicator: Indicator) -> Quality | None:
    """ "Queried", "Returned, not yet verified" or "could not be verified", of the latest figure with_figures
    unpacked; none for a verified return or a figure from a published document."""
    quality = describe_quality(
        from_document=indicator.latest_submitted_by_id is None,  # type: ignore[attr-defined]
        data_quality=indicator.latest_data_quality,  # type: ignore[attr-defined]
        verified_at=indicator.latest_verified_at,  # type: ignore[attr-defined]
        verifier_organisation=None,
        queried_at=indicator.latest_queried_at,  # type: ignore[attr-defined]
    )
    return quality if quality.key in UNCHECKED else None


def reading_of(indicator: Indicator, moment: Moment) -> Reading:
    a = indicator
    hidden = suppressed(a, a.latest_value, a.latest_numerator, a.latest_denominator) or suppressed(  # type: ignore[attr-defined]
        a,
        a.previous_value,  # type: ignore[attr-defined]
        a.previous_numerator,  # type: ignore[attr-defined]
        a.previous_denominator,  # type: ignore[attr-defined]
    )
    return Reading(
        indicator=a,
        latest=a.latest_value,  # type: ignore[attr-defined]
        previous=a.previous_value,  # type: ignore[attr-defined]
        hidden=hidden,
        recommendation_ids=id_set(a.recommendation_ids),  # type: ignore[attr-defined]
        action_ids=id_set(a.action_ids),  # type: ignore[attr-defined]
        latest_day=a.latest_reference_date,  # type: ignore[attr-defined]
        out_of_date=long_without_a_value(a, a.latest_reference_date, moment),  # type: ignore[attr-defined]
        breakdown_period=getattr(a, "latest_breakdown_period", None),  # read only for a table (with_values)
        unchecked=unchecked_quality(a),
        comparators=[
            ComparatorFigure(
                getattr(a, f"{geography}_value"),
                getattr(a, f"{geography}_period"),
                getattr(a, f"{geography}_qualifier") or "",
                getattr(a, f"{geography}_places"),
            )
            for geography in Geography
            if hasattr(a, f"{geography}_value")
        ],
    )


def readings(
    partnership: Partnership,
    reader: Reader,
    moment: Moment,
    *,
    recommendation: Recommendation | None = None,
    in_table: bool = True,
) -> list[Reading]:
    """Every indicator this user may see (of one recommendation, if given), with its values as at the
    moment, in one query."""
    indicators = Indicator.objects.filter(partnership=partnership)
    if recommendation is not None:
        indicators = indicators.filter(recommendations=recommendation)
    indicators = with_values(indicators, moment, in_table=in_table).order_by("code")
    # Restriction is checked on the rows already read, as visible_indicators would, without a query.
    return [
        reading_of(with_figures(indicator), moment) for indicator in indicators if sees(reader, indicator)
    ]


# The Board meeting compared with


def published_packs() -> QuerySet[Pack]:
    """Packs that board members have been given: the one place on the board pages that says what "published"
    means. Democratic services publish a built version (reports.services.pack_publish); drafts do not count."""
    return Pack.objects.filter(status=Pack.Status.READY, published_at__isnull=False)


@dataclass(frozen=True)
class BoardMeeting:
    pk: int
    body: str
    date: date
    published: bool

    @property
    def name(self) -> str:
        return f"{self.body} of {self.date:%-d %B %Y}"


@dataclass(frozen=True)
class BoardChoice:
    """The meeting "since the last Board" compares with, and the meetings a reader may choose from."""

    meetings: list[BoardMeeting]
    chosen: BoardMeeting | None
    by_reader: bool


def board_meetings(partnership: Partnership, before: date) -> list[BoardMeeting]:
    """The partnership's Board meetings held before a day, newest first, in one query."""
    meetings = (
        Meeting.objects.filter(partnership=partnership, date__lt=before)
        .annotate(published=Exists(published_packs().filter(meeting=OuterRef("pk"))))
        .order_by("-date", "-pk")
    )
    return [BoardMeeting(m.pk, m.body, m.date, m.published) for m in meetings]


def last_board(meetings: list[BoardMeeting], requested: str | None) -> BoardChoice:
    """The meeting the reader chose, or else the last one with a published pack (None when there is none)."""
    chosen = next((m for m in meetings if str(m.pk) == requested), None)
    if chosen:
        return BoardChoice(meetings, chosen, by_reader=True)
    return BoardChoice(meetings, next((m for m in meetings if m.published), None), by_reader=False)


# The overview


@dataclass
class RagCount:
    level: RagLevel | None  # None: no approved update yet
    now: int
    last_month: int
    last_board: int

    @property
    def label(self) -> str:
        return f"{self.level.label} ({self.level.meaning})" if self.level else "No update recorded yet"

    @staticmethod
    def change(now: int, before: int) -> str:
        if now == before:
            return "no change"
        return f"up {now - before}" if now > before else f"down {before - now}"

    @property
    def since_last_month(self) -> str:
        return self.change(self.now, self.last_month)

    @property
    def since_last_board(self) -> str:
        return self.change(self.now, self.last_board)


def change_in_words(counts: list[RagCount]) -> str:
    """The change since the last Board as a reader says it: "3 more Green, 1 fewer Red"."""
    more, fewer = [], []
    for count in counts:
        name = count.level.label if count.level else "without an update"
        difference = count.now - count.last_board
        if difference > 0:
            more.append(f"{difference} more {name}")
        elif difference < 0:
            fewer.append(f"{-difference} fewer {name}")
    return ", ".join(more + fewer) or "no change"


def counts_in_words(counts: list[tuple[RagLevel | None, int]]) -> str:
    """How many actions stand at each level: "2 Red, 3 Green"."""
    shown = [
        f"{number} {level.label if level else 'no update recorded yet'}" for level, number in counts if number
    ]
    return ", ".join(shown) or "no actions"


@dataclass(frozen=True)
class PeriodCounts:
    """The number of actions at each level in one month: one of the small multiples."""

    month: date
    counts: list[tuple[RagLevel | None, int]]
    # The month's update deadline has not passed: its column carries earlier months' updates forward until its own
    # are approved, so it may look like the month before for a reason that is not progress.
    still_being_reported: bool = False

    @property
    def name(self) -> str:
        return f"{self.month:%b %Y}" + (" (still being reported)" if self.still_being_reported else "")

    @property
    def figures(self) -> str:
        return counts_in_words(self.counts)

    @property
    def text(self) -> str:
        return f"{self.name}: {self.figures}"


@dataclass
class Attention:
    action: Action
    reasons: list[str]


@dataclass
class RecommendationPosition:
    recommendation: Recommendation
    counts: list[RagCount]
    readings: list[Reading]
    total: int
    recent: list[PeriodCounts] = field(default_factory=list)
    published_then: RecommendationSummary | None = None

    @property
    def not_updated(self) -> int:
        return not_updated(self.counts)

    @property
    def counts_text(self) -> str:
        """The bar's figures in words: "7 actions: 3 Amber, 4 Green"."""
        shown = counts_in_words([(count.level, count.now) for count in self.counts]) if self.total else ""
        return f"{self.total} action{'s' if self.total != 1 else ''}" + (f": {shown}" if shown else "")


@dataclass
class Overview:
    plan: Plan | None
    when: AsAt
    recommendations: list[RecommendationPosition]
    attention: list[Attention]
    levels: dict[int, RagLevel] = field(default_factory=dict)
    counts: list[RagCount] = field(default_factory=list)
    # Worse than the value before: `worsening` currently (Reading.currently_worse), `worse_when_last_measured` with
    # none newer for long (a fall years ago is history, not a current trend: not in the headline count, and not a
    # reason for a Green action to need attention).
    worsening: list[Reading] = field(default_factory=list)
    worse_when_last_measured: list[Reading] = field(default_factory=list)
    # How many indicators could have been counted as worsening: a headline of "0" means little when few can be.
    compared: int = 0
    first_update: date | None = None  # the month of the first approved update in the portal

    @property
    def total(self) -> int:
        return sum(count.now for count in self.counts)

    @property
    def since_last_board(self) -> str:
        return change_in_words(self.counts)

    @property
    def nothing_approved_at_last_board(self) -> bool:
        """No action had an approved update then: every action "gained" its level since, which is no change."""
        return all(count.last_board == 0 for count in self.counts if count.level is not None)

    @property
    def not_updated(self) -> int:
        return not_updated(self.counts)


def not_updated(counts: list[RagCount]) -> int:
    """How many actions have no approved update at the position shown."""
    return next((count.now for count in counts if count.level is None), 0)


def rag_counts(actions: list[Action], scale: list[RagLevel]) -> list[RagCount]:
    def count(attribute: str, level_id: int | None) -> int:
        return sum(1 for action in actions if getattr(action, attribute) == level_id)

    levels: list[RagLevel | None] = [*scale, None]
    return [
        RagCount(
            level,
            count("rag_now", level.pk if level else None),
            count("rag_last_month", level.pk if level else None),
            count("rag_last_board", level.pk if level else None),
        )
        for level in levels
    ]


def recent_counts(actions: list[Action], scale: list[RagLevel], when: AsAt) -> list[PeriodCounts]:
    """Each of the last RECENT_PERIODS months: how many actions stood at each level."""
    attributes = [f"rag_back_{back}" for back in range(len(when.earlier) + 1, 1, -1)]
    attributes += ["rag_last_month", "rag_now"]
    levels: list[RagLevel | None] = [*scale, None]
    return [
        PeriodCounts(
            moment.month,
            [
                (level, sum(1 for a in actions if getattr(a, attribute) == (level.pk if level else None)))
                for level in levels
            ],
            still_being_reported=moment.still_being_reported,
        )
        for moment, attribute in zip(when.recent, attributes, strict=True)
    ]


def attention_reasons(
    action: Action, levels: dict[int, RagLevel], worsening: list[Reading], updates_began: bool = True
) -> list[str]:
    """Why an action needs attention. "Not updated last period" counts only once monthly updates in the
    portal had begun by last month (`updates_began`): before that no action could have been updated,
    and flagging every one would hide the ones that matter."""
    a = action
    now, before = levels.get(a.rag_now), levels.get(a.rag_before_latest)  # type: ignore[attr-defined]
    reasons = []
    if now and now.key == "red":
        reasons.append("Red")
    if now and before and now.key == before.key == "amber":
        reasons.append("Amber for two periods or more")
    if updates_began and a.lifecycle == Action.Lifecycle.OPEN and a.last_month_update is None:  # type: ignore[attr-defined]
        reasons.append("Not updated last period")
    if a.replan_count - a.later_replans >= 2:  # type: ignore[attr-defined]
        reasons.append(f"Due date moved {a.replan_count - a.later_replans} times")  # type: ignore[attr-defined]
    if a.overdue_milestones:  # type: ignore[attr-defined]
        count = a.overdue_milestones  # type: ignore[attr-defined]
        reasons.append(f"{count} overdue milestone{'s' if count != 1 else ''}")
    if now and now.key in GOOD_KEYS and worsening:
        titles = ", ".join(reading.indicator.title for reading in worsening)
        reasons.append(f"{now.label} action, worsening outcome: {titles}")
    return reasons


def published_recommendations(partnership: Partnership) -> list[Recommendation]:
    return list(
        Recommendation.objects.filter(plan__partnership=partnership, plan__status=Plan.Status.PUBLISHED)
        .select_related("plan")
        .order_by("number")
    )


def published_on(summary: RecommendationSummary) -> date | None:
    """The month a yearly summary was published, from its label ("October 2024"); None when undated."""
    try:
        return datetime.strptime(summary.published_label.strip(), "%B %Y").date()
    except ValueError:
        return None


def latest_published(summaries: list[RecommendationSummary], day: date) -> RecommendationSummary | None:
    """The most recent of one recommendation's yearly summaries that had been published by a day."""
    dated = [(published, s) for s in summaries if (published := published_on(s)) and published <= day]
    return max(dated, key=lambda pair: (pair[0], pair[1].year))[1] if dated else None


def summaries_published_by(partnership: Partnership, day: date) -> dict[int, RecommendationSummary]:
    """Each recommendation's latest yearly summary published by a day, in one query."""
    by_recommendation: dict[int, list[RecommendationSummary]] = {}
    for summary in RecommendationSummary.objects.filter(
        recommendation__plan__partnership=partnership, recommendation__plan__status=Plan.Status.PUBLISHED
    ):
        by_recommendation.setdefault(summary.recommendation_id, []).append(summary)
    found = {pk: latest_published(summaries, day) for pk, summaries in by_recommendation.items()}
    return {pk: summary for pk, summary in found.items() if summary}


def overview(partnership: Partnership, reader: Reader, when: AsAt) -> Overview:
    """The one-screen summary and what needs attention, in five queries whatever the size of the data."""
    recommendations = published_recommendations(partnership)
    if not recommendations:
        return Overview(None, when, [], [])
    scale = rag_scale(partnership)
    levels = {level.pk: level for level in scale}
    actions = list(with_position(actions_in(partnership), when).order_by("recommendation__number", "order"))
    indicator_readings = readings(partnership, reader, when.now, in_table=False)
    published = summaries_published_by(partnership, when.reference_day)

    worsening_by_action: dict[int, list[Reading]] = {}
    for reading in indicator_readings:
        if reading.currently_worse:
            for action_id in reading.action_ids:
                worsening_by_action.setdefault(action_id, []).append(reading)
    positions = []
    for recommendation in recommendations:
        own = [a for a in actions if a.recommendation_id == recommendation.pk]
        positions.append(
            RecommendationPosition(
                recommendation=recommendation,
                counts=rag_counts(own, scale),
                readings=[r for r in indicator_readings if recommendation.pk in r.recommendation_ids],
                total=len(own),
                recent=recent_counts(own, scale, when),
                published_then=published.get(recommendation.pk),
            )
        )
    firsts = [a.first_update_month for a in actions if a.first_update_month]  # type: ignore[attr-defined]
    first_update = min(firsts) if firsts else None
    began = first_update is not None and first_update <= when.last_month.month
    attention = [
        Attention(action, reasons)
        for action in actions
        if (reasons := attention_reasons(action, levels, worsening_by_action.get(action.pk, []), began))
    ]
    return Overview(
        plan=recommendations[0].plan,
        when=when,
        recommendations=positions,
        attention=attention,
        levels=levels,
        counts=rag_counts(actions, scale),
        worsening=[r for r in indicator_readings if r.currently_worse],
        worse_when_last_measured=[r for r in indicator_readings if r.direction == "worse" and r.out_of_date],
        compared=sum(1 for r in indicator_readings if r.compared),
        first_update=first_update,
    )


# A recommendation


def recommendation_actions(recommendation: Recommendation) -> list[Action]:
    """The recommendation's actions with their owner organisations' names, in one query."""
    owners = Action.owner_organisations.through.objects.filter(action=OuterRef("pk")).values("action")
    return list(
        Action.objects.filter(recommendation=recommendation)
        .select_related("lead_officer")
        .annotate(
            organisation_names=Subquery(
                owners.annotate(names=Joined("organisation__name", NAME_SEPARATOR)).values("names")  # type: ignore[misc]
            ),
            first_update_month=first_update_month(),
        )
        .order_by("order")
    )


def recent_updates(recommendation: Recommendation, moment: Moment) -> list[ProgressUpdate]:
    """Each action's approved updates for its last GRID_PERIODS updated months up to the moment.

    The latest is the action's RAG as at the moment, however long ago it was; the rest fill the grid.
    One query: a window ranks each action's months, another keeps the last revision of each month.
    """
    ranked = (
        approved_by(moment)
        .filter(action__recommendation=recommendation)
        .select_related("rag", "period")
        .annotate(
            month_rank=Window(DenseRank(), partition_by=[F("action_id")], order_by=F("period__start").desc()),
            revision_rank=Window(
                RowNumber(), partition_by=[F("action_id"), F("period_id")], order_by=F("revision").desc()
            ),
        )
        .filter(month_rank__lte=GRID_PERIODS, revision_rank=1)
    )
    return list(ranked.order_by("action_id", "-period__start"))


def linked_recommendations(indicator: Indicator) -> list[Recommendation]:
    return list(indicator.recommendations.order_by("number"))


def update_deadlines_passed(partnership: Partnership, months: list[date], day: date) -> dict[date, bool]:
    """Whether each month's update deadline (days after the month's end) had passed on the day: until then a month
    without an approved update is not late."""
    return {month: ReportingPeriod.of_month(partnership, month).update_deadline < day for month in months}


def summaries_of(recommendation: Recommendation) -> list[RecommendationSummary]:
    return list(recommendation.summaries.order_by("-year"))


# An indicator


def board_indicator(partnership: Partnership, reader: Reader, pk: int) -> Indicator:
    """One indicator this user may see; others answer 404."""
    indicator = get_object_or_404(
        Indicator.objects.filter(partnership=partnership).select_related("owner_organisation"), pk=pk
    )
    if not sees(reader, indicator):
        raise Http404("No such indicator.")
    return indicator


class IndicatorValues(NamedTuple):
    values: list[Return]  # the headline figures, oldest first
    breakdowns: list[Return]  # the figures for groups of the cohort, of every period, oldest first


def indicator_values(indicator: Indicator, moment: Moment) -> IndicatorValues:
    """The version of each dated value that stood at the moment, oldest first, the headline figures apart from
    the groups', read in one query."""
    rows = (
        with_verifier_organisation(returns_as_at(moment, groups=bool(indicator.breakdown_topic)))
        .filter(indicator=indicator)
        .annotate(
            version_rank=Window(
                RowNumber(),
                partition_by=[F("reference_date"), F("breakdown")],
                order_by=[F("submitted_at").desc(), F("pk").desc()],
            )
        )
        .filter(version_rank=1)
    )
    found = list(rows.order_by("reference_date", "pk"))
    return IndicatorValues(
        values=[r for r in found if not r.breakdown], breakdowns=[r for r in found if r.breakdown]
    )


def indicator_comparator_values(indicator: Indicator, moment: Moment) -> list[Comparator]:
    return list(
        indicator.comparators.filter(reference_date__lte=moment.end).order_by("reference_date", "geography")
    )
