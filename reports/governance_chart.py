"""The governance chart drawn from the governance bodies and how each answers to another, as an SVG that is the
same in the HTML twin and the PDF.

Bodies that answer to no one sit on the top row; every other body sits one row below the lowest body it
answers to. "Reports to" is a solid line and "accountable to" a dashed one, each with an arrow to the body
answered to, so the kinds differ by more than colour. The chart is an accessible image named by its <title>
and <desc>; the pack prints the same relations as a list beside it.
"""

import textwrap
from dataclasses import dataclass
from html import escape

from reports.models import GovernanceBody, GovernanceRelation

WIDTH = 680
BOX_HEIGHT = 62
ROW_GAP = 70
TOP = 16
GAP = 14
LANE = 16  # between lines passing one gap between boxes
FONT = "Arial, 'Liberation Sans', sans-serif"
TEXT = "#0b0c0c"
LINES = {  # kind -> (colour, dash); both colours have at least 3:1 contrast against white
    GovernanceRelation.Kind.REPORTS_TO: ("#0b0c0c", ""),
    GovernanceRelation.Kind.ACCOUNTABLE_TO: ("#1d70b8", "7 4"),
}


Point = tuple[float, float]


@dataclass
class Box:
    body: GovernanceBody
    x: float
    y: float
    width: float

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


def rows_of(bodies: list[GovernanceBody], relations: list[GovernanceRelation]) -> list[list[GovernanceBody]]:
    """Bodies by row: 0 for those answering to no one, else one below the lowest they answer to."""
    answers_to: dict[int, list[int]] = {b.pk: [] for b in bodies}
    for relation in relations:
        answers_to[relation.body_id].append(relation.to_id)
    depth: dict[int, int] = {}

    def row(pk: int, seen: frozenset[int]) -> int:
        if pk not in depth:
            above = [row(to, seen | {pk}) for to in answers_to[pk] if to not in seen]  # a cycle stops here
            depth[pk] = 1 + max(above) if above else 0
        return depth[pk]

    for body in bodies:
        row(body.pk, frozenset())
    rows: list[list[GovernanceBody]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for body in bodies:
        rows[depth[body.pk]].append(body)
    return rows


def place(rows: list[list[GovernanceBody]]) -> dict[int, Box]:
    boxes = {}
    for index, row in enumerate(rows):
        width = min(210.0, (WIDTH - GAP * (len(row) + 1)) / len(row))
        used = width * len(row) + GAP * (len(row) - 1)
        left = (WIDTH - used) / 2
        for position, body in enumerate(row):
            boxes[body.pk] = Box(
                body, left + position * (width + GAP), TOP + index * (BOX_HEIGHT + ROW_GAP), width
            )
    return boxes


def box_svg(box: Box) -> str:
    per_line = max(10, int(box.width / 6.6))
    lines = textwrap.wrap(box.body.name, per_line)[:4]
    first = box.y + BOX_HEIGHT / 2 - (len(lines) - 1) * 7 + 4
    text = "".join(
        f'<tspan x="{box.centre:.1f}" y="{first + i * 14:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.width:.1f}" height="{BOX_HEIGHT}" rx="4" '
        f'fill="#f3f2f1" stroke="{TEXT}" stroke-width="1.5"/>'
        f'<text font-size="12" text-anchor="middle" fill="{TEXT}">{text}</text>'
    )


def gap_near(x: float, row: list[Box]) -> float:
    """The middle of the space between boxes of a row nearest to x, for a line to pass the row without crossing a box."""
    edges = [
        0.0,
        *[e for box in sorted(row, key=lambda b: b.x) for e in (box.x, box.x + box.width)],
        float(WIDTH),
    ]
    gaps = [(edges[i] + edges[i + 1]) / 2 for i in range(0, len(edges), 2)]
    return min(gaps, key=lambda g: abs(g - x))


def gaps_passed(start: Box, end: Box, rows: list[list[Box]]) -> list[tuple[float, float]]:
    """The rows between two boxes, lowest first, each as (its top, the middle of the gap a line passes it by)."""
    x = start.centre
    passed = []
    for row in sorted((r for r in rows if r and end.y < r[0].y < start.y), key=lambda r: -r[0].y):
        x = gap_near(x + (end.centre - x) / 2, row)
        passed.append((row[0].y, x))
    return passed


def spread_along(box: Box, count: int, position: int) -> float:
    """Where the position-th of count lines meets a box's edge: evenly across it, so that no two coincide."""
    return box.x + box.width * (position + 1) / (count + 1)


def meeting_points(lines: list[tuple[int, float]], boxes: dict[int, Box]) -> list[float]:
    """Each line's x at its box's edge, given (the box, the x the line comes from or heads for): lines at one box
    spread across its edge in the order of where they go, so that they leave or arrive without crossing."""
    at_box: dict[int, list[int]] = {}
    for index, (box, _) in enumerate(lines):
        at_box.setdefault(box, []).append(index)
    points = [0.0] * len(lines)
    for box, indexes in at_box.items():
        for position, index in enumerate(sorted(indexes, key=lambda i: lines[i][1])):
            points[index] = spread_along(boxes[box], len(indexes), position)
    return points


def routes(
    relations: list[GovernanceRelation], boxes: dict[int, Box], rows: list[list[Box]]
) -> list[list[Point]]:
    """Each relation's line, from the top of the body that answers to the bottom of the one it answers to, through
    the gaps of any rows between. Lines leaving or reaching one box are spread across its edge, and lines passing
    one gap LANE apart, so that none lies on another."""
    passed = [gaps_passed(boxes[r.body_id], boxes[r.to_id], rows) for r in relations]
    starts = meeting_points(
        [
            (r.body_id, gaps[0][1] if gaps else boxes[r.to_id].centre)
            for r, gaps in zip(relations, passed, strict=True)
        ],
        boxes,
    )
    ends = meeting_points(
        [
            (r.to_id, gaps[-1][1] if gaps else boxes[r.body_id].centre)
            for r, gaps in zip(relations, passed, strict=True)
        ],
        boxes,
    )
    sharing: dict[tuple[float, float], list[int]] = {}
    for index, gaps in enumerate(passed):
        for gap in gaps:
            sharing.setdefault(gap, []).append(index)
    lane: dict[tuple[int, tuple[float, float]], float] = {}
    for gap, indexes in sharing.items():
        for position, index in enumerate(sorted(indexes, key=lambda i: starts[i])):
            lane[index, gap] = (position - (len(indexes) - 1) / 2) * LANE
    lines = []
    for index, relation in enumerate(relations):
        points = [(starts[index], boxes[relation.body_id].y)]
        for top, middle in passed[index]:
            x = middle + lane[index, (top, middle)]
            points += [(x, top + BOX_HEIGHT), (x, top)]
        lines.append([*points, (ends[index], boxes[relation.to_id].y + BOX_HEIGHT)])
    return lines


def line_svg(points: list[Point], kind: str) -> str:
    """A line through the points with an arrowhead at the last."""
    colour, dash = LINES[GovernanceRelation.Kind(kind)]
    (x1, y1), (x2, y2) = points[-2], points[-1]
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1)
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    bx, by = x2 - ux * 10, y2 - uy * 10
    px, py = -uy * 5, ux * 5
    head = f"{x2:.1f},{y2:.1f} {bx + px:.1f},{by + py:.1f} {bx - px:.1f},{by - py:.1f}"
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in [*points[:-1], (bx, by)])
    return (
        f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash_attr}/>'
        f'<polygon points="{head}" fill="{colour}"/>'
    )


