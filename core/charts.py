"""Trend charts drawn on the server as SVG: no JavaScript, no third-party library.

The same string works inline in an HTML page and inside a WeasyPrint PDF. It is an accessible image
(`role="img"` named by its <title> and <desc>); the series differ by marker and dash pattern as well as
colour, and every colour has at least 3:1 contrast against white. Every piece of text is escaped, since
titles, series names and labels can come from what people typed.

The chart is not the only way to read the figures: pages put the data table beside it (TARGETS U3).
"""

import hashlib
import math
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from html import escape

FONT_FAMILY = "Arial, 'Liberation Sans', sans-serif"
TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#505a5f"
GRID_COLOUR = "#b1b4b6"
MAX_X_TICKS = 6
MAX_MARKERS = 24  # per series: beyond this the markers crowd into a solid band
Y_TICKS = 5
NARROW_TITLE_CHARS = 34  # of 15 px bold text in a chart 300 wide
# The widest a character of a 13 px tick label is drawn (a digit in Arial or Liberation Sans is 7.2 px), and the
# room left of the tick labels for the axis's name written upwards at x = 16 (its letters reach x = 22) and a gap.
DIGIT_WIDTH = 7.5
Y_LABEL_CLEARANCE = 36


@dataclass(frozen=True)
class ChartSeries:
    name: str
    points: list[tuple[date, float | None]]
    kind: str  # "local", "england", "region", "statistical_neighbours", "target"
    # The dates whose figure is not exact ("around 5%", "over 200"): drawn with a hollow marker, as the table
    # beside the chart gives them in words.
    not_exact: frozenset[date] = frozenset()


NOT_EXACT_LEGEND = "Figure not exact"
NOT_EXACT_DESCRIPTION = (
    " A hollow marker is a figure that is not exact: its source gives it as 'around', 'over' or the like."
)


@dataclass(frozen=True)
class _Style:
    colour: str
    stroke_width: float
    dash: str  # "" for a solid line
    marker: str  # circle, square, triangle, diamond, cross


# Colours are GOV.UK palette values, each >= 3:1 against white (chart marks, WCAG 1.4.11).
_STYLES = {
    "local": _Style("#1d70b8", 3, "", "circle"),
    "england": _Style("#0b0c0c", 2, "8 4", "square"),
    "region": _Style("#4c2c92", 2, "2 3", "triangle"),
    "statistical_neighbours": _Style("#6f4c00", 2, "10 3 2 3", "diamond"),
    "target": _Style("#00703c", 2, "4 4", "cross"),
}
_FALLBACK_STYLE = _Style("#505a5f", 2, "6 2", "square")


def _attr(text: object) -> str:
    return escape(str(text), quote=True)


