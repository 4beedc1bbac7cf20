"""The biweekly review's maths: where a key result stood at a moment, what changed since
the last review, team roll-ups, the at-risk ordering and the delta chart. Pure.

No Django imports: plain values in, plain values (and an SVG string) out. The
selectors read the rows and call these; the services freeze the results.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from html import escape

from okr.lib import progress as maths

CONFIDENCE_RANK = {"on_track": 0, "at_risk": 1, "off_track": 2}
AT_RISK = frozenset({"at_risk", "off_track"})


@dataclass(frozen=True)
class Point:
    """A check-in reduced to what progress needs (the latest one at some moment)."""

    value: Decimal | None = None
    done: bool | None = None
    steps_done: int | None = None
    confidence: str = ""
    at: datetime | None = None


@dataclass(frozen=True)
class State:
    """Where a key result stood at a moment."""

    progress: float | None
    value: Decimal | None = None
    done: bool | None = None
    confidence: str = ""
    last_check_in_at: datetime | None = None


def state_at(
    *,
    kind: str,
    start: Decimal | None,
    target: Decimal | None,
    steps_total: int | None,
    point: Point | None,
) -> State:
    """The state of a key result given its latest check-in at a moment (None: none yet).

    A metric without a check-in stands at its start (progress 0, or None while
    the target is pending); a milestone without one is not done.
    """
    if kind == "milestone":
        done = bool(point.done) if point is not None and point.done is not None else False
        steps = point.steps_done if point is not None else None
        return State(
            progress=maths.measure(
                kind=kind,
                start=None,
                target=None,
                current=None,
                done=done,
                steps_done=steps,
                steps_total=steps_total,
            ),
            done=done,
            confidence=point.confidence if point else "",
            last_check_in_at=point.at if point else None,
        )
    value = point.value if point is not None and point.value is not None else None
    return State(
        progress=maths.measure(kind=kind, start=start, target=target, current=value),
        value=value,
        confidence=point.confidence if point else "",
        last_check_in_at=point.at if point else None,
    )


def progress_delta(before: float | None, now: float | None) -> float | None:
    """Change in progress (fraction, may be negative); None when either side is unknown."""
    if before is None or now is None:
        return None
    return now - before


def confidence_change(before: str, now: str) -> str:
    """'better', 'worse', 'same', 'new' (no confidence before) or 'none' (none now)."""
    if not now:
        return "none"
    if not before:
        return "new"
    b, n = CONFIDENCE_RANK.get(before), CONFIDENCE_RANK.get(now)
    if b is None or n is None or b == n:
        return "same"
    return "worse" if n > b else "better"


def checked_in_since(last_check_in_at: datetime | None, since: datetime | None) -> bool:
    """Whether a check-in happened after the last review began (``since``)."""
    if last_check_in_at is None:
        return False
    return since is None or last_check_in_at >= since


def is_at_risk(confidence: str) -> bool:
    return confidence in AT_RISK


@dataclass
class Row:
    """One key result in a review: now and at the last review."""

    key: object
    team_key: object
    objective_key: object
    weight: float
    now: State
    before: State | None
    since: datetime | None
    expects_check_in: bool = True
    order: tuple = ()
    payload: object = None

    @property
    def delta(self) -> float | None:
        return progress_delta(self.before.progress if self.before else None, self.now.progress)

    @property
    def confidence_before(self) -> str:
        return self.before.confidence if self.before else ""

    @property
    def confidence_change(self) -> str:
        return confidence_change(self.confidence_before, self.now.confidence)

    @property
    def checked_in(self) -> bool:
        return checked_in_since(self.now.last_check_in_at, self.since)

    @property
    def missing_check_in(self) -> bool:
        return self.expects_check_in and not self.checked_in

    @property
    def at_risk(self) -> bool:
        return is_at_risk(self.now.confidence)


def at_risk_first(rows: Iterable[Row]) -> list[Row]:
    """The at-risk list: off track first, then at risk; within each, the biggest drop first."""
    risky = [r for r in rows if r.at_risk]
    return sorted(
        risky,
        key=lambda r: (
            -CONFIDENCE_RANK[r.now.confidence],
            r.delta if r.delta is not None else math.inf,
            r.order,
        ),
    )


def objective_progresses(rows: Sequence[Row], attr: str) -> dict:
    """Objective key -> weighted mean progress of its rows (``attr``: 'now' or 'before')."""
    parts: dict[object, list[tuple[float | None, float]]] = {}
    for row in rows:
        state = getattr(row, attr)
        parts.setdefault(row.objective_key, []).append(
            (state.progress if state is not None else None, row.weight)
        )
    return {key: maths.objective_progress(items) for key, items in parts.items()}


def mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


@dataclass
class TeamSummary:
    key: object
    rows: list[Row] = field(default_factory=list)

    @property
    def progress(self) -> float | None:
        return mean(objective_progresses(self.rows, "now").values())

    @property
    def previous_progress(self) -> float | None:
        return mean(objective_progresses(self.rows, "before").values())

    @property
    def delta(self) -> float | None:
        return progress_delta(self.previous_progress, self.progress)

    @property
    def at_risk(self) -> int:
        return sum(1 for r in self.rows if r.now.confidence == "at_risk")

    @property
    def off_track(self) -> int:
        return sum(1 for r in self.rows if r.now.confidence == "off_track")

    @property
    def without_check_in(self) -> int:
        return sum(1 for r in self.rows if r.missing_check_in)


def by_team(rows: Iterable[Row]) -> list[TeamSummary]:
    """Rows grouped by team, in the order the teams first appear."""
    teams: dict[object, TeamSummary] = {}
    for row in rows:
        teams.setdefault(row.team_key, TeamSummary(row.team_key)).rows.append(row)
    return list(teams.values())


# --- The delta chart -------------------------------------------------------------------

WIDTH = 640
_ROW = 44
_LABEL_W = 200
_BAR_H = 12
_PAD = 10
_COLOURS = {
    "before": "#9ca3af",
    "now": "#1d4ed8",
    "up": "#166534",
    "down": "#b91c1c",
    "same": "#4b5563",
    "grid": "#e5e7eb",
    "label": "#1f2937",
}


def _clamp01(value: float | None) -> float:
    if value is None or value != value:
        return 0.0
    return 0.0 if value < 0 else 1.0 if value > 1 else value


def _finite(value) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _short(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def format_delta(delta: float | None) -> str:
    """'+12 pp', '−3 pp', '±0 pp' or '–' (percentage points, rounded)."""
    if delta is None:
        return "–"
    points = round(delta * 100)
    if points == 0:
        return "±0 pp"
    return f"+{points} pp" if points > 0 else f"−{abs(points)} pp"


def delta_chart(
    items: Sequence[tuple[str, float | None, float | None]],
    *,
    title: str,
    description: str,
    chart_id: str = "delta-chart",
    format_change: Callable[[float | None], str] = format_delta,
) -> str:
    """Bars per item: progress at the last review (grey) and now (blue), with the change.

    ``items`` are ``(label, before, now)`` with progress 0..1 or None. The SVG
    scales with its container (viewBox), is an ``img`` with a title and a
    description, and uses presentation attributes only (strict CSP).
    """
    safe_id = "".join(c if c.isalnum() or c in "-_" else "-" for c in chart_id) or "delta-chart"
    height = _PAD * 2 + max(1, len(items)) * _ROW + 18
    plot_left = _LABEL_W
    plot_right = WIDTH - 70
    span = plot_right - plot_left

    def x(fraction: float | None) -> float:
        return plot_left + _clamp01(fraction) * span

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="delta-chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-labelledby="{safe_id}-title {safe_id}-desc">',
        f'<title id="{safe_id}-title">{escape(title)}</title>',
        f'<desc id="{safe_id}-desc">{escape(description)}</desc>',
    ]
    # Grid at 0, 25, 50, 75 and 100 %.
    out.append(f'<g class="delta-grid" stroke="{_COLOURS["grid"]}" stroke-width="1">')
    for i in range(5):
        gx = plot_left + span * i / 4
        out.append(f'<line x1="{gx:.1f}" y1="{_PAD}" x2="{gx:.1f}" y2="{height - 18}"/>')
    out.append("</g>")
    out.append(f'<g class="delta-axis" fill="{_COLOURS["same"]}" font-size="11">')
    for i in range(5):
        gx = plot_left + span * i / 4
        out.append(f'<text x="{gx:.1f}" y="{height - 4}" text-anchor="middle">{i * 25} %</text>')
    out.append("</g>")
    for index, (label, before, now) in enumerate(items):
        before, now = (None if v is None else _clamp01(v) for v in (_finite(before), _finite(now)))
        top = _PAD + index * _ROW
        delta = progress_delta(before, now)
        colour = (
            _COLOURS["same"]
            if delta is None or round(delta * 100) == 0
            else _COLOURS["up"]
            if delta > 0
            else _COLOURS["down"]
        )
        trend = (
            "same" if colour == _COLOURS["same"] else ("up" if colour == _COLOURS["up"] else "down")
        )
        out.append(f'<g class="delta-row delta-{trend}">')
        out.append(
            f'<text class="delta-label" x="{plot_left - 8}" y="{top + _BAR_H + 6}" '
            f'text-anchor="end" font-size="13" fill="{_COLOURS["label"]}">{escape(_short(label))}</text>'
        )
        if before is not None:
            out.append(
                f'<rect class="delta-before" x="{plot_left}" y="{top + 2}" '
                f'width="{x(before) - plot_left:.1f}" height="{_BAR_H}" fill="{_COLOURS["before"]}"/>'
            )
        if now is not None:
            out.append(
                f'<rect class="delta-now" x="{plot_left}" y="{top + _BAR_H + 6}" '
                f'width="{x(now) - plot_left:.1f}" height="{_BAR_H}" fill="{_COLOURS["now"]}"/>'
            )
        out.append(
            f'<text class="delta-value" x="{plot_right + 6}" y="{top + _BAR_H + 6}" '
            f'font-size="13" font-weight="700" fill="{colour}">{escape(format_change(delta))}</text>'
        )
        out.append("</g>")
    out.append("</svg>")
    return "".join(out)
