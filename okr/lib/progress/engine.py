"""The progress engine: every number a key result or an objective shows, from one set of facts.

One entry point per thing shown:

* ``key_result_status(facts, on=day)`` -> ``KeyResultNumbers``: progress, the
  expected pace today (through the quarterly steps when the key result has
  them, else linear over its cycle), the value it should have by now, the
  in-quarter verdict and its colour, and the frozen score once the cycle is
  closed;
* ``objective_numbers(key_results)`` -> ``ObjectiveNumbers``: the weighted
  mean of its key results (equal weights unless given) and its own verdict;
* ``pace_line(facts)``: the points of the chart's expected-pace line, which
  bends at the steps exactly where ``expected`` does;
* ``okr.lib.progress.rollup.combine_contributions``: a parent fed by its
  direct children.

Pages, the tree, the review board, check-ins, e-mails, exports and the API
build ``KeyResultFacts`` from their rows and read these numbers; none of them
does the arithmetic itself, so every surface shows the same numbers.

The verdict (what counts)
-------------------------
``pending`` (the target is not set: no progress, no pace), ``not_started``
(the cycle has not begun), ``done`` (the target is reached), ``ahead``,
``on_track``, ``behind``, and ``scored`` once the cycle is closed. The
verdict judges progress against a *bar*: the full expected pace for a
committed key result (100 % is expected), 70 % of it for an aspirational one
(about 0.7 counts as success, as the method teaches). Within
``PACE_TOLERANCE`` of the bar is on track; further behind is ``behind``,
yellow up to ``OFF_TRACK_GAP`` and red beyond. The owner's confidence is
carried alongside, never mixed into the verdict.

Pure: plain dataclasses in and out, no Django.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from okr.lib.progress.maths import (
    _EPS,
    ASPIRATIONAL,
    ASPIRATIONAL_SUCCESS,
    COMMITTED,
    Number,
    _clamp01,
    _days_between,
    _to_float,
    expected_progress,
    expected_progress_stepped,
    metric_progress,
    milestone_progress,
    objective_progress,
    round_score,
    score_colour,
)

__all__ = [
    "AHEAD",
    "ASPIRATIONAL_PACE",
    "BEHIND",
    "DONE",
    "METRIC",
    "MILESTONE",
    "NOT_STARTED",
    "OFF_TRACK_GAP",
    "ON_TRACK",
    "PACE_TOLERANCE",
    "PENDING",
    "SCORED",
    "VERDICTS",
    "KeyResultFacts",
    "KeyResultNumbers",
    "ObjectiveNumbers",
    "PacePoint",
    "Step",
    "expected_of",
    "frozen_score",
    "key_result_status",
    "mean_progress",
    "measure",
    "objective_numbers",
    "outcome_of",
    "pace_line",
    "progress_of",
    "round_like",
    "step_fractions",
]

METRIC = "metric"
MILESTONE = "milestone"

#: How far below its bar a key result may be and still be on track (a fraction of the way).
PACE_TOLERANCE = 0.1
#: Beyond this gap below the bar, "behind" is red rather than yellow.
OFF_TRACK_GAP = 0.25
#: An aspirational key result is on track at this share of the expected pace.
ASPIRATIONAL_PACE = ASPIRATIONAL_SUCCESS

Verdict = Literal["pending", "not_started", "ahead", "on_track", "behind", "done", "scored"]
VerdictColour = Literal["green", "yellow", "red", "grey"]
Outcome = Literal["success", "miss", ""]

PENDING: Verdict = "pending"
NOT_STARTED: Verdict = "not_started"
AHEAD: Verdict = "ahead"
ON_TRACK: Verdict = "on_track"
BEHIND: Verdict = "behind"
DONE: Verdict = "done"
SCORED: Verdict = "scored"
VERDICTS: tuple[Verdict, ...] = (PENDING, NOT_STARTED, AHEAD, ON_TRACK, BEHIND, DONE, SCORED)


# --- Facts ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Step:
    """A quarterly step: the cumulative value a key result should have reached by ``on``."""

    on: date
    target: Number


@dataclass(frozen=True, slots=True)
class KeyResultFacts:
    """Everything the engine needs to know about one key result, as plain values.

    ``period_start``/``period_end`` are its cycle's first and last day (the
    year for a strategic key result, the quarter for a team one).
    ``current`` ``None`` means no value yet: a metric then stands at its
    start. ``closed`` is the cycle's state; ``score`` its frozen score (the
    override when there is one). ``confidence`` is the owner's latest, shown
    beside the verdict and never part of it.
    """

    period_start: date
    period_end: date
    kind: str = METRIC
    start: Number | None = None
    target: Number | None = None
    current: Number | None = None
    done: bool = False
    steps_done: int | None = None
    steps_total: int | None = None
    commitment: str = ASPIRATIONAL
    steps: tuple[Step, ...] = ()
    weight: Number = 1
    unit: str = ""
    rollup: str = "none"
    closed: bool = False
    score: Number | None = None
    confidence: str = ""

    @property
    def pending(self) -> bool:
        """A metric whose target is not set yet ("NPS på X")."""
        return self.kind == METRIC and _to_float(self.target) is None


@dataclass(frozen=True, slots=True)
class PacePoint:
    """A corner of the expected-pace line: the fraction of the way due by ``on``, and its value."""

    on: date
    fraction: float
    value: float | None


@dataclass(frozen=True, slots=True)
class KeyResultNumbers:
    """What every surface shows for one key result.

    ``expected`` is the full pace today (0..1), ``bar`` what the verdict
    compares progress with (``expected``, or 70 % of it when aspirational).
    ``expected_value`` is the value the key result should have by today;
    ``expected_amount`` the same rounded as the start and target are
    written. ``current`` is the value progress was measured from (the sum of
    the direct children when the key result sums them).
    """

    progress: float | None
    expected: float | None
    bar: float | None
    expected_value: float | None
    expected_amount: Decimal | None
    stepped: bool
    verdict: Verdict
    colour: VerdictColour
    score: float | None
    outcome: Outcome
    current: Number | None
    confidence: str
    commitment: str
    weight: float
    closed: bool

    @property
    def behind(self) -> bool:
        return self.verdict == BEHIND

    @property
    def pending(self) -> bool:
        return self.verdict == PENDING

    @property
    def gap(self) -> float | None:
        """How far progress lags the bar (negative when ahead of it)."""
        if self.progress is None or self.bar is None:
            return None
        return self.bar - self.progress


@dataclass(frozen=True, slots=True)
class ObjectiveNumbers:
    """What every surface shows for one objective: its key results' weighted mean and verdict."""

    progress: float | None
    expected: float | None
    bar: float | None
    verdict: Verdict
    colour: VerdictColour
    score: float | None
    closed: bool

    @property
    def behind(self) -> bool:
        return self.verdict == BEHIND

    @property
    def pending(self) -> bool:
        return self.verdict == PENDING


