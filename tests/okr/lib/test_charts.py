"""The check-in history chart: pure SVG from plain values (no database, no HTTP)."""

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from okr.lib import charts

NS = "{http://www.w3.org/2000/svg}"
Q1 = (date(2026, 1, 1), date(2026, 3, 31))
COORDINATE_ATTRS = {"x", "y", "x1", "x2", "y1", "y2", "cx", "cy"}


def render(points, **kwargs):
    options = {
        "start": 0,
        "target": 100,
        "period_start": Q1[0],
        "period_end": Q1[1],
        "title": "Check-ins",
        "description": "The values over time.",
    }
    options.update(kwargs)
    return charts.check_in_chart(points, **options)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, parsed to check it is well-formed


def find_all(root, tag):
    return root.findall(f".//{NS}{tag}")


def plot_box(root):
    """The plot area is spanned by the x axis line and the top grid line."""
    axis = root.find(f".//{NS}line[@class='chart-axis']")
    grid = find_all(root.find(f"{NS}g[@class='chart-grid']"), "line")
    top = min(float(line.get("y1")) for line in grid)
    return float(axis.get("x1")), top, float(axis.get("x2")), float(axis.get("y1"))


def all_coordinates(root):
    """Every number that places something: coordinate attributes and polyline points."""
    for element in root.iter():
        for name, value in element.attrib.items():
            if name in COORDINATE_ATTRS:
                yield name, float(value)
        if element.tag == f"{NS}polyline":
            for pair in element.get("points").split():
                x, y = pair.split(",")
                yield "x", float(x)
                yield "y", float(y)


def assert_within_viewbox(root):
    assert root.get("viewBox") == f"0 0 {charts.WIDTH} {charts.HEIGHT}"
    for name, value in all_coordinates(root):
        limit = charts.WIDTH if name.startswith(("x", "cx")) else charts.HEIGHT
        assert 0 <= value <= limit, (name, value)


def test_valid_svg_with_accessible_name_and_no_style_or_script():
    svg = render([(date(2026, 1, 15), 10), (date(2026, 2, 15), 40)])
    root = parse(svg)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title.text == "Check-ins"
    assert desc.text == "The values over time."
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "style" not in svg and "<script" not in svg
    assert not any("style" in el.attrib for el in root.iter())


def test_text_is_escaped():
    svg = render(
        [(date(2026, 1, 15), 1)],
        title='NPS på <X> & "Y"',
        description="</desc><script>alert(1)</script>",
        format_date=lambda d: "<b>",
        format_value=lambda v: "&",
        chart_id='x" onload="bad',
    )
    root = parse(svg)
    assert root.find(f"{NS}title").text == 'NPS på <X> & "Y"'
    assert root.find(f"{NS}desc").text == "</desc><script>alert(1)</script>"
    assert "<script" not in svg and "<b>" not in svg
    assert not any(name.startswith("on") for el in root.iter() for name in el.attrib)


def test_points_are_placed_inside_the_plot_area():
    points = [
        (date(2026, 1, 1) + timedelta(days=10 * i), v) for i, v in enumerate([5, 20, 35, 60, 90])
    ]
    root = parse(render(points))
    left, top, right, bottom = plot_box(root)
    circles = find_all(root, "circle")
    assert len(circles) == 5
    xs = [float(c.get("cx")) for c in circles]
    ys = [float(c.get("cy")) for c in circles]
    for x, y in zip(xs, ys, strict=True):
        assert left <= x <= right and top <= y <= bottom
    assert xs == sorted(xs)  # later check-ins further right
    assert ys == sorted(ys, reverse=True)  # higher values higher up (smaller y)
    line = root.find(f".//{NS}polyline")
    assert len(line.get("points").split()) == 5


def test_points_sorted_by_time_and_datetimes_accepted():
    points = [(datetime(2026, 2, 1, 12, 0), Decimal("30")), (date(2026, 1, 10), Decimal("10"))]
    root = parse(render(points))
    xs = [float(c.get("cx")) for c in find_all(root, "circle")]
    ys = [float(c.get("cy")) for c in find_all(root, "circle")]
    assert xs == sorted(xs)
    assert ys[0] > ys[1]  # 10 first (lower), then 30


