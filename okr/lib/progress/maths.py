"""The primitive maths of progress, pace and scores: one number from a few plain values.

Pure functions over plain values (ints, floats, ``Decimal``, dates); no Django
imports, so the rules can be unit-tested without settings. The engine
(``okr.lib.progress.engine``) composes these into the numbers every page,
e-mail, export and API field shows; callers should ask the engine rather
than combine these themselves.

Conventions
-----------
* A *progress* value is a float in 0.0..1.0, or ``None`` when nothing can be
  measured yet (e.g. a key result whose target is pending, "NPS på X").
* A metric moves from ``start`` to ``target``; the target may be lower than
  the start ("lower is better", churn 15 -> 5) and the same formula works.
* A *score* is the progress frozen at the end of a quarter, shown with one
  decimal (0.0..1.0) and coloured red / yellow / green as the method teaches.
* Commitment is the string ``"committed"`` (100% expected; anything less is a
  miss) or ``"aspirational"`` (a stretch; about 0.7 counts as success).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal, SupportsFloat

__all__ = [
    "ASPIRATIONAL",
    "ASPIRATIONAL_SUCCESS",
    "COMMITTED",
    "GREEN_FROM",
    "YELLOW_FROM",
    "Colour",
    "Confidence",
    "confidence_from_pace",
    "expected_progress",
    "expected_progress_stepped",
    "expected_value",
    "is_aspirational_success",
    "is_behind_pace",
    "is_committed_miss",
    "metric_progress",
    "milestone_progress",
    "objective_progress",
    "round_score",
    "score_colour",
]

Number = int | float | Decimal | SupportsFloat
Colour = Literal["red", "yellow", "green"]
Confidence = Literal["on_track", "at_risk", "off_track"]

COMMITTED = "committed"
ASPIRATIONAL = "aspirational"

#: Lowest score that is yellow; below it is red (0.0-0.3 in the method).
YELLOW_FROM = 0.4
#: Lowest score that is green (0.7-1.0 in the method).
GREEN_FROM = 0.7
#: An aspirational key result at or above this score is a success.
ASPIRATIONAL_SUCCESS = 0.7

# Float noise guard for comparisons against band edges and 1.0: a score that
# was computed as 0.6999999999999999 is meant to be 0.7.
_EPS = 1e-9


def _clamp01(value: float) -> float:
    return 0.0 if value < 0.0 else 1.0 if value > 1.0 else value


def _to_float(value: Number | None) -> float | None:
    """Convert to float; ``None`` and non-finite values (NaN, inf) give ``None``."""
    if value is None:
        return None
    result = float(value)
    if not math.isfinite(result):
        return None
    return result


# ---------------------------------------------------------------------------
# Progress of a single key result
# ---------------------------------------------------------------------------


def metric_progress(
    start: Number | None, target: Number | None, current: Number | None
) -> float | None:
    """Progress of a metric key result, clamped to 0.0..1.0.

    ``(current - start) / (target - start)``; works for decreasing metrics
    (churn 15 -> 5 with current 10 gives 0.5). Moving past the target gives
    1.0, moving the wrong way gives 0.0.

    Returns ``None`` when the progress cannot be measured: the target is
    pending (``None``), there is no current value yet, the start is unknown,
    or a value is not finite.

    When ``target == start`` (a "hold the level" metric) there is no distance
    to travel and no direction: the progress is 1.0 when ``current`` equals the
    target (within float noise) and 0.0 otherwise.
    """
    s, t, c = _to_float(start), _to_float(target), _to_float(current)
    if s is None or t is None or c is None:
        return None
    span = t - s
    if span == 0.0:
        return 1.0 if math.isclose(c, t, rel_tol=1e-9, abs_tol=1e-12) else 0.0
    if not math.isfinite(span):
        # Start and target so far apart that t - s overflows: halve first.
        return _clamp01((c / 2 - s / 2) / (t / 2 - s / 2))
    return _clamp01((c - s) / span)  # c - s may overflow to +-inf: clamps right


def milestone_progress(
    done: bool, steps_done: int | None = None, steps_total: int | None = None
) -> float:
    """Progress of a milestone key result.

    1.0 when done. Otherwise 0.0, or ``steps_done / steps_total`` (clamped to
    0.0..1.0) when partial steps are tracked (``steps_total > 0``).
    """
    if done:
        return 1.0
    if steps_total is None or steps_total <= 0 or steps_done is None:
        return 0.0
    return _clamp01(steps_done / steps_total)


def objective_progress(
    items: Iterable[tuple[float | None, Number] | tuple[float | None] | float | None],
) -> float | None:
    """Weighted mean of the progress of an objective's key results.

    ``items`` are ``(progress, weight)`` pairs; a bare progress value or a
    1-tuple means weight 1. Key results whose progress is ``None`` (pending
    target, no check-in yet) are left out, and so are weights of 0. Progress
    values are clamped to 0.0..1.0. Returns ``None`` when nothing is
    measurable. A negative weight is a programming error (``ValueError``).

    The result always lies between the smallest and largest measured part.
    """
    total = 0.0
    weights = 0.0
    low, high = math.inf, -math.inf
    for item in items:
        if isinstance(item, tuple):
            progress = item[0]
            weight = 1.0 if len(item) < 2 else float(item[1])  # type: ignore[misc]
        else:
            progress, weight = item, 1.0
        p = _to_float(progress)
        if p is None:
            continue
        if not math.isfinite(weight) or weight < 0:
            raise ValueError(f"key result weight must be >= 0, got {weight!r}")
        if weight == 0:
            continue
        p = _clamp01(p)
        total += p * weight
        weights += weight
        low, high = min(low, p), max(high, p)
    if weights == 0:
        return None
    # Keep float rounding from pushing the mean just outside its parts.
    return min(max(total / weights, low), high)


# ---------------------------------------------------------------------------
# Expected pace
# ---------------------------------------------------------------------------


def _days_between(a: date, b: date) -> float:
    """Days from ``a`` to ``b`` (fractional when both are datetimes)."""
    if isinstance(a, datetime) != isinstance(b, datetime):
        # Mixing a date and a datetime: compare on the calendar date.
        a = a.date() if isinstance(a, datetime) else a
        b = b.date() if isinstance(b, datetime) else b
    return (b - a).total_seconds() / 86400.0


def expected_progress(period_start: date, period_end: date, on: date) -> float:
    """Where a key result should be on ``on`` if it moves linearly, 0.0..1.0.

    0.0 on (and before) ``period_start``, 1.0 on (and after) ``period_end``.
    A period whose end is not after its start is 0.0 before the end and 1.0
    from the end on.
    """
    length = _days_between(period_start, period_end)
    if length <= 0:
        return 1.0 if _days_between(period_end, on) >= 0 else 0.0
    return _clamp01(_days_between(period_start, on) / length)


def expected_progress_stepped(
    steps: Sequence[tuple[date, Number]], period_start: date, on: date
) -> float:
    """Expected pace that follows step targets (e.g. a yearly KR split in quarters).

    ``steps`` are ``(date, fraction)`` pairs: the cumulative fraction of the
    target due by that date (0.25 by end of Q1, 0.5 by end of Q2, ...). The
    expected pace starts at 0.0 on ``period_start`` and runs piecewise
    linearly through the steps; after the last step it stays at the last
    fraction. Steps are sorted by date, fractions clamped to 0.0..1.0 and made
    non-decreasing (they are cumulative), so the result never goes down as
    ``on`` moves forward. A step dated on or before ``period_start`` is due at
    once. An empty ``steps`` is a ``ValueError``.
    """
    if not steps:
        raise ValueError("expected_progress_stepped needs at least one step")
    points: list[tuple[date, float]] = []
    running = 0.0
    for when, fraction in sorted(steps, key=lambda step: _days_between(period_start, step[0])):
        f = _to_float(fraction)
        running = max(running, _clamp01(f) if f is not None else running)
        points.append((when, running))
    if _days_between(period_start, points[0][0]) > 0:
        points.insert(0, (period_start, 0.0))
    elif _days_between(period_start, on) < 0:
        return 0.0  # before the period: nothing is due yet
    if _days_between(points[0][0], on) < 0:
        return 0.0
    for (d0, f0), (d1, f1) in zip(points, points[1:], strict=False):
        if _days_between(d1, on) < 0:  # on < d1, so d0 <= on < d1
            span = _days_between(d0, d1)
            if span <= 0:
                return f1
            # min(): f0 + (f1 - f0) can round one ulp above f1.
            return min(f1, f0 + (f1 - f0) * _days_between(d0, on) / span)
    return points[-1][1]


def expected_value(start: Number | None, target: Number | None, fraction: Number) -> float | None:
    """The value a metric should have at ``fraction`` (0..1) of the way to target.

    ``None`` when the start or the target is unknown (pending target).
    """
    s, t, f = _to_float(start), _to_float(target), _to_float(fraction)
    if s is None or t is None or f is None:
        return None
    return s + (t - s) * f


def is_behind_pace(progress: float | None, expected: float | None, tolerance: float = 0.1) -> bool:
    """True when ``progress < expected - tolerance``.

    A key result without measurable progress (pending target, no check-in) is
    never "behind": ``None`` gives ``False``.
    """
    if progress is None or expected is None:
        return False
    # Same comparison as confidence_from_pace, so the two always agree.
    return expected - progress > tolerance + _EPS


def confidence_from_pace(
    progress: float | None,
    expected: float | None,
    tolerance: float = 0.1,
    off_track_gap: float = 0.25,
) -> Confidence | None:
    """Suggest a confidence from how far progress lags the expected pace.

    ``on_track`` while the gap is at most ``tolerance``, ``at_risk`` while it
    is at most ``off_track_gap``, ``off_track`` beyond that; ``None`` when
    progress or expected pace is unknown. Only a suggestion: the owner's
    check-in confidence always wins.
    """
    if progress is None or expected is None:
        return None
    gap = expected - progress
    if gap <= tolerance + _EPS:
        return "on_track"
    if gap <= off_track_gap + _EPS:
        return "at_risk"
    return "off_track"


# ---------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------


def round_score(p: Number) -> float:
    """Round a progress value to a score with one decimal, 0.0..1.0.

    Clamped to 0.0..1.0, rounded half up on the decimal value (0.35 -> 0.4,
    0.25 -> 0.3, 0.649 -> 0.6). NaN is a ``ValueError``.
    """
    value = float(p)
    if math.isnan(value):
        raise ValueError("score is NaN")
    value = _clamp01(value)
    # repr() gives the shortest decimal that round-trips, so 0.35 is "0.35"
    # here and not 0.34999999999999997753 as its binary value would be.
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def score_colour(score: Number) -> Colour:
    """Colour of a score: ``red`` < 0.4 <= ``yellow`` < 0.7 <= ``green``.

    The method's bands are 0.0-0.3 red, 0.4-0.6 yellow, 0.7-1.0 green for
    one-decimal scores; between the bands the lower edge of the next band
    decides, so 0.35 is red and 0.65 is yellow. The raw value is coloured:
    pass ``round_score(p)`` when the rounded score is what the user sees, so
    the colour matches the number shown. Values within 1e-9 below an edge
    count as on it (float noise).
    """
    value = float(score)
    if value + _EPS >= GREEN_FROM:
        return "green"
    if value + _EPS >= YELLOW_FROM:
        return "yellow"
    return "red"


def is_committed_miss(commitment: str, score: Number | None) -> bool:
    """A committed key result below 1.0 is a miss (aspirational ones never are)."""
    if commitment != COMMITTED or score is None:
        return False
    return float(score) < 1.0 - _EPS


def is_aspirational_success(commitment: str, score: Number | None) -> bool:
    """An aspirational key result at or above 0.7 is a success."""
    if commitment != ASPIRATIONAL or score is None:
        return False
    return float(score) + _EPS >= ASPIRATIONAL_SUCCESS