# --- Progress and pace ------------------------------------------------------------------


def progress_of(facts: KeyResultFacts) -> float | None:
    """Progress 0..1 of a key result; ``None`` while a metric's target is pending."""
    return measure(
        kind=facts.kind,
        start=facts.start,
        target=facts.target,
        current=facts.current,
        done=facts.done,
        steps_done=facts.steps_done,
        steps_total=facts.steps_total,
    )


def measure(
    *,
    kind: str,
    start: Number | None,
    target: Number | None,
    current: Number | None,
    done: bool = False,
    steps_done: int | None = None,
    steps_total: int | None = None,
) -> float | None:
    """Progress from the values alone (``progress_of`` without the rest of the facts).

    For callers that hold a key result's values at some past moment (the
    review board, the quarter close): a metric without a value stands at its
    start; a milestone counts done, or its partial steps.
    """
    if kind == MILESTONE:
        return milestone_progress(done, steps_done, steps_total)
    value = current if _to_float(current) is not None else start
    return metric_progress(start, target, value)


def step_fractions(facts: KeyResultFacts) -> list[tuple[date, float]]:
    """The quarterly steps as cumulative fractions of the way from start to target, by date.

    Only a metric with a start and a target that differ has steps; steps
    after the end of its cycle are left out. When the last step falls before
    the end of the cycle, the target itself is due at the end (a plan that
    stops at Q2 still expects the target by the end of the year).
    """
    if facts.kind != METRIC or not facts.steps:
        return []
    start, target = _to_float(facts.start), _to_float(facts.target)
    if start is None or target is None or target == start:
        return []
    span = target - start
    points = []
    for step in sorted(facts.steps, key=lambda s: _days_between(facts.period_start, s.on)):
        value = _to_float(step.target)
        if value is None or _days_between(step.on, facts.period_end) < 0:
            continue
        points.append((step.on, (value - start) / span))
    if not points:
        return []
    if _days_between(points[-1][0], facts.period_end) > 0:
        points.append((facts.period_end, 1.0))
    return points