def test_decreasing_metric_is_drawn_falling_towards_its_target():
    # Churn 15 -> 5: the pace line falls, the target is the lowest line.
    root = parse(
        render(
            [(date(2026, 2, 1), 12)],
            start=15,
            target=5,
            direction="decrease",
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
    )
    assert "chart-decrease" in root.get("class")
    expected = root.find(f".//{NS}line[@class='chart-expected']")
    assert float(expected.get("y1")) < float(expected.get("y2"))  # starts high, ends low
    assert float(expected.get("x1")) < float(expected.get("x2"))
    target = root.find(f".//{NS}line[@class='chart-target']")
    assert float(target.get("y1")) == float(expected.get("y2"))
    point = find_all(root, "circle")[0]
    assert float(expected.get("y1")) < float(point.get("cy")) < float(target.get("y1"))
    # 12 of 15 -> 5 by 1 Feb is ahead of pace: not flagged.
    assert "is-behind" not in point.get("class")


def test_point_behind_pace_is_flagged_for_both_directions():
    late = date(2026, 3, 15)  # nearly the end of Q1
    up = parse(render([(late, 10)], start=0, target=100))
    down = parse(render([(late, 14)], start=15, target=5, direction="decrease"))
    assert "is-behind" in find_all(up, "circle")[0].get("class")
    assert "is-behind" in find_all(down, "circle")[0].get("class")
    ahead = parse(render([(late, 6)], start=15, target=5, direction="decrease"))
    assert "is-behind" not in find_all(ahead, "circle")[0].get("class")


def test_empty_history_draws_axes_pace_and_a_message():
    svg = render([], empty_text="No check-ins yet")
    root = parse(svg)
    assert not find_all(root, "circle")
    assert root.find(f".//{NS}polyline") is None
    assert root.find(f".//{NS}line[@class='chart-expected']") is not None
    assert root.find(f".//{NS}text[@class='chart-empty']").text == "No check-ins yet"
    assert_within_viewbox(root)


def test_pending_target_draws_values_but_no_target_or_pace():
    root = parse(render([(date(2026, 1, 20), 31), (date(2026, 2, 20), 35)], target=None))
    assert root.find(f".//{NS}line[@class='chart-target']") is None
    assert root.find(f".//{NS}line[@class='chart-expected']") is None
    assert len(find_all(root, "circle")) == 2
    assert not any("is-behind" in c.get("class") for c in find_all(root, "circle"))


def test_axis_labels_come_from_the_callables():
    root = parse(
        render(
            [(date(2026, 1, 20), 50)],
            format_date=lambda d: f"D{d:%m%d}",
            format_value=lambda v: f"V{v:g}",
        )
    )
    labels = [t.text for t in find_all(root, "text")]
    assert "D0101" in labels and "D0331" in labels
    assert "V0" in labels and "V100" in labels


def test_milestone_is_a_step_chart_of_progress():
    points = [(date(2026, 1, 20), 0.0), (date(2026, 2, 10), 0.5), (date(2026, 3, 1), 1.0)]
    root = parse(render(points, start=0, target=1, milestone=True, today=date(2026, 3, 20)))
    assert "chart-milestone" in root.get("class")
    pairs = [
        tuple(map(float, p.split(","))) for p in root.find(f".//{NS}polyline").get("points").split()
    ]
    # Each segment is horizontal or vertical.
    for (x0, y0), (x1, y1) in zip(pairs, pairs[1:], strict=False):
        assert x0 == x1 or y0 == y1
    labels = [t.text for t in find_all(root, "text")]
    assert "0 %" in labels and "100 %" in labels
    assert root.find(f".//{NS}line[@class='chart-today']") is not None
    assert_within_viewbox(root)


def test_values_outside_period_and_equal_values_stay_inside():
    points = [(date(2025, 12, 1), 7), (date(2026, 5, 1), 7)]
    root = parse(render(points, start=7, target=None))
    assert_within_viewbox(root)
    left, top, right, bottom = plot_box(root)
    for c in find_all(root, "circle"):
        assert left <= float(c.get("cx")) <= right and top <= float(c.get("cy")) <= bottom


finite = st.floats(allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.tuples(st.dates(), finite), max_size=20),
    start=st.none() | finite,
    target=st.none() | finite,
    period=st.tuples(st.dates(), st.dates()),
    milestone=st.booleans(),
    today=st.none() | st.dates(),
)
def test_any_finite_values_give_well_formed_svg_within_the_viewbox(
    values, start, target, period, milestone, today
):
    svg = charts.check_in_chart(
        values,
        start=start,
        target=target,
        period_start=period[0],
        period_end=period[1],
        title="t",
        milestone=milestone,
        today=today,
    )
    root = parse(svg)
    assert_within_viewbox(root)
    assert len(find_all(root, "circle")) == len(values)
    assert not re.search(r"nan|inf", " ".join(v for _n, v in all_coordinates_raw(root)), re.I)


def all_coordinates_raw(root):
    for element in root.iter():
        for name, value in element.attrib.items():
            if name in COORDINATE_ATTRS or name == "points":
                yield name, value