def _number(value: float) -> str:
    """Coordinates to one decimal place: small files, no visible loss."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _nice_step(span: float, ticks: int) -> float:
    raw = span / max(ticks - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude


def _y_scale(values: list[float], from_zero: bool = False) -> tuple[float, float, list[float]]:
    """A rounded range covering every value, with evenly spaced ticks; a flat line gets room around it.

    `from_zero` starts the axis at 0 whatever the values (for percentages), so that a small difference is not
    stretched over the whole height; the top stays a step above the largest value, so that a change of a few
    points still shows as a slope rather than a line flat along the foot of a 0 to 100 axis.
    """
    low, high = min(values), max(values)
    if from_zero:
        low = min(low, 0.0)
    if low == high:
        pad = abs(low) * 0.1 or 1.0
        low, high = low - pad, high + pad
        if from_zero and min(values) >= 0:
            low = max(low, 0.0)  # a run of zeros sits on the axis, with no negative values below it
    if low >= 0 and low <= (high - low):
        low = 0.0  # a zero baseline when it costs little room, so differences are not exaggerated
    step = _nice_step(high - low, Y_TICKS)
    start = math.floor(low / step) * step
    end = math.ceil(high / step) * step
    count = round((end - start) / step)
    return start, end, [start + index * step for index in range(count + 1)]


def _tick_label(value: float, step: float) -> str:
    """As many decimals as the step needs (2.5 needs one, 0.25 two), so no two ticks read the same."""
    exponent = Decimal(str(round(step, 6))).normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return f"{value:,.{decimals}f}"


def _date_label(when: date, all_dates: list[date]) -> str:
    if all(day.month == all_dates[0].month and day.day == all_dates[0].day for day in all_dates):
        return str(when.year)
    return when.strftime("%b %Y")


def _apart(days: list[date], x_of: Callable[[date], float], room: float) -> list[date]:
    """The dates whose labels, each `room` wide and centred on its tick, do not run into the one before: dates
    bunched on a long axis (January and June 2024 on an axis from 2021) would otherwise print as "Jan 20Jun 2024".
    The last date is always labelled, in place of the one before it where the two are too close."""
    kept = days[:1]
    for day in days[1:]:
        if x_of(day) - x_of(kept[-1]) >= room:
            kept.append(day)
        elif day == days[-1]:
            kept[-1] = day
    return kept


def _label_ids(chart_id: str | None, content: object) -> tuple[str, str]:
    """The ids of a chart's <title> and <desc>: from `chart_id`, or derived from the content, so the same chart
    renders the same string (stable for tests and caches) and two charts on a page differ."""
    uid = chart_id or "chart-" + hashlib.sha1(repr(content).encode()).hexdigest()[:10]  # noqa: S324 - an id
    uid = "".join(ch for ch in uid if ch.isalnum() or ch in "-_") or "chart"
    return f"{uid}-title", f"{uid}-desc"


def _marker(kind: str, x: float, y: float, style: _Style, hollow: bool = False) -> str:
    size = 4.5
    # A cross is lines only, with nothing to leave hollow: only the target's series is drawn with one.
    fill = f'fill="#ffffff" stroke="{style.colour}" stroke-width="2"' if hollow else f'fill="{style.colour}"'
    if kind == "square":
        return f'<rect x="{_number(x - size)}" y="{_number(y - size)}" width="{_number(2 * size)}" height="{_number(2 * size)}" {fill}/>'
    if kind == "triangle":
        points = f"{_number(x)},{_number(y - size - 1)} {_number(x - size - 1)},{_number(y + size)} {_number(x + size + 1)},{_number(y + size)}"
        return f'<polygon points="{points}" {fill}/>'
    if kind == "diamond":
        points = f"{_number(x)},{_number(y - size - 1)} {_number(x + size + 1)},{_number(y)} {_number(x)},{_number(y + size + 1)} {_number(x - size - 1)},{_number(y)}"
        return f'<polygon points="{points}" {fill}/>'
    if kind == "cross":
        return (
            f'<path d="M{_number(x - size)} {_number(y - size)}L{_number(x + size)} {_number(y + size)}'
            f'M{_number(x - size)} {_number(y + size)}L{_number(x + size)} {_number(y - size)}" '
            f'stroke="{style.colour}" stroke-width="2.5" fill="none"/>'
        )
    return f'<circle cx="{_number(x)}" cy="{_number(y)}" r="{_number(size)}" {fill}/>'


def _segments(
    points: list[tuple[float, float | None]], breaks: set[float] | None = None
) -> Iterable[list[tuple[float, float]]]:
    """Runs of consecutive known values: a missing value, or a point in `breaks` (one that follows a gap
    in time), starts a new run rather than bridging the gap with a line."""
    run: list[tuple[float, float]] = []
    for x, y in points:
        if y is None or (breaks and x in breaks):
            if run:
                yield run
            run = []
        if y is not None:
            run.append((x, y))
    if run:
        yield run


def _line(run: list[tuple[float, float]], style: _Style) -> str:
    dash = f' stroke-dasharray="{style.dash}"' if style.dash else ""
    coords = " ".join(f"{_number(x)},{_number(y)}" for x, y in run)
    return (
        f'<polyline points="{coords}" fill="none" stroke="{style.colour}" '
        f'stroke-width="{_number(style.stroke_width)}"{dash} stroke-linejoin="round"/>'
    )


SIDE_BY_SIDE_GAP = 24  # px between the markers of a chart's series when it has a single date


def trend_chart_svg(
    *,
    title: str,
    description: str,
    y_label: str,
    series: list[ChartSeries],
    width: int = 640,
    height: int = 320,
    x_label: str = "Date the figure refers to",
    chart_id: str | None = None,
    from_zero: bool = False,
    max_gap_days: int | None = None,
    narrow: bool = False,
) -> str:
    """An accessible SVG line chart of values over time, one line per series, points placed by date.

    `from_zero` starts the axis at 0 (for percentages); `max_gap_days` breaks a line between two
    values further apart than that, so years without a figure show as a gap, not a trend.

    `chart_id` makes the ids unique when several charts share a page; by default it is derived from
    the content, so the same chart renders the same string (stable for tests and caches).

    `narrow` draws for a phone's width, where the chart is shown at its own size and its text stays readable:
    three dates on the axis and one legend entry a line, so that no two labels run into each other.
    """
    title_id, desc_id = _label_ids(chart_id, (title, description, y_label, series, width, height, narrow))
    any_not_exact = any(
        value is not None and day in one.not_exact for one in series for day, value in one.points
    )
    if any_not_exact:
        description += NOT_EXACT_DESCRIPTION

    x_ticks, legend_columns = (3, 1) if narrow else (MAX_X_TICKS, 2)
    # The hollow marker's meaning is a legend entry of its own, after the series.
    legend_rows = max(1, math.ceil((len(series) + any_not_exact) / legend_columns))
    # On a phone the title wraps, from the left edge, a line at a time.
    title_lines = (textwrap.wrap(title, NARROW_TITLE_CHARS) or [""]) if narrow else [title]
    all_dates = sorted({day for one in series for day, _ in one.points})
    known = [value for one in series for _, value in one.points if value is not None]
    y_min, y_max, y_ticks = _y_scale(known, from_zero) if known else (0.0, 1.0, [])
    y_step = y_ticks[1] - y_ticks[0] if len(y_ticks) > 1 else 1.0
    tick_labels = [_tick_label(tick, y_step) for tick in y_ticks]

    left, right = (56, 32) if narrow else (72, 40)  # room for half of the last date, centred on its tick
    # The axis's name is written up its left edge; the tick labels end 8 px short of the axis and must not reach it.
    left = max(left, Y_LABEL_CLEARANCE + math.ceil(DIGIT_WIDTH * max(map(len, tick_labels), default=0)))
    top = 36 + 18 * (len(title_lines) - 1)
    bottom = 58 + legend_rows * 22
    plot_w, plot_h = max(width - left - right, 40), max(height - top - bottom, 40)
    total_h = top + plot_h + bottom

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'width="{width}" height="{total_h}" viewBox="0 0 {width} {total_h}" '
        f'font-family="{_attr(FONT_FAMILY)}" font-size="13" class="portal-chart">',
        f'<title id="{title_id}">{_attr(title)}</title>',
        f'<desc id="{desc_id}">{_attr(description)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{total_h}" fill="#ffffff"/>',
        *(
            f'<text x="{8 if narrow else left}" y="{22 + 18 * index}" font-size="15" font-weight="bold" '
            f'fill="{TEXT_COLOUR}">{_attr(line)}</text>'
            for index, line in enumerate(title_lines)
        ),
    ]

    if not all_dates or not known:
        parts.append(
            f'<text x="{_number(left + plot_w / 2)}" y="{_number(top + plot_h / 2)}" text-anchor="middle" '
            f'fill="{TEXT_COLOUR}">No figures to show</text>'
        )
        parts.append("</svg>")
        return "".join(parts)

    first_day, last_day = all_dates[0].toordinal(), all_dates[-1].toordinal()

    def x_of(day: date) -> float:
        if first_day == last_day:
            return left + plot_w / 2
        return left + (day.toordinal() - first_day) / (last_day - first_day) * plot_w

    def y_of(value: float) -> float:
        return top + plot_h - (value - y_min) / (y_max - y_min) * plot_h

    # Gridlines and y ticks.
    for tick, tick_label in zip(y_ticks, tick_labels, strict=True):
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" y1="{_number(y)}" x2="{left + plot_w}" y2="{_number(y)}" stroke="{GRID_COLOUR}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{left - 8}" y="{_number(y + 4)}" text-anchor="end" fill="{TEXT_COLOUR}">{_attr(tick_label)}</text>'
        )
    # X ticks: at most x_ticks of the dates that carry values, evenly chosen, always the first and last.
    stride = max(1, math.ceil((len(all_dates) - 1) / (x_ticks - 1))) if len(all_dates) > 1 else 1
    tick_dates = all_dates[::stride]
    if tick_dates[-1] != all_dates[-1]:
        if len(tick_dates) > 1 and x_of(all_dates[-1]) - x_of(tick_dates[-1]) < plot_w / (x_ticks * 1.2):
            tick_dates[-1] = all_dates[-1]
        else:
            tick_dates.append(all_dates[-1])
    tick_dates = _apart(
        tick_dates, x_of, DIGIT_WIDTH * max(len(_date_label(d, all_dates)) for d in tick_dates) + 8
    )
    axis_y = top + plot_h
    for day in tick_dates:
        x = x_of(day)
        parts.append(
            f'<line x1="{_number(x)}" y1="{axis_y}" x2="{_number(x)}" y2="{axis_y + 5}" stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{_number(x)}" y="{axis_y + 19}" text-anchor="middle" fill="{TEXT_COLOUR}">{_attr(_date_label(day, all_dates))}</text>'
        )
    # Axes and their labels.
    parts.append(
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{axis_y}" stroke="{AXIS_COLOUR}" stroke-width="1.5"/>'
    )
    parts.append(
        f'<line x1="{left}" y1="{axis_y}" x2="{left + plot_w}" y2="{axis_y}" stroke="{AXIS_COLOUR}" stroke-width="1.5"/>'
    )
    centre_y = top + plot_h / 2
    parts.append(
        f'<text x="16" y="{_number(centre_y)}" transform="rotate(-90 16 {_number(centre_y)})" text-anchor="middle" '
        f'fill="{TEXT_COLOUR}">{_attr(y_label)}</text>'
    )
    parts.append(
        f'<text x="{_number(left + plot_w / 2)}" y="{axis_y + 38}" text-anchor="middle" fill="{TEXT_COLOUR}">{_attr(x_label)}</text>'
    )

    # Series: lines broken at gaps, a marker on every known value. The local area's series is drawn last, so
    # that where its value equals a comparator's its marker sits on top rather than hidden under theirs.
    # With a single date every series would be drawn at one x, its markers over each other wherever the figures are
    # close (Southend, England and the region within a point of each other): there they stand side by side instead,
    # in the legend's order, around the date's tick.
    single_date = first_day == last_day
    for one in sorted(series, key=lambda one: one.kind == "local"):
        style = _STYLES.get(one.kind, _FALLBACK_STYLE)
        beside = (series.index(one) - (len(series) - 1) / 2) * SIDE_BY_SIDE_GAP if single_date else 0.0

        def x_in_series(day: date, beside: float = beside) -> float:
            return x_of(day) + beside

        points = sorted(one.points, key=lambda point: point[0])
        scaled = [(x_in_series(day), None if value is None else y_of(value)) for day, value in points]
        known_days = [day for day, value in points if value is not None]
        breaks = {
            x_in_series(later)
            for earlier, later in zip(known_days, known_days[1:], strict=False)
            if max_gap_days is not None and (later - earlier).days > max_gap_days
        }
        not_exact = {x_in_series(day) for day, value in points if value is not None and day in one.not_exact}
        parts.append(f'<g class="series series-{_attr(one.kind)}">')
        every = max(1, math.ceil(len(scaled) / MAX_MARKERS))
        marked = {x for x, _ in scaled[::every]} | {x for x, _ in scaled[-1:]} | not_exact
        for run in _segments(scaled, breaks):
            if len(run) > 1:
                parts.append(_line(run, style))
            # A value alone between gaps is always marked, or it would not show at all.
            parts.extend(
                _marker(style.marker, x, y, style, hollow=x in not_exact)
                for x, y in run
                if x in marked or len(run) == 1
            )
        parts.append("</g>")

    # Legend in text: a sample of the line and marker beside each name, two to a row.
    legend_top = axis_y + 58
    column_w = plot_w / legend_columns

    def legend_at(index: int) -> tuple[float, float]:
        return left + (index % legend_columns) * column_w, legend_top + (index // legend_columns) * 22

    for index, one in enumerate(series):
        style = _STYLES.get(one.kind, _FALLBACK_STYLE)
        x, y = legend_at(index)
        parts.append(_line([(x, y), (x + 32, y)], style))
        parts.append(_marker(style.marker, x + 16, y, style))
        parts.append(
            f'<text x="{_number(x + 40)}" y="{_number(y + 4)}" fill="{TEXT_COLOUR}">{_attr(one.name)}</text>'
        )
    if any_not_exact:
        x, y = legend_at(len(series))
        parts.append(_marker("circle", x + 16, y, _FALLBACK_STYLE, hollow=True))
        parts.append(
            f'<text x="{_number(x + 40)}" y="{_number(y + 4)}" fill="{TEXT_COLOUR}">{NOT_EXACT_LEGEND}</text>'
        )

    parts.append("</svg>")
    return "".join(parts)


# The overview's RAG bars: a share of the plan's actions at each level, drawn to scale.

# No approved update yet: drawn as its key's tag is, white with a grey edge, so that a bar of actions with nothing to
# say of them never reads as a level's colour (the Grey level's above all). The text beside the bar says how many.
NO_UPDATE_EDGE = "#b1b4b6"
FADED_OPACITY = 0.45  # a month still being reported; the text beside the columns says which


@dataclass(frozen=True)
class BarPart:
    label: str
    count: int
    colour: str | None  # None: actions with no approved update yet


def _stack(parts: list[BarPart], x: float, width: float, height: float, vertical: bool) -> list[str]:
    """Rectangles for the parts, in order, with a white gap between neighbours so they stay apart."""
    total = sum(part.count for part in parts)
    if not total:
        return []
    shapes, offset = [], 0.0
    length = height if vertical else width
    for part in parts:
        if not part.count:
            continue
        size = part.count / total * length
        # Upright, the first level is at the top, as it comes first (leftmost) in the flat bar.
        box = (x, offset, width, size) if vertical else (x + offset, 0.0, size, height)
        paint = (
            f'fill="{_attr(part.colour)}" stroke="#ffffff" stroke-width="1"'
            if part.colour
            else f'fill="#ffffff" stroke="{NO_UPDATE_EDGE}" stroke-width="2"'
        )
        shapes.append(
            f'<rect x="{_number(box[0])}" y="{_number(box[1])}" width="{_number(box[2])}" '
            f'height="{_number(box[3])}" {paint} vector-effect="non-scaling-stroke"/>'
        )
        offset += size
    return shapes


def rag_bar_svg(parts: list[BarPart], description: str, *, height: int = 24) -> str:
    """One bar split by RAG level, stretched to its container; `description` is its text equivalent."""
    body = "".join(_stack(parts, 0, 100, height, vertical=False))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_attr(description)}" '
        f'viewBox="0 0 100 {height}" preserveAspectRatio="none" height="{height}" class="app-rag-bar">'
        f"<title>{_attr(description)}</title>{body}</svg>"
    )


def small_multiples_svg(columns: list[tuple[list[BarPart], bool]], description: str) -> str:
    """A column per period, each the same height and split by RAG level, oldest on the left. A column marked as
    faded (a period not yet fully reported) is drawn paler; the page says so in words."""
    column, gap, height = 14, 6, 40
    width = len(columns) * (column + gap) - gap
    shapes = []
    for index, (parts, faded) in enumerate(columns):
        stack = "".join(_stack(parts, index * (column + gap), column, height, vertical=True))
        shapes.append(f'<g opacity="{FADED_OPACITY}">{stack}</g>' if faded else stack)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_attr(description)}" '
        f'viewBox="0 0 {max(width, 1)} {height}" width="{max(width, 1)}" height="{height}" '
        f'class="app-small-multiples"><title>{_attr(description)}</title>{"".join(shapes)}</svg>'
    )


# Bars for the groups of a cohort (a breakdown): one bar a group, so that an average cannot hide one.

BAR_SHARE = 65  # per cent of the width the longest bar takes: the rest holds the figure written at its end
BAR_LABEL_CHARS = 32  # a label wraps at this many characters, so it fits a 320 px screen at reading size
BAR_FONT_SIZE, BAR_LINE, BAR_HEIGHT, BAR_GAP = 16, 20, 20, 12


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None draws no bar: no figure, or one hidden; `shown` says which
    shown: str  # the figure as readers read it ("28.3%", "fewer than 5"), written at the bar's end


def bar_chart_svg(*, title: str, description: str, bars: list[Bar], chart_id: str | None = None) -> str:
    """An accessible horizontal bar chart, each bar under its label with its figure written at its end.

    It stretches to its container's width: the bars' lengths are shares of the width, the text stays at reading
    size and a long label wraps, so it reads on a 320 px screen without scrolling sideways. Bars start at zero.
    """
    title_id, desc_id = _label_ids(chart_id, (title, description, bars))
    largest = max((bar.value for bar in bars if bar.value is not None), default=0.0)
    parts, y = [], 0
    for bar in bars:
        for line in textwrap.wrap(bar.label, BAR_LABEL_CHARS) or [""]:
            parts.append(f'<text x="0" y="{y + BAR_FONT_SIZE}" fill="{TEXT_COLOUR}">{_attr(line)}</text>')
            y += BAR_LINE
        share = bar.value / largest * BAR_SHARE if bar.value and largest > 0 else 0.0
        if share > 0:
            parts.append(
                f'<rect x="0" y="{y}" width="{_number(max(share, 0.5))}%" height="{BAR_HEIGHT}" '
                f'fill="{_STYLES["local"].colour}"/>'
            )
        written_at = f"{_number(share + 1)}%" if share > 0 else "0"
        parts.append(
            f'<text x="{written_at}" y="{y + BAR_FONT_SIZE}" fill="{TEXT_COLOUR}" font-weight="bold">'
            f"{_attr(bar.shown)}</text>"
        )
        y += BAR_HEIGHT + BAR_GAP
    height = max(y - BAR_GAP, 1)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'width="100%" height="{height}" font-family="{_attr(FONT_FAMILY)}" font-size="{BAR_FONT_SIZE}" '
        f'class="app-bar-chart"><title id="{title_id}">{_attr(title)}</title>'
        f'<desc id="{desc_id}">{_attr(description)}</desc>{"".join(parts)}</svg>'
    )
