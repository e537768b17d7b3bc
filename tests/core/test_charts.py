import re
from datetime import date, timedelta
from xml.etree import ElementTree

from core.charts import Bar, ChartSeries, bar_chart_svg, trend_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def months(*values: float | None) -> list[tuple[date, float | None]]:
    return [(date(2024, index + 1, 1), value) for index, value in enumerate(values)]


def chart(series: list[ChartSeries], **kwargs) -> ElementTree.Element:
    options = {"title": "Plans issued in 20 weeks", "description": "Rising since March", "y_label": "Percent"}
    options.update(kwargs)
    return ElementTree.fromstring(trend_chart_svg(series=series, **options))


def texts(root: ElementTree.Element) -> list[str]:
    return [element.text or "" for element in root.iter(f"{SVG}text")]


def test_the_chart_is_an_image_named_by_its_title_and_description():
    root = chart([ChartSeries("Southend", months(40, 45, 50), "local")])

    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id
    assert root.find(f"{SVG}title").text == "Plans issued in 20 weeks"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}desc").text == "Rising since March"
    assert "Liberation Sans" in (root.get("font-family") or "")
    assert root.get("font-family").startswith("Arial")


def test_axes_are_labelled_with_ticks_and_dates():
    root = chart([ChartSeries("Southend", months(10, 45, 50), "local")])
    labels = texts(root)

    assert "Percent" in labels
    assert "Date the figure refers to" in labels  # points are placed by the date each figure is for
    assert "Jan 2024" in labels and "Mar 2024" in labels
    assert [label for label in labels if label.isdigit()] == ["0", "20", "40", "60"]


# A digit of 13 px Liberation Sans (Arial's metric twin) is 7.23 px wide; the axis's name, written upwards along
# x = 16, reaches x = 22 with its letters.
DRAWN_DIGIT_WIDTH = 7.23
AXIS_NAME_REACHES = 22


def test_long_tick_labels_move_the_axis_right_rather_than_run_into_the_axis_name():
    for narrow in (False, True):
        for values in ((2, 5, 9), (500_000, 630_000)):
            root = chart(
                [ChartSeries("Southend", months(*values), "local")], y_label="Money (£)", narrow=narrow
            )
            ticks = [t for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]

            assert ticks and any("," in (t.text or "") for t in ticks) == (values[0] > 1000)
            for tick in ticks:
                starts_at = float(tick.get("x")) - DRAWN_DIGIT_WIDTH * len(tick.text or "")
                assert starts_at > AXIS_NAME_REACHES, (narrow, tick.text, starts_at)


def test_each_series_differs_by_dash_and_marker_not_only_colour():
    root = chart(
        [
            ChartSeries("Southend", months(40, 45, 50), "local"),
            ChartSeries("England", months(50, 51, 52), "england"),
            ChartSeries("East of England", months(48, 49, 50), "region"),
            ChartSeries("Target", months(60, 60, 60), "target"),
        ]
    )
    groups = list(root.iter(f"{SVG}g"))
    dashes = {group.find(f"{SVG}polyline").get("stroke-dasharray") for group in groups}
    markers = {[child.tag for child in group if child.tag != f"{SVG}polyline"][0] for group in groups}

    assert len(groups) == 4
    assert len(dashes) == 4  # the local line solid (None), the others each their own dash pattern
    assert len(markers) >= 3  # circle, rect, polygon, path
    assert {"Southend", "England", "East of England", "Target"} <= set(texts(root))


def test_a_figure_that_is_not_exact_is_drawn_hollow_and_the_legend_and_description_say_why():
    points = months(40, 45, 50)
    root = chart([ChartSeries("Southend", points, "local", not_exact=frozenset({points[1][0]}))])
    circles = root.find(f"{SVG}g").findall(f"{SVG}circle")

    assert [circle.get("fill") for circle in circles] == ["#1d70b8", "#ffffff", "#1d70b8"]
    assert circles[1].get("stroke") == "#1d70b8"
    assert "Figure not exact" in texts(root)
    description = root.find(f"{SVG}desc").text or ""
    assert description.startswith("Rising since March")
    assert "A hollow marker is a figure that is not exact" in description


