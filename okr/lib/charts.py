"""The check-in history chart of a key result, as an SVG string.

Pure: plain values in, a string out; no Django imports, so it can be
unit-tested (and property-tested) without settings. The caller localises
every text: it passes the title, the description and the callables that
format the axis labels (dates and values).

What is drawn
-------------
* A metric: the check-in values as a line with a dot per check-in, the
  target as a horizontal line, and the expected pace as a straight line from
  ``(period_start, start)`` to ``(period_end, target)``, or, when ``pace``
  is given (``okr.lib.progress.pace_line``: it bends at the quarterly
  steps), as a line through those corners. The y axis always
  runs from low values at the bottom to high values at the top, so a
  decreasing metric ("lower is better", churn 15 -> 5) has a pace line that
  falls from left to right. A pending target (``None``) draws neither the
  target nor the pace line.
* A milestone (``milestone=True``): the points are progress values 0..1,
  drawn as a step chart on a fixed 0..1 axis.
* ``direction`` ("increase" or "decrease") only adds a class to the SVG:
  the maths measures progress along the way from start to target, which
  holds for both.
* A dot that lags the expected pace by more than ``tolerance`` of the way
  from start to target gets the class ``is-behind``; ``bar_share`` (0.7
  for an aspirational key result) scales the pace first, as the engine's
  verdict does, so a dot is "behind" exactly when the verdict was then.

The SVG has a fixed ``viewBox``, ``width="100%"`` (it scales with its
container), ``role="img"`` with ``<title>`` and ``<desc>`` referenced by
``aria-labelledby``. There are no ``style`` attributes and no scripts (the
pages run under a strict Content Security Policy): colours are presentation
attributes, and every element has a class that CSS may override. Every
coordinate is clamped into the ``viewBox``, whatever the input values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from html import escape
from typing import SupportsFloat

__all__ = ["HEIGHT", "WIDTH", "check_in_chart"]

Number = int | float | Decimal | SupportsFloat

#: The fixed viewBox: ``0 0 WIDTH HEIGHT``.
WIDTH = 480
HEIGHT = 240

_TOP = 12.0
_RIGHT = 14.0
_BOTTOM = 26.0  # room for the date labels
_FONT_SIZE = 13
_CHAR_WIDTH = 9.0  # a label character at up to 16px (CSS may enlarge labels on phones)
_X_TICKS = 4

_COLOURS = {
    "grid": "#e5e7eb",
    "axis": "#9ca3af",
    "label": "#4b5563",
    "line": "#1d4ed8",
    "behind": "#b45309",
    "expected": "#6b7280",
    "target": "#166534",
    "today": "#d97706",
}


@dataclass(frozen=True)
class _Box:
    left: float
    top: float
    right: float
    bottom: float

    def x(self, fraction: float) -> float:
        return self.left + _clamp01(fraction) * (self.right - self.left)

    def y(self, fraction: float) -> float:
        return self.bottom - _clamp01(fraction) * (self.bottom - self.top)


# --- Numbers ---------------------------------------------------------------------


def _clamp01(value: float) -> float:
    if value != value:  # NaN
        return 0.0
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


def _finite(value: Number | None) -> float | None:
    if value is None:
        return None
    try:
        result = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return result if math.isfinite(result) else None


def _fraction(value: float, low: float, high: float) -> float:
    """Where ``value`` lies between ``low`` and ``high``, 0..1; overflow-safe."""
    span = high / 2 - low / 2  # halves: finite for any two finite floats
    if not span > 0:
        return 0.5
    return _clamp01((value / 2 - low / 2) / span)


def _day_number(when: date) -> float:
    """Days since 0001-01-01 as a float (a datetime's wall-clock time is kept)."""
    number = float(when.toordinal())
    if isinstance(when, datetime):
        seconds = when.hour * 3600 + when.minute * 60 + when.second + when.microsecond / 1e6
        number += seconds / 86400.0
    return number


def _date_of(day_number: float) -> date:
    ordinal = int(round(day_number))
    return date.fromordinal(min(max(ordinal, 1), date.max.toordinal()))


def _value_range(values: list[float]) -> tuple[float, float]:
    """A finite ``low < high`` that contains every value (some room when they are equal)."""
    if not values:
        return 0.0, 1.0
    low, high = min(values), max(values)
    if high > low and (high / 2 - low / 2) > 0:
        return low, high
    centre = low
    delta = abs(centre) * 0.1 or 1.0
    low, high = centre - delta, centre + delta
    if not math.isfinite(high):
        low, high = centre - 2 * delta, centre
    if not math.isfinite(low):
        low, high = centre, centre + 2 * delta
    return low, high


def _nice_step(raw: float) -> float | None:
    if not (raw > 0 and math.isfinite(raw)):
        return None
    base = 10.0 ** math.floor(math.log10(raw))
    if not (base > 0 and math.isfinite(base)):
        return None
    for multiple in (1.0, 2.0, 2.5, 5.0, 10.0):
        step = multiple * base
        if raw <= step * (1 + 1e-9):
            return step if math.isfinite(step) else None
    return None


def _value_ticks(low: float, high: float) -> tuple[float, float, list[float]]:
    """Round axis bounds and 3 to 6 evenly spaced ticks between them."""
    step = _nice_step((high / 2 - low / 2) / 2)  # about a quarter of the span
    if step is not None:
        nice_low = math.floor(low / step) * step
        nice_high = math.ceil(high / step) * step
        if math.isfinite(nice_low) and math.isfinite(nice_high) and nice_high > nice_low:
            count = nice_high / step - nice_low / step
            if math.isfinite(count) and 1 <= round(count) <= 10:
                ticks = []
                for i in range(round(count) + 1):
                    tick = nice_low + i * step
                    ticks.append(0.0 if abs(tick) < step * 1e-9 else tick)
                return nice_low, nice_high, ticks
    return low, high, [low, high]


def _fmt(number: float) -> str:
    return f"{number:.1f}"


# --- Markup ------------------------------------------------------------------------


def _attrs(**attributes) -> str:
    parts = []
    for name, value in attributes.items():
        if value is None:
            continue
        parts.append(f'{name.rstrip("_").replace("_", "-")}="{escape(str(value), quote=True)}"')
    return " ".join(parts)


def _element(tag: str, text: str | None = None, **attributes) -> str:
    attrs = _attrs(**attributes)
    opening = f"<{tag} {attrs}" if attrs else f"<{tag}"
    if text is None:
        return f"{opening}/>"
    return f"{opening}>{escape(text, quote=False)}</{tag}>"


def _safe_id(text: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_-]", "-", text or "")
    return cleaned if cleaned[:1].isalpha() else f"chart-{cleaned}"


def _iso(day: date) -> str:
    return day.isoformat()


def _plain(value: float) -> str:
    return f"{value:.6g}"


def _percent(value: float) -> str:
    return f"{round(value * 100)} %"


# --- The chart -------------------------------------------------------------------------


def check_in_chart(
    points: Iterable[tuple[date, Number | None]],
    *,
    start: Number | None,
    target: Number | None,
    period_start: date,
    period_end: date,
    title: str,
    description: str = "",
    direction: str = "increase",
    milestone: bool = False,
    format_date: Callable[[date], str] = _iso,
    format_value: Callable[[float], str] | None = None,
    today: date | None = None,
    empty_text: str = "",
    chart_id: str = "check-in-chart",
    tolerance: float = 0.1,
    pace: Iterable[tuple[date, Number]] | None = None,
    bar_share: float = 1.0,
) -> str:
    """Render the check-in history as an SVG string (see the module docstring).

    ``points`` are ``(date or datetime, value)`` pairs in any order; a value
    that is ``None`` or not finite is left out. For a milestone the values
    are progress 0..1 and ``start``/``target`` (usually 0 and 1) place the
    expected-pace line. ``format_date`` gets a ``date``, ``format_value`` a
    float (an axis tick). ``today`` (optional) draws a vertical marker.
    """
    format_value = format_value or (_percent if milestone else _plain)
    base_id = _safe_id(chart_id)
    title_id, desc_id = f"{base_id}-title", f"{base_id}-desc"

    data = sorted(
        ((_day_number(when), value) for when, raw in points if (value := _finite(raw)) is not None),
        key=lambda point: point[0],
    )
    if milestone:
        data = [(x, _clamp01(v)) for x, v in data]
    s, t = _finite(start), _finite(target)
    corners = sorted(
        (
            (_day_number(when), value)
            for when, raw in pace or ()
            if (value := _finite(raw)) is not None
        ),
        key=lambda point: point[0],
    )

    # x range: the period, widened to any check-in outside it.
    period_low, period_high = sorted((_day_number(period_start), _day_number(period_end)))
    x_low = min([period_low] + [x for x, _v in data])
    x_high = max([period_high] + [x for x, _v in data])
    if x_high <= x_low:
        x_high = x_low + 1.0

    # y range: every value, the start and the target.
    if milestone:
        y_low, y_high, y_ticks = 0.0, 1.0, [0.0, 0.25, 0.5, 0.75, 1.0]
    else:
        known = [v for _x, v in data] + [v for v in (s, t) if v is not None]
        y_low, y_high, y_ticks = _value_ticks(*_value_range(known))
    y_labels = [(tick, format_value(tick)) for tick in y_ticks]

    longest = max((len(label) for _tick, label in y_labels), default=1)
    left = min(max(10.0 + longest * _CHAR_WIDTH, 36.0), WIDTH / 3)
    box = _Box(left=left, top=_TOP, right=WIDTH - _RIGHT, bottom=HEIGHT - _BOTTOM)

    def px(day: float) -> float:
        return box.x(_fraction(day, x_low, x_high))

    def py(value: float) -> float:
        return box.y(_fraction(value, y_low, y_high))

    out: list[str] = [
        "<svg "
        + _attrs(
            xmlns="http://www.w3.org/2000/svg",
            class_=f"chart chart-{'milestone' if milestone else _direction_class(direction)}",
            viewBox=f"0 0 {WIDTH} {HEIGHT}",
            width="100%",
            preserveAspectRatio="xMidYMid meet",
            role="img",
            aria_labelledby=f"{title_id} {desc_id}",
        )
        + ">",
        _element("title", title, id=title_id),
        _element("desc", description, id=desc_id),
    ]

    # Grid and value labels.
    out.append(f'<g class="chart-grid" stroke="{_COLOURS["grid"]}" stroke-width="1">')
    for tick, _label in y_labels:
        y = _fmt(py(tick))
        out.append(_element("line", x1=_fmt(box.left), y1=y, x2=_fmt(box.right), y2=y))
    out.append("</g>")
    out.append(
        f'<g class="chart-labels" fill="{_COLOURS["label"]}" font-size="{_FONT_SIZE}" '
        'font-family="system-ui, sans-serif">'
    )
    for tick, label in y_labels:
        out.append(
            _element("text", label, x=_fmt(box.left - 6), y=_fmt(py(tick) + 4), text_anchor="end")
        )
    # Date labels: evenly spaced over the x range, first and last flush with the plot.
    previous = None
    for i in range(_X_TICKS):
        day = _date_of(x_low + (x_high - x_low) * i / (_X_TICKS - 1))
        if day == previous:
            continue
        previous = day
        anchor = "start" if i == 0 else "end" if i == _X_TICKS - 1 else "middle"
        x = box.left + (box.right - box.left) * i / (_X_TICKS - 1)
        out.append(
            _element("text", format_date(day), x=_fmt(x), y=_fmt(HEIGHT - 8), text_anchor=anchor)
        )
    out.append("</g>")
    out.append(
        _element(
            "line",
            class_="chart-axis",
            x1=_fmt(box.left),
            y1=_fmt(box.bottom),
            x2=_fmt(box.right),
            y2=_fmt(box.bottom),
            stroke=_COLOURS["axis"],
            stroke_width="1",
        )
    )

    if today is not None:
        day = _day_number(today)
        if x_low <= day <= x_high:
            x = _fmt(px(day))
            out.append(
                _element(
                    "line",
                    class_="chart-today",
                    x1=x,
                    y1=_fmt(box.top),
                    x2=x,
                    y2=_fmt(box.bottom),
                    stroke=_COLOURS["today"],
                    stroke_width="1",
                    stroke_dasharray="2 3",
                )
            )

    if t is not None:
        y = _fmt(py(t))
        out.append(
            _element(
                "line",
                class_="chart-target",
                x1=_fmt(box.left),
                y1=y,
                x2=_fmt(box.right),
                y2=y,
                stroke=_COLOURS["target"],
                stroke_width="1.5",
                stroke_dasharray="2 4",
            )
        )
    if s is not None and t is not None and len(corners) > 2:
        out.append(
            _element(
                "polyline",
                class_="chart-expected chart-expected-steps",
                points=" ".join(f"{_fmt(px(x))},{_fmt(py(v))}" for x, v in corners),
                fill="none",
                stroke=_COLOURS["expected"],
                stroke_width="1.5",
                stroke_dasharray="6 4",
            )
        )
    elif s is not None and t is not None:
        out.append(
            _element(
                "line",
                class_="chart-expected",
                x1=_fmt(px(_day_number(period_start))),
                y1=_fmt(py(s)),
                x2=_fmt(px(_day_number(period_end))),
                y2=_fmt(py(t)),
                stroke=_COLOURS["expected"],
                stroke_width="1.5",
                stroke_dasharray="6 4",
            )
        )

    if data:
        if milestone:
            line = _step_points(data, period_low, today, px, py, x_high)
        else:
            line = [(px(x), py(v)) for x, v in data]
        if len(line) > 1:
            out.append(
                _element(
                    "polyline",
                    class_="chart-line",
                    points=" ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in line),
                    fill="none",
                    stroke=_COLOURS["line"],
                    stroke_width="2.5",
                    stroke_linejoin="round",
                )
            )
        out.append('<g class="chart-points">')
        for x, v in data:
            behind = _is_behind(x, v, s, t, period_low, period_high, tolerance, corners, bar_share)
            out.append(
                _element(
                    "circle",
                    class_="chart-point is-behind" if behind else "chart-point",
                    cx=_fmt(px(x)),
                    cy=_fmt(py(v)),
                    r="4",
                    fill=_COLOURS["behind"] if behind else _COLOURS["line"],
                    stroke="#fff",
                    stroke_width="1.5",
                )
            )
        out.append("</g>")
    elif empty_text:
        out.append(
            _element(
                "text",
                empty_text,
                class_="chart-empty",
                x=_fmt((box.left + box.right) / 2),
                y=_fmt((box.top + box.bottom) / 2),
                text_anchor="middle",
                fill=_COLOURS["label"],
                font_size=str(_FONT_SIZE + 2),
                font_family="system-ui, sans-serif",
            )
        )
    out.append("</svg>")
    return "".join(out)


def _direction_class(direction: str) -> str:
    return "decrease" if direction == "decrease" else "increase"


def _step_points(data, period_low, today, px, py, x_high) -> list[tuple[float, float]]:
    """A step line: progress holds until the next check-in, then jumps."""
    first_x = data[0][0]
    line: list[tuple[float, float]] = []
    level = 0.0
    if period_low < first_x:
        line.append((px(period_low), py(0.0)))
    for x, v in data:
        if line:
            line.append((px(x), py(level)))
        line.append((px(x), py(v)))
        level = v
    if today is not None:
        end = min(_day_number(today), x_high)
        if end > data[-1][0]:
            line.append((px(end), py(level)))
    return line


def _is_behind(
    day: float,
    value: float,
    start: float | None,
    target: float | None,
    period_low: float,
    period_high: float,
    tolerance: float,
    corners: list[tuple[float, float]] = (),  # type: ignore[assignment]
    bar_share: float = 1.0,
) -> bool:
    """Is a check-in more than ``tolerance`` (of the way) behind the bar on its day?

    The bar is the expected pace (through ``corners`` when given, else
    linear over the period) times ``bar_share``. Progress is measured along
    the way from start to target, so the same test holds for "higher is
    better" and "lower is better" metrics.
    """
    if start is None or target is None:
        return False
    half_span = target / 2 - start / 2
    if half_span == 0:
        return False
    if len(corners) > 2:
        expected = _clamp01((_along(corners, day) / 2 - start / 2) / half_span)
    else:
        expected = _fraction(day, period_low, period_high) if period_high > period_low else 1.0
    # Progress along the way from start to target (overflow-safe, unclamped below).
    progress = (value / 2 - start / 2) / half_span
    return progress < expected * bar_share - tolerance - 1e-9


def _along(corners: list[tuple[float, float]], day: float) -> float:
    """The pace line's value on ``day``: piecewise linear through the corners, flat outside them."""
    if day <= corners[0][0]:
        return corners[0][1]
    for (x0, v0), (x1, v1) in zip(corners, corners[1:], strict=False):
        if day <= x1:
            return v1 if x1 <= x0 else v0 + (v1 - v0) * (day - x0) / (x1 - x0)
    return corners[-1][1]