def expected_of(facts: KeyResultFacts, on: date) -> tuple[float, bool]:
    """Where the key result should be on ``on``, 0..1, and whether that follows steps."""
    fractions = step_fractions(facts)
    if fractions:
        return expected_progress_stepped(fractions, facts.period_start, on), True
    return expected_progress(facts.period_start, facts.period_end, on), False


def pace_line(facts: KeyResultFacts) -> list[PacePoint]:
    """The corners of the expected-pace line from the start of the cycle to its end.

    Through every step when there are steps (the same cumulative, clamped
    fractions ``expected`` uses, so the line passes through ``expected`` on
    every day), else a straight line. ``value`` is ``None`` for a milestone
    (its line runs 0 -> 1 in progress). Empty while the target is pending.
    """
    if facts.pending:
        return []
    fractions = step_fractions(facts)
    days = [facts.period_start, *(day for day, _f in fractions), facts.period_end]
    points: list[PacePoint] = []
    for day in days:
        if points and _days_between(points[-1].on, day) < 0:
            continue  # a step dated before the start: its fraction is due at once
        if fractions:
            fraction = expected_progress_stepped(fractions, facts.period_start, day)
        else:
            fraction = expected_progress(facts.period_start, facts.period_end, day)
        if points and points[-1].on == day:
            points[-1] = PacePoint(day, fraction, _value_at(facts, fraction))
            continue
        points.append(PacePoint(day, fraction, _value_at(facts, fraction)))
    return points


def _value_at(facts: KeyResultFacts, fraction: float) -> float | None:
    if facts.kind != METRIC:
        return None
    start, target = _to_float(facts.start), _to_float(facts.target)
    if start is None or target is None:
        return None
    return start + (target - start) * fraction


def round_like(value: float | None, start: Number | None, target: Number | None) -> Decimal | None:
    """Round a value to the precision the start and target are written in.

    One more decimal when the whole way is short (0 -> 10 customers: 8.956 ->
    9.0), so that the number still moves from one day to the next.
    """
    if value is None or not math.isfinite(value):
        return None
    places = _precision(start, target)
    return Decimal(repr(round(value, 2 if places is None else places))).normalize()


@functools.lru_cache(maxsize=4096)
def _precision(start: Number | None, target: Number | None) -> int | None:
    """The decimals ``round_like`` keeps for a start and a target (``None``: either is unset).

    Cached: a page rounds thousands of key results that share a few starts and
    targets, and the answer depends on their values alone.
    """
    s, t = _as_decimal(start), _as_decimal(target)
    if s is None or t is None:
        return None
    return min(max(_places(s), _places(t)) + (1 if abs(t - s) < 100 else 0), 4)


def _as_decimal(value: Number | None) -> Decimal | None:
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    number = _to_float(value)
    return None if number is None else Decimal(repr(number))


def _places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


# --- Verdicts and scores --------------------------------------------------------------------


def frozen_score(progress: float | None) -> float | None:
    """The score a progress freezes into at the end of a cycle (one decimal), ``None`` if unmeasured."""
    return None if progress is None else round_score(progress)


def outcome_of(commitment: str, score: Number | None) -> Outcome:
    """``success`` or ``miss`` for a score: committed needs 1.0, aspirational 0.7."""
    value = _to_float(score)
    if value is None:
        return ""
    needed = 1.0 if commitment == COMMITTED else ASPIRATIONAL_SUCCESS
    return "success" if value + _EPS >= needed else "miss"


def _bar(expected: float, commitment: str) -> float:
    return expected * ASPIRATIONAL_PACE if commitment == ASPIRATIONAL else expected