def test_a_chart_of_exact_figures_says_nothing_of_hollow_markers():
    root = chart([ChartSeries("Southend", months(40, 45, 50), "local")])

    assert {circle.get("fill") for circle in root.find(f"{SVG}g").findall(f"{SVG}circle")} == {"#1d70b8"}
    assert "Figure not exact" not in texts(root)
    assert "hollow" not in (root.find(f"{SVG}desc").text or "")


def test_a_figure_not_exact_is_marked_even_where_a_long_series_leaves_markers_out():
    points = [(date(2020, 1, 1) + timedelta(days=30 * n), float(n)) for n in range(60)]
    root = chart([ChartSeries("Southend", points, "local", not_exact=frozenset({points[7][0]}))])
    hollow = [c for c in root.find(f"{SVG}g").findall(f"{SVG}circle") if c.get("fill") == "#ffffff"]

    assert len(root.find(f"{SVG}g").findall(f"{SVG}circle")) < 60  # the rest are thinned
    assert len(hollow) == 1


def assert_nothing_hollow(root: ElementTree.Element) -> None:
    assert not [marker for marker in root.iter() if marker.get("fill") == "#ffffff" and marker.get("stroke")]
    assert "Figure not exact" not in texts(root)
    assert "hollow" not in (root.find(f"{SVG}desc").text or "")


def test_a_not_exact_date_without_a_figure_to_draw_adds_nothing():
    points = months(40, None, 50)
    root = chart([ChartSeries("Southend", points, "local", not_exact=frozenset({points[1][0]}))])

    assert_nothing_hollow(root)


def test_a_not_exact_date_left_out_of_a_single_date_chart_marks_no_other_point_hollow():
    """With one date, every date is drawn at the centre: a comparator's not-exact date without a figure must not
    make its exact figure there look hollow."""
    only, unpublished = date(2024, 1, 1), date(2025, 1, 1)
    root = chart(
        [
            ChartSeries("Southend", [(only, 40.0)], "local"),
            ChartSeries("England", [(only, 50.0)], "england", not_exact=frozenset({unpublished})),
        ]
    )

    assert_nothing_hollow(root)


def test_a_run_of_zeros_sits_on_an_axis_from_zero_with_nothing_below_it():
    root = chart([ChartSeries("Southend", months(0, 0, 0), "local")], from_zero=True)
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("text-anchor") == "end"]

    assert float(ticks[0] or "nan") == 0
    assert not any((tick or "").startswith("-") for tick in ticks)


def test_text_from_people_is_escaped_everywhere():
    attack = '<script>alert("x")</script> & "quoted"'
    svg = trend_chart_svg(
        title=attack, description=attack, y_label=attack, series=[ChartSeries(attack, months(1, 2), "local")]
    )
    root = ElementTree.fromstring(svg)  # still well-formed XML

    assert "<script>" not in svg
    assert root.find(f"{SVG}title").text == attack
    assert texts(root).count(attack) == 3  # the visible title, the y label, the legend


def test_a_missing_value_breaks_the_line_instead_of_bridging_it():
    root = chart([ChartSeries("Southend", months(40, 45, None, 50, 55), "local")])
    group = root.find(f"{SVG}g")
    lines = group.findall(f"{SVG}polyline")

    assert len(lines) == 2
    assert all(len(line.get("points").split()) == 2 for line in lines)
    assert len(group.findall(f"{SVG}circle")) == 4


def test_a_single_point_is_drawn_as_a_marker_in_the_middle():
    root = chart([ChartSeries("Southend", [(date(2025, 3, 31), 12.5)], "local")], width=640)
    group = root.find(f"{SVG}g")

    assert group.findall(f"{SVG}polyline") == []
    circle = group.find(f"{SVG}circle")
    assert float(circle.get("cx")) == 72 + (640 - 72 - 40) / 2  # the middle of the plot area


def marker_centre_x(group: ElementTree.Element) -> float:
    circle, square, triangle = (group.find(f"{SVG}{shape}") for shape in ("circle", "rect", "polygon"))
    if circle is not None:
        return float(circle.get("cx"))
    if square is not None:
        return float(square.get("x")) + float(square.get("width")) / 2
    return float(triangle.get("points").split()[0].split(",")[0])


