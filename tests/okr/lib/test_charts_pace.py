"""The chart's expected-pace line follows the engine's pace line (quarterly steps bend it).

Pure: the SVG from okr.lib.charts with the corners of okr.lib.progress.pace_line.
"""

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from decimal import Decimal

from okr.lib import charts
from okr.lib import progress as engine

NS = "{http://www.w3.org/2000/svg}"
YEAR = (date(2026, 1, 1), date(2026, 12, 31))
ENDS = (date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31))
DPAB = engine.KeyResultFacts(
    period_start=YEAR[0],
    period_end=YEAR[1],
    start=Decimal(0),
    target=Decimal(20),
    commitment="committed",
    steps=tuple(engine.Step(end, Decimal(v)) for end, v in zip(ENDS, (2, 6, 12, 20), strict=True)),
)


def chart(points, facts=DPAB, **kwargs):
    pace = [(p.on, p.value) for p in engine.pace_line(facts)]
    svg = charts.check_in_chart(
        points,
        start=facts.start,
        target=facts.target,
        period_start=facts.period_start,
        period_end=facts.period_end,
        title="20MSEK",
        pace=pace,
        **kwargs,
    )
    return ET.fromstring(svg)  # noqa: S314 - our own output


def test_the_pace_line_bends_at_every_step():
    root = chart([(date(2026, 5, 4), 3)])
    line = root.find(f".//{NS}polyline[@class='chart-expected chart-expected-steps']")
    assert line is not None
    corners = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
    assert len(corners) == 5  # the start and the four quarter ends
    xs = [x for x, _y in corners]
    assert xs == sorted(xs)
    # Q1 is a shallow step (2 of 20), Q4 a steep one (8 of 20): the line is not straight.
    slope_q1 = (corners[1][1] - corners[0][1]) / (corners[1][0] - corners[0][0])
    slope_q4 = (corners[4][1] - corners[3][1]) / (corners[4][0] - corners[3][0])
    assert abs(slope_q4) > 3 * abs(slope_q1)
    assert root.find(f".//{NS}line[@class='chart-expected']") is None


def test_without_steps_the_pace_is_a_straight_line():
    root = chart(
        [(date(2026, 5, 4), 3)],
        facts=engine.KeyResultFacts(period_start=YEAR[0], period_end=YEAR[1], start=0, target=20),
    )
    assert root.find(f".//{NS}line[@class='chart-expected']") is not None
    assert root.find(f".//{NS}polyline[@class='chart-expected chart-expected-steps']") is None


def dot_is_behind(root) -> bool:
    (dot,) = root.findall(f".//{NS}circle")
    return "is-behind" in dot.get("class")


def test_a_dot_is_behind_exactly_when_the_verdict_was():
    # 3 MSEK on 4 May: the steps expect about 3.7 (on track); a straight line 6.8 (behind).
    assert not dot_is_behind(chart([(date(2026, 5, 4), 3)]))
    # 1 MSEK on 20 Sep: the steps expect about 11.8: behind for the committed key result.
    assert dot_is_behind(chart([(date(2026, 9, 20), 1)]))
    day, value = date(2026, 9, 20), Decimal(7)
    committed = engine.key_result_status(replace(DPAB, current=value), on=day)
    assert committed.behind is dot_is_behind(chart([(day, value)]))
    aspirational = engine.key_result_status(
        replace(DPAB, current=value, commitment="aspirational"), on=day
    )
    assert aspirational.behind is dot_is_behind(
        chart([(day, value)], bar_share=engine.ASPIRATIONAL_PACE)
    )
    assert committed.behind and not aspirational.behind
