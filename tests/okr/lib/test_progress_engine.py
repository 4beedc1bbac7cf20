"""The progress engine (okr.lib.progress.engine): one key result's and one objective's numbers.

Unit tests on the DPAB-like cases, then hypothesis properties: bounds,
monotonicity, direction symmetry, steps, the pace line and commitment.
Pure: no Django, no database.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from okr.lib.progress import (
    AHEAD,
    BEHIND,
    DONE,
    NOT_STARTED,
    ON_TRACK,
    PACE_TOLERANCE,
    PENDING,
    SCORED,
    VERDICTS,
    KeyResultFacts,
    Step,
    expected_progress,
    key_result_status,
    metric_progress,
    objective_numbers,
    outcome_of,
    pace_line,
    round_like,
)

YEAR_START, YEAR_END = date(2026, 1, 1), date(2026, 12, 31)
Q_ENDS = (date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31))

# DPAB: "20MSEK försäljning till nya kunder", committed, with quarterly steps 2, 6, 12, 20.
DPAB = KeyResultFacts(
    period_start=YEAR_START,
    period_end=YEAR_END,
    start=Decimal("0"),
    target=Decimal("20"),
    current=Decimal("3"),
    unit="MSEK",
    commitment="committed",
    steps=tuple(Step(end, Decimal(v)) for end, v in zip(Q_ENDS, (2, 6, 12, 20), strict=True)),
)


def linear(**changes) -> KeyResultFacts:
    base = KeyResultFacts(
        period_start=date(2026, 1, 1),
        period_end=date(2026, 3, 31),
        start=0,
        target=100,
        current=0,
        commitment="committed",
    )
    return replace(base, **changes)


# --- Expected pace ------------------------------------------------------------------------------


@pytest.mark.parametrize(("end", "value"), list(zip(Q_ENDS, (2, 6, 12, 20), strict=True)))
def test_expected_is_the_step_target_on_each_step_date(end, value):
    numbers = key_result_status(DPAB, on=end)
    assert numbers.stepped is True
    assert numbers.expected_value == pytest.approx(value)
    assert numbers.expected_amount == Decimal(value)
    assert numbers.expected == pytest.approx(value / 20)


def test_expected_between_steps_is_interpolated_not_linear():
    mid_q2 = date(2026, 5, 15)
    numbers = key_result_status(DPAB, on=mid_q2)
    share = (mid_q2 - Q_ENDS[0]).days / (Q_ENDS[1] - Q_ENDS[0]).days
    assert numbers.expected == pytest.approx(0.1 + 0.2 * share)
    # Linear over the year would expect much more by mid May (the 93 % vs 92 %).
    assert numbers.expected < expected_progress(YEAR_START, YEAR_END, mid_q2)


def test_without_steps_expected_is_linear_over_the_cycle():
    facts = replace(DPAB, steps=())
    on = date(2026, 8, 1)
    numbers = key_result_status(facts, on=on)
    assert numbers.stepped is False
    assert numbers.expected == pytest.approx(expected_progress(YEAR_START, YEAR_END, on))


def test_a_plan_that_stops_early_still_expects_the_target_by_the_end():
    facts = replace(DPAB, steps=DPAB.steps[:2])  # Q1 and Q2 only
    assert key_result_status(facts, on=Q_ENDS[1]).expected_value == pytest.approx(6)
    assert key_result_status(facts, on=YEAR_END).expected == pytest.approx(1.0)
    late = key_result_status(facts, on=date(2026, 9, 30))
    assert 0.3 < late.expected < 1.0


def test_decreasing_metric_with_steps():
    # Churn 15 % -> 5 %, steps 12, 9, 7, 5 (lower is better).
    facts = KeyResultFacts(
        period_start=YEAR_START,
        period_end=YEAR_END,
        start=15,
        target=5,
        current=10,
        commitment="committed",
        steps=tuple(Step(end, v) for end, v in zip(Q_ENDS, (12, 9, 7, 5), strict=True)),
    )
    assert key_result_status(facts, on=Q_ENDS[1]).expected_value == pytest.approx(9)
    numbers = key_result_status(facts, on=Q_ENDS[1])
    assert numbers.progress == pytest.approx(0.5)
    assert numbers.expected == pytest.approx(0.6)
    assert numbers.verdict == ON_TRACK


def test_pace_line_bends_at_the_steps():
    line = pace_line(DPAB)
    assert [(p.on, p.value) for p in line] == [
        (YEAR_START, 0.0),
        (Q_ENDS[0], 2.0),
        (Q_ENDS[1], 6.0),
        (Q_ENDS[2], 12.0),
        (Q_ENDS[3], 20.0),
    ]


def test_pace_line_without_steps_is_straight_and_pending_has_none():
    assert [(p.on, p.fraction) for p in pace_line(linear())] == [
        (date(2026, 1, 1), 0.0),
        (date(2026, 3, 31), 1.0),
    ]
    assert pace_line(linear(target=None)) == []
    milestone = pace_line(linear(kind="milestone"))
    assert [p.value for p in milestone] == [None, None]


# --- Verdicts -------------------------------------------------------------------------------------


def test_committed_and_aspirational_differ_in_the_quarter():
    on = date(2026, 3, 1)  # 59 of 89 days: expected about 0.66
    expected = expected_progress(date(2026, 1, 1), date(2026, 3, 31), on)
    at_seventy = linear(current=round(100 * 0.7 * expected, 6))
    committed = key_result_status(at_seventy, on=on)
    aspirational = key_result_status(replace(at_seventy, commitment="aspirational"), on=on)
    assert committed.verdict == BEHIND and committed.bar == pytest.approx(expected)
    assert aspirational.verdict == ON_TRACK and aspirational.bar == pytest.approx(0.7 * expected)
    assert aspirational.expected == committed.expected  # the pace itself is the same


@pytest.mark.parametrize(
    ("current", "verdict", "colour"),
    [
        (50, ON_TRACK, "green"),  # expected 0.5
        (40, ON_TRACK, "green"),  # exactly the tolerance
        (39, BEHIND, "yellow"),
        (25, BEHIND, "yellow"),  # exactly the red edge
        (24, BEHIND, "red"),
        (61, AHEAD, "green"),
        (100, DONE, "green"),
        (130, DONE, "green"),
    ],
)
def test_verdict_and_colour(current, verdict, colour):
    facts = linear(period_start=date(2026, 1, 1), period_end=date(2026, 1, 11), current=current)
    numbers = key_result_status(facts, on=date(2026, 1, 6))
    assert numbers.expected == pytest.approx(0.5)
    assert (numbers.verdict, numbers.colour) == (verdict, colour)
    assert numbers.behind is (verdict == BEHIND)


def test_pending_target_has_no_progress_and_no_pace():
    numbers = key_result_status(linear(target=None, start=20, current=35), on=date(2026, 2, 1))
    assert numbers.progress is None and numbers.expected is None and numbers.bar is None
    assert (numbers.verdict, numbers.colour) == (PENDING, "grey")
    assert numbers.expected_value is None and numbers.pending


def test_not_started_before_the_cycle():
    numbers = key_result_status(linear(), on=date(2025, 12, 15))
    assert numbers.verdict == NOT_STARTED and numbers.expected == 0.0


def test_no_check_in_stands_at_the_start():
    numbers = key_result_status(linear(current=None, start=10), on=date(2026, 3, 31))
    assert numbers.progress == 0.0 and numbers.verdict == BEHIND and numbers.colour == "red"


def test_milestone():
    facts = linear(kind="milestone", start=None, target=None, current=None, steps_total=4)
    assert key_result_status(replace(facts, steps_done=2), on=date(2026, 2, 15)).progress == 0.5
    assert key_result_status(replace(facts, done=True), on=date(2026, 2, 15)).verdict == DONE
    numbers = key_result_status(facts, on=date(2026, 2, 15))
    assert numbers.expected_value is None and numbers.verdict == BEHIND


def test_closed_cycle_shows_the_frozen_score():
    closed = linear(current=65, closed=True)
    numbers = key_result_status(closed, on=date(2026, 6, 1))
    assert (numbers.verdict, numbers.score, numbers.colour) == (SCORED, 0.7, "green")
    assert numbers.outcome == "miss"  # committed: anything below 1.0 is a miss
    aspirational = key_result_status(replace(closed, commitment="aspirational"), date(2026, 6, 1))
    assert aspirational.outcome == "success"
    # The frozen (or overridden) score wins over what the values say now.
    overridden = key_result_status(replace(closed, score=0.3), on=date(2026, 6, 1))
    assert (overridden.score, overridden.colour) == (0.3, "red")
    pending = key_result_status(replace(closed, target=None), on=date(2026, 6, 1))
    assert pending.verdict == PENDING and pending.score is None


@pytest.mark.parametrize(
    ("commitment", "score", "outcome"),
    [
        ("committed", 1.0, "success"),
        ("committed", 0.9, "miss"),
        ("aspirational", 0.7, "success"),
        ("aspirational", 0.6, "miss"),
        ("aspirational", None, ""),
    ],
)
def test_outcome_of(commitment, score, outcome):
    assert outcome_of(commitment, score) == outcome


def test_round_like():
    assert round_like(8.956, Decimal("0"), Decimal("10")) == Decimal("9")
    assert round_like(8.956, Decimal("0"), Decimal("10.5")) == Decimal("8.96")
    assert round_like(123456.7, Decimal("100000"), Decimal("150000")) == Decimal("123457")
    assert round_like(None, 0, 1) is None


# --- Objectives ------------------------------------------------------------------------------------


def test_objective_is_the_weighted_mean_equal_by_default():
    on = date(2026, 2, 15)
    a = key_result_status(linear(current=20), on)
    b = key_result_status(linear(current=80), on)
    pending = key_result_status(linear(target=None), on)
    assert objective_numbers([a, b, pending]).progress == pytest.approx(0.5)
    heavy = key_result_status(linear(current=80, weight=3), on)
    numbers = objective_numbers([a, heavy])
    assert numbers.progress == pytest.approx((0.2 + 3 * 0.8) / 4)
    assert numbers.expected == pytest.approx(a.expected)


def test_objective_verdicts():
    on = date(2026, 2, 15)
    assert objective_numbers([key_result_status(linear(target=None), on)]).verdict == PENDING
    assert objective_numbers([]).verdict == PENDING
    done = key_result_status(linear(current=100), on)
    assert objective_numbers([done, done]).verdict == DONE
    behind = key_result_status(linear(current=0), on)
    assert objective_numbers([behind]).verdict == BEHIND
    closed = key_result_status(linear(current=100, closed=True), on)
    numbers = objective_numbers([closed], score=0.8)
    assert (numbers.verdict, numbers.score, numbers.closed) == (SCORED, 0.8, True)


# --- Properties -------------------------------------------------------------------------------------

moderate = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
fractions = st.floats(min_value=0.0, max_value=1.0)
days_in_year = st.integers(min_value=-30, max_value=400)
commitments = st.sampled_from(["committed", "aspirational"])
VERDICT_RANK = {
    (BEHIND, "red"): 0,
    (BEHIND, "yellow"): 1,
    (ON_TRACK, "green"): 2,
    (AHEAD, "green"): 3,
    (DONE, "green"): 4,
}


@st.composite
def stepped_facts(draw):
    """A yearly metric with 0-4 quarterly steps that move from start towards target."""
    start = draw(moderate)
    target = draw(moderate)
    assume(abs(target - start) > 1e-3)
    shares = sorted(draw(st.lists(fractions, min_size=0, max_size=4)))
    ends = sorted(
        draw(st.sets(st.sampled_from(Q_ENDS), min_size=len(shares), max_size=len(shares)))
    )
    steps = tuple(
        Step(end, start + (target - start) * s) for end, s in zip(ends, shares, strict=True)
    )
    return KeyResultFacts(
        period_start=YEAR_START,
        period_end=YEAR_END,
        start=start,
        target=target,
        current=draw(moderate),
        commitment=draw(commitments),
        steps=steps,
    )


@given(stepped_facts(), days_in_year)
def test_numbers_are_bounded(facts, offset):
    numbers = key_result_status(facts, on=YEAR_START + timedelta(days=offset))
    assert 0.0 <= numbers.progress <= 1.0
    assert 0.0 <= numbers.expected <= 1.0
    assert 0.0 <= numbers.bar <= numbers.expected
    assert numbers.verdict in VERDICTS


@given(stepped_facts(), days_in_year, days_in_year)
def test_expected_never_goes_down_as_time_passes(facts, a, b):
    early, late = sorted((a, b))
    e1 = key_result_status(facts, on=YEAR_START + timedelta(days=early)).expected
    e2 = key_result_status(facts, on=YEAR_START + timedelta(days=late)).expected
    assert e1 <= e2 + 1e-12


@given(stepped_facts(), moderate, moderate, st.integers(0, 364))
def test_moving_towards_the_target_never_worsens_the_verdict(facts, a, b, offset):
    on = YEAR_START + timedelta(days=offset)
    lo, hi = sorted((a, b))
    further, nearer = (lo, hi) if facts.target > facts.start else (hi, lo)
    worse = key_result_status(replace(facts, current=further), on)
    better = key_result_status(replace(facts, current=nearer), on)
    assert better.progress >= worse.progress
    assert (
        VERDICT_RANK[(better.verdict, better.colour)] >= VERDICT_RANK[(worse.verdict, worse.colour)]
    )


@given(stepped_facts(), days_in_year)
def test_direction_symmetry(facts, offset):
    """A decreasing metric is an increasing one seen in a mirror: the same numbers."""
    on = YEAR_START + timedelta(days=offset)
    mirrored = replace(
        facts,
        start=-facts.start,
        target=-facts.target,
        current=-facts.current,
        steps=tuple(Step(s.on, -s.target) for s in facts.steps),
    )
    a, b = key_result_status(facts, on), key_result_status(mirrored, on)
    assert (a.progress, a.verdict, a.colour) == (b.progress, b.verdict, b.colour)
    assert a.expected == pytest.approx(b.expected, abs=1e-9)


@given(stepped_facts())
def test_expected_value_is_the_step_target_on_each_step_date(facts):
    for step in facts.steps:
        numbers = key_result_status(facts, on=step.on)
        assert numbers.stepped
        assert numbers.expected_value == pytest.approx(
            step.target, rel=1e-6, abs=1e-6 * abs(facts.target - facts.start)
        )


@given(stepped_facts(), st.integers(0, 364))
def test_pace_line_passes_through_expected(facts, offset):
    on = YEAR_START + timedelta(days=offset)
    line = pace_line(facts)
    assert line[0].on == YEAR_START and line[-1].on == YEAR_END
    for left, right in zip(line, line[1:], strict=False):
        if left.on <= on <= right.on:
            span = (right.on - left.on).days
            share = (on - left.on).days / span if span else 1.0
            drawn = left.fraction + (right.fraction - left.fraction) * share
            assert key_result_status(facts, on).expected == pytest.approx(drawn, abs=1e-9)
            break


@given(fractions, st.floats(min_value=0.0, max_value=1.0))
def test_seventy_percent_of_pace_is_on_track_only_when_aspirational(day_share, _noise):
    on = YEAR_START + timedelta(days=round(day_share * 364))
    expected = expected_progress(YEAR_START, YEAR_END, on)
    facts = replace(DPAB, steps=(), current=Decimal(repr(20 * 0.7 * expected)))
    aspirational = key_result_status(replace(facts, commitment="aspirational"), on)
    committed = key_result_status(facts, on)
    if expected == 0.0:
        return
    assert aspirational.verdict in (ON_TRACK, AHEAD)
    if 0.3 * expected > PACE_TOLERANCE + 1e-6:
        assert committed.verdict == BEHIND
    else:  # early in the year the lag is within the tolerance
        assert committed.verdict == ON_TRACK


@given(stepped_facts(), st.integers(0, 364))
def test_aspirational_is_never_judged_harder_than_committed(facts, offset):
    on = YEAR_START + timedelta(days=offset)
    committed = key_result_status(replace(facts, commitment="committed"), on)
    aspirational = key_result_status(replace(facts, commitment="aspirational"), on)
    rank = VERDICT_RANK[(aspirational.verdict, aspirational.colour)]
    assert rank >= VERDICT_RANK[(committed.verdict, committed.colour)]


@given(st.lists(st.tuples(moderate, st.integers(1, 5)), min_size=1, max_size=6), st.integers(0, 89))
def test_objective_progress_lies_within_its_key_results(items, offset):
    on = date(2026, 1, 1) + timedelta(days=offset)
    krs = [key_result_status(linear(current=c, weight=w), on) for c, w in items]
    numbers = objective_numbers(krs)
    progresses = [kr.progress for kr in krs]
    assert min(progresses) - 1e-12 <= numbers.progress <= max(progresses) + 1e-12
    assert numbers.progress == pytest.approx(
        sum(kr.progress * kr.weight for kr in krs) / sum(kr.weight for kr in krs)
    )


@given(moderate, moderate, moderate)
def test_progress_is_the_metric_formula(start, target, current):
    facts = linear(start=start, target=target, current=current)
    assert key_result_status(facts, date(2026, 2, 1)).progress == metric_progress(
        start, target, current
    )