def test_with_a_single_date_close_figures_stand_side_by_side_in_the_legends_order_not_on_top_of_each_other():
    year = date(2019, 8, 31)
    root = chart(
        [
            ChartSeries("Southend", [(year, 47.2)], "local"),
            ChartSeries("England", [(year, 46.7)], "england"),
            ChartSeries("Region", [(year, 46.4)], "region"),
        ],
        width=640,
    )
    groups = {group.get("class"): group for group in root.iter(f"{SVG}g")}

    xs = [marker_centre_x(groups[f"series series-{kind}"]) for kind in ("local", "england", "region")]
    assert xs == sorted(xs) and min(b - a for a, b in zip(xs, xs[1:], strict=False)) >= 20
    [tick] = [t for t in root.iter(f"{SVG}text") if t.text == "2019"]
    assert xs[1] == float(tick.get("x")) and xs[1] - xs[0] == xs[2] - xs[1]  # around the date's one tick


def test_with_several_dates_each_figure_stays_on_its_own_dates_tick():
    root = chart(
        [ChartSeries("Southend", months(40, 45), "local"), ChartSeries("England", months(41, 46), "england")]
    )
    groups = {group.get("class"): group for group in root.iter(f"{SVG}g")}

    assert marker_centre_x(groups["series series-local"]) == marker_centre_x(groups["series series-england"])


def test_dates_bunched_at_the_end_of_a_long_axis_do_not_print_their_labels_into_each_other():
    dates = [date(2021, 4, 1), date(2024, 1, 1), date(2024, 6, 1)]
    root = chart(
        [ChartSeries("Southend", list(zip(dates, [94.0, None, 5.0], strict=True)), "local")],
        narrow=True,
        width=300,
    )

    labels = [t.text for t in root.iter(f"{SVG}text") if t.text and t.text[-4:].isdigit() and " " in t.text]

    assert labels == ["Apr 2021", "Jun 2024"]  # the first and the last; January 2024 would overlap June's


def test_dates_spread_along_the_axis_each_keep_their_label():
    root = chart([ChartSeries("Southend", months(1, 2, 3), "local")], narrow=True, width=300)

    assert [t.text for t in root.iter(f"{SVG}text") if (t.text or "").endswith("2024")] == [
        "Jan 2024",
        "Feb 2024",
        "Mar 2024",
    ]


def test_all_equal_values_get_room_around_a_flat_line():
    root = chart([ChartSeries("Southend", months(7, 7, 7), "local")])
    points = root.find(f"{SVG}g").find(f"{SVG}polyline").get("points").split()
    heights = {point.split(",")[1] for point in points}

    assert len(heights) == 1
    tick_labels = [text for text in texts(root) if text.replace(".", "").isdigit()]
    assert len(set(tick_labels)) == len(tick_labels) >= 2


def test_fractional_steps_keep_distinct_tick_labels():
    root = chart([ChartSeries("Rate", months(0.1, 0.35, 0.2), "local")])
    numeric = [text for text in texts(root) if text.replace(".", "").isdigit()]

    assert len(set(numeric)) == len(numeric) >= 3


def test_no_values_says_so_rather_than_drawing_empty_axes():
    root = chart([ChartSeries("Southend", months(None, None), "local")])

    assert "No figures to show" in texts(root)
    assert root.find(f"{SVG}g") is None


def test_two_charts_on_one_page_get_different_ids():
    first = chart([ChartSeries("Southend", months(1, 2), "local")], title="One")
    second = chart([ChartSeries("Southend", months(1, 2), "local")], title="Two")
    chosen = chart([ChartSeries("Southend", months(1, 2), "local")], chart_id="kpi-7")

    assert first.get("aria-labelledby") != second.get("aria-labelledby")
    assert chosen.get("aria-labelledby") == "kpi-7-title kpi-7-desc"