def _judge(progress: float, expected: float, bar: float) -> tuple[Verdict, VerdictColour]:
    """The in-cycle verdict of a measured key result or objective that has not reached its target."""
    gap = bar - progress
    if gap > OFF_TRACK_GAP + _EPS:
        return BEHIND, "red"
    if gap > PACE_TOLERANCE + _EPS:
        return BEHIND, "yellow"
    if progress - expected > PACE_TOLERANCE + _EPS:
        return AHEAD, "green"
    return ON_TRACK, "green"


def _scored(score: Number | None, progress: float | None) -> tuple[float | None, VerdictColour]:
    value = _to_float(score)
    value = frozen_score(progress) if value is None else round_score(value)
    return value, ("grey" if value is None else score_colour(value))


def key_result_status(facts: KeyResultFacts, on: date) -> KeyResultNumbers:
    """Every number of one key result on the day ``on`` (the organisation's today)."""
    progress = progress_of(facts)
    weight = _to_float(facts.weight)
    weight = 1.0 if weight is None or weight < 0 else weight
    score: float | None = None
    outcome: Outcome = ""
    if progress is None:
        expected = bar = None
        stepped = False
    else:
        expected, stepped = expected_of(facts, on)
        bar = _bar(expected, facts.commitment)
    if facts.closed:
        score, colour = _scored(facts.score, progress)
        verdict: Verdict = SCORED if score is not None else PENDING
        outcome = outcome_of(facts.commitment, score)
    elif progress is None:
        verdict, colour = PENDING, "grey"
    elif progress >= 1.0 - _EPS:
        verdict, colour = DONE, "green"
    elif _days_between(facts.period_start, on) < 0:
        verdict, colour = NOT_STARTED, "grey"
    else:
        verdict, colour = _judge(progress, expected, bar)
    value = _value_at(facts, expected) if expected is not None else None
    current = facts.current
    return KeyResultNumbers(
        progress=progress,
        expected=expected,
        bar=bar,
        expected_value=value,
        expected_amount=round_like(value, facts.start, facts.target),
        stepped=stepped,
        verdict=verdict,
        colour=colour,
        score=score,
        outcome=outcome,
        current=current,
        confidence=facts.confidence or "",
        commitment=facts.commitment,
        weight=weight,
        closed=facts.closed,
    )


def _weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    total = weights = 0.0
    for value, weight in pairs:
        total += value * weight
        weights += weight
    return None if weights == 0 else _clamp01(total / weights)


def objective_numbers(
    key_results: Sequence[KeyResultNumbers],
    *,
    closed: bool | None = None,
    score: Number | None = None,
) -> ObjectiveNumbers:
    """An objective's numbers: the weighted mean of its key results' (equal weights unless given).

    Expected pace and bar are averaged over the same measured key results
    with the same weights, so an objective is judged like a key result.
    ``closed`` defaults to its key results' state; ``score`` is its frozen
    score (override wins) once closed, else the mean progress rounded.
    """
    measured = [kr for kr in key_results if kr.progress is not None and kr.weight > 0]
    progress = objective_progress((kr.progress, kr.weight) for kr in measured)
    expected = _weighted_mean(
        (kr.expected, kr.weight) for kr in measured if kr.expected is not None
    )
    bar = _weighted_mean((kr.bar, kr.weight) for kr in measured if kr.bar is not None)
    if closed is None:
        closed = bool(key_results) and all(kr.closed for kr in key_results)
    frozen: float | None = None
    if closed:
        frozen, colour = _scored(score, progress)
        verdict: Verdict = SCORED if frozen is not None else PENDING
    elif progress is None:
        verdict, colour = PENDING, "grey"
    elif all(kr.verdict == DONE for kr in measured):
        verdict, colour = DONE, "green"
    elif all(kr.verdict == NOT_STARTED for kr in measured):
        verdict, colour = NOT_STARTED, "grey"
    else:
        verdict, colour = _judge(progress, expected or 0.0, bar or 0.0)
    return ObjectiveNumbers(
        progress=progress,
        expected=expected,
        bar=bar,
        verdict=verdict,
        colour=colour,
        score=frozen,
        closed=closed,
    )


def mean_progress(values: Iterable[float | None]) -> float | None:
    """The plain mean of the measured values (a team's objectives); ``None`` when none is."""
    return objective_progress(values)