def legend_svg(y: float) -> str:
    parts = []
    for index, (kind, label) in enumerate(GovernanceRelation.Kind.choices):
        colour, dash = LINES[GovernanceRelation.Kind(kind)]
        x = 20 + index * 220
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{x}" y1="{y}" x2="{x + 40}" y2="{y}" stroke="{colour}" stroke-width="2"{dash_attr}/>'
            f'<polygon points="{x + 48},{y} {x + 38},{y - 5} {x + 38},{y + 5}" fill="{colour}"/>'
            f'<text x="{x + 56}" y="{y + 4}" font-size="12" fill="{TEXT}">{escape(label)}</text>'
        )
    return "".join(parts)


def describe(relations: list[GovernanceRelation]) -> str:
    if not relations:
        return "No board or group is recorded as reporting or accountable to another."
    return " ".join(f"{r.body.name} {r.get_kind_display().lower()} {r.to.name}." for r in relations)


def governance_chart_svg(
    bodies: list[GovernanceBody], relations: list[GovernanceRelation], *, title: str, chart_id: str
) -> str:
    """The chart; relations must have their bodies selected (select_related("body", "to"))."""
    if not bodies:
        return ""
    boxes = place(rows_of(bodies, relations))
    rows: dict[float, list[Box]] = {}
    for box in boxes.values():
        rows.setdefault(box.y, []).append(box)
    height = max(box.y for box in boxes.values()) + BOX_HEIGHT + 44
    shown = [r for r in relations if r.body_id in boxes and r.to_id in boxes]
    lines = [
        line_svg(points, r.kind)
        for r, points in zip(shown, routes(shown, boxes, list(rows.values())), strict=True)
    ]
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{title_id} {desc_id}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}" width="100%" style="max-width:{WIDTH}px" '
        f'font-family="{FONT}" id="{chart_id}">'
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(describe(shown))}</desc>'
        f"{''.join(lines)}{''.join(box_svg(box) for box in boxes.values())}{legend_svg(height - 18)}</svg>"
    )