def test_the_chart_renders_inside_weasyprint():
    from weasyprint import HTML

    svg = trend_chart_svg(
        title="T", description="D", y_label="Y", series=[ChartSeries("Southend", months(1, None, 3), "local")]
    )
    pdf = HTML(string=f"<html><body>{svg}</body></html>").write_pdf()

    assert pdf.startswith(b"%PDF")


def test_a_long_series_keeps_its_markers_sparse_but_marks_a_lone_value():
    values: list[float | None] = [float(index % 7) for index in range(120)]
    values[60], values[62] = None, None  # index 61 stands alone between two gaps
    points = [(date(2015 + index // 12, index % 12 + 1, 1), value) for index, value in enumerate(values)]
    group = chart([ChartSeries("Southend", points, "local")]).find(f"{SVG}g")
    circles = {float(circle.get("cx")) for circle in group.findall(f"{SVG}circle")}
    lone_x = min(
        circles,
        key=lambda x: abs(
            x - (72 + (points[61][0] - points[0][0]).days / (points[-1][0] - points[0][0]).days * 528)
        ),
    )

    assert len(circles) <= 26
    assert len(group.findall(f"{SVG}polyline")) == 2
    assert (
        abs(lone_x - (72 + (points[61][0] - points[0][0]).days / (points[-1][0] - points[0][0]).days * 528))
        < 0.2
    )


# The bar chart of a breakdown


def bars(*items: Bar) -> ElementTree.Element:
    return ElementTree.fromstring(
        bar_chart_svg(title="Needs by group", description="Largest first", bars=list(items))
    )


def test_a_bar_chart_is_a_named_image_with_a_bar_a_group_to_scale_and_each_figure_written():
    root = bars(Bar("Autism", 20.0, "20%"), Bar("Speech", 40.0, "40%"), Bar("Hearing", None, "fewer than 5"))

    assert root.get("role") == "img" and root.find(f"{SVG}title").text == "Needs by group"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}desc").get("id") == desc_id
    widths = [rect.get("width") for rect in root.iter(f"{SVG}rect")]
    assert widths == ["32.5%", "65%"]  # the largest takes BAR_SHARE of the width; a hidden figure draws none
    assert texts(root) == ["Autism", "20%", "Speech", "40%", "Hearing", "fewer than 5"]
    assert root.get("width") == "100%"


def test_a_long_label_wraps_and_text_from_people_is_escaped():
    root = bars(Bar("Speech, language and communication needs <b>", 1.0, "1 & more"))

    assert texts(root) == ["Speech, language and", "communication needs <b>", "1 & more"]


def test_a_bar_chart_renders_inside_weasyprint():
    from weasyprint import HTML

    svg = bar_chart_svg(title="T", description="D", bars=[Bar("A", 3.0, "3"), Bar("B", 0.0, "0")])

    assert HTML(string=f"<html><body>{svg}</body></html>").write_pdf().startswith(b"%PDF")


def test_the_local_areas_markers_are_drawn_over_the_comparators_where_they_meet():
    """Southend and England at the same value: England's square drawn after the circle would hide it."""
    same = [(date(2023, 1, 1), 8.0), (date(2024, 1, 1), 9.0)]
    chart = trend_chart_svg(
        title="Indicator",
        description="Two series that meet.",
        y_label="Percentage",
        series=[ChartSeries("Southend-on-Sea", same, "local"), ChartSeries("England", same, "england")],
    )
    assert chart.index('class="series series-england"') < chart.index('class="series series-local"')
    legend = chart.split("</g>")[-1]
    assert legend.index("Southend-on-Sea") < legend.index("England")  # the legend keeps the order given


def test_a_percentage_axis_starts_at_zero_and_ends_a_step_above_the_highest_value():
    chart = trend_chart_svg(
        title="Indicator",
        description="Small percentages.",
        y_label="Percentage",
        series=[ChartSeries("Local", [(date(2023, 1, 1), 4.1), (date(2024, 1, 1), 5.3)], "local")],
        from_zero=True,
    )
    ticks = re.findall(r'text-anchor="end" fill="#0b0c0c">([^<]+)</text>', chart)
    assert ticks[0] == "0" and float(ticks[-1]) < 10
