"""Unit and property tests for okr.lib.progress (pure maths, no Django, no database)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from okr.lib.progress import (
    confidence_from_pace,
    expected_progress,
    expected_progress_stepped,
    expected_value,
    is_aspirational_success,
    is_behind_pace,
    is_committed_miss,
    metric_progress,
    milestone_progress,
    objective_progress,
    round_score,
    score_colour,
)

# ---------------------------------------------------------------------------
# metric_progress
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "target", "current", "expected"),
    [
        (0, 100, 50, 0.5),
        (0, 100, 0, 0.0),
        (0, 100, 100, 1.0),
        (0, 100, 150, 1.0),  # past the target: clamped
        (0, 100, -20, 0.0),  # the wrong way: clamped
        (15, 5, 10, 0.5),  # churn 15 -> 5 (lower is better)
        (15, 5, 15, 0.0),
        (15, 5, 5, 1.0),
        (15, 5, 3, 1.0),
        (15, 5, 18, 0.0),
        (0, 20_000_000, 4_000_000, 0.2),  # 20 MSEK to new customers
        (100_000, 150_000, 125_000, 0.5),  # "från 100 000 kr till 150 000 kr"
        (Decimal("1.5"), Decimal("3.5"), Decimal("2.5"), 0.5),
        (Decimal("15"), 5.0, 10, 0.5),  # mixed Decimal and float
        (-10, 10, 0, 0.5),
    ],
)
def test_metric_progress(start, target, current, expected):
    assert metric_progress(start, target, current) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("start", "target", "current"),
    [
        (0, None, 10),  # pending target ("NPS på X")
        (0, 100, None),  # no check-in yet
        (None, 100, 10),  # no baseline
        (0, 100, float("nan")),
        (0, float("inf"), 10),
        (Decimal("NaN"), 100, 10),
    ],
)
def test_metric_progress_not_measurable(start, target, current):
    assert metric_progress(start, target, current) is None


@pytest.mark.parametrize(
    ("value", "current", "expected"),
    [(5, 5, 1.0), (5, 5.0, 1.0), (5, 4, 0.0), (5, 6, 0.0), (0.1 + 0.2, 0.3, 1.0)],
)
def test_metric_progress_target_equals_start(value, current, expected):
    # No distance and no direction: only being exactly on the target counts.
    assert metric_progress(value, value, current) == expected


# ---------------------------------------------------------------------------
# milestone_progress
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("done", "steps_done", "steps_total", "expected"),
    [
        (False, None, None, 0.0),
        (True, None, None, 1.0),
        (False, 1, 4, 0.25),
        (False, 4, 4, 1.0),
        (True, 1, 4, 1.0),  # done wins over the steps
        (False, 5, 4, 1.0),  # clamped
        (False, -1, 4, 0.0),
        (False, 2, 0, 0.0),  # no steps to count
        (False, None, 4, 0.0),
    ],
)
def test_milestone_progress(done, steps_done, steps_total, expected):
    assert milestone_progress(done, steps_done, steps_total) == pytest.approx(expected)


# ---------------------------------------------------------------------------
# objective_progress
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([(0.5, 1), (1.0, 1)], 0.75),
        ([(0.5, 1), (1.0, 3)], 0.875),
        ([(0.5, 1), (None, 1)], 0.5),  # pending key result left out
        ([(None, 1), (None, 2)], None),
        ([], None),
        ([0.2, 0.4], 0.3),  # bare values weigh 1
        ([(0.2,), (0.4,)], 0.3),
        ([(0.2, 0), (0.4, 1)], 0.4),  # weight 0 does not count
        ([(0.2, 0)], None),
        ([(1.5, 1), (-1.0, 1)], 0.5),  # parts clamped to 0..1
        ([(Decimal("0.5"), Decimal("2")), (0.8, 1)], 0.6),
    ],
)
def test_objective_progress(items, expected):
    result = objective_progress(items)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


def test_objective_progress_accepts_a_generator():
    assert objective_progress((p, 1) for p in (0.0, 1.0)) == pytest.approx(0.5)


def test_objective_progress_rejects_negative_weight():
    with pytest.raises(ValueError):
        objective_progress([(0.5, -1)])


# ---------------------------------------------------------------------------
# Expected pace
# ---------------------------------------------------------------------------

Q1_START, Q1_END = date(2025, 1, 1), date(2025, 3, 31)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2024, 12, 1), 0.0),
        (Q1_START, 0.0),
        (date(2025, 2, 15), 45 / 89),
        (Q1_END, 1.0),
        (date(2025, 6, 1), 1.0),
    ],
)
def test_expected_progress(on, expected):
    assert expected_progress(Q1_START, Q1_END, on) == pytest.approx(expected)


def test_expected_progress_zero_length_period():
    day = date(2025, 1, 1)
    assert expected_progress(day, day, day - timedelta(days=1)) == 0.0
    assert expected_progress(day, day, day) == 1.0
    assert expected_progress(day, day - timedelta(days=3), day) == 1.0


def test_expected_progress_datetimes_and_mixed():
    start = datetime(2025, 1, 1)
    end = datetime(2025, 1, 3)
    assert expected_progress(start, end, datetime(2025, 1, 2, 12)) == pytest.approx(0.75)
    assert expected_progress(Q1_START, Q1_END, datetime(2025, 3, 31, 23)) == 1.0


YEAR_STEPS = [
    (date(2025, 3, 31), 0.25),
    (date(2025, 6, 30), 0.5),
    (date(2025, 9, 30), 0.75),
    (date(2025, 12, 31), 1.0),
]


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2024, 12, 31), 0.0),
        (date(2025, 1, 1), 0.0),
        (date(2025, 3, 31), 0.25),
        (date(2025, 6, 30), 0.5),
        (date(2025, 12, 31), 1.0),
        (date(2026, 2, 1), 1.0),
    ],
)
def test_expected_progress_stepped_quarters(on, expected):
    assert expected_progress_stepped(YEAR_STEPS, date(2025, 1, 1), on) == pytest.approx(expected)


def test_expected_progress_stepped_interpolates_between_steps():
    steps = [(date(2025, 1, 11), 0.1), (date(2025, 1, 21), 0.9)]
    start = date(2025, 1, 1)
    assert expected_progress_stepped(steps, start, date(2025, 1, 6)) == pytest.approx(0.05)
    assert expected_progress_stepped(steps, start, date(2025, 1, 16)) == pytest.approx(0.5)
    # Steps in any order; after the last step the last fraction holds.
    assert expected_progress_stepped(steps[::-1], start, date(2025, 5, 1)) == 0.9


def test_expected_progress_stepped_back_loaded_year():
    # Most of a yearly target due in Q4 (e.g. seasonal sales).
    steps = [(date(2025, 9, 30), 0.2), (date(2025, 12, 31), 1.0)]
    start = date(2025, 1, 1)
    assert expected_progress_stepped(steps, start, date(2025, 9, 30)) == pytest.approx(0.2)
    assert expected_progress_stepped(steps, start, date(2025, 11, 15)) == pytest.approx(
        0.2 + 0.8 * 46 / 92
    )


def test_expected_progress_stepped_edge_cases():
    start = date(2025, 1, 1)
    # A step on the period start is due at once.
    assert expected_progress_stepped([(start, 0.3)], start, start) == pytest.approx(0.3)
    assert expected_progress_stepped([(start, 0.3)], start, start - timedelta(1)) == 0.0
    # Cumulative: a lower later fraction does not pull the pace back.
    steps = [(date(2025, 2, 1), 0.6), (date(2025, 3, 1), 0.4)]
    assert expected_progress_stepped(steps, start, date(2025, 3, 1)) == pytest.approx(0.6)
    with pytest.raises(ValueError):
        expected_progress_stepped([], start, start)


@pytest.mark.parametrize(
    ("start", "target", "fraction", "expected"),
    [(0, 100, 0.5, 50.0), (15, 5, 0.5, 10.0), (15, 5, 1, 5.0), (Decimal("2"), 4, 0.25, 2.5)],
)
def test_expected_value(start, target, fraction, expected):
    assert expected_value(start, target, fraction) == pytest.approx(expected)


def test_expected_value_pending_target():
    assert expected_value(0, None, 0.5) is None


@pytest.mark.parametrize(
    ("progress", "expected", "behind"),
    [
        (0.5, 0.5, False),
        (0.4, 0.5, False),  # exactly at the tolerance
        (0.39, 0.5, True),
        (0.9, 0.5, False),
        (None, 0.5, False),  # pending: never behind
        (0.1, None, False),
    ],
)
def test_is_behind_pace(progress, expected, behind):
    assert is_behind_pace(progress, expected) is behind


def test_is_behind_pace_custom_tolerance():
    assert is_behind_pace(0.45, 0.5, tolerance=0.0) is True
    assert is_behind_pace(0.2, 0.5, tolerance=0.3) is False


@pytest.mark.parametrize(
    ("progress", "expected", "confidence"),
    [
        (0.5, 0.5, "on_track"),
        (0.4, 0.5, "on_track"),
        (0.3, 0.5, "at_risk"),
        (0.25, 0.5, "at_risk"),
        (0.2, 0.5, "off_track"),
        (1.0, 0.2, "on_track"),
        (None, 0.5, None),
    ],
)
def test_confidence_from_pace(progress, expected, confidence):
    assert confidence_from_pace(progress, expected) == confidence


# ---------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "colour"),
    [
        (0.0, "red"),
        (0.1, "red"),
        (0.3, "red"),
        (0.35, "red"),  # between bands: below 0.4 is red
        (0.399, "red"),
        (0.4, "yellow"),
        (0.5, "yellow"),
        (0.6, "yellow"),
        (0.65, "yellow"),  # between bands: below 0.7 is yellow
        (0.1 * 7, "green"),
        (0.7, "green"),
        (0.6999999999999999, "green"),  # float noise
        (1.0, "green"),
        (Decimal("0.4"), "yellow"),
    ],
)
def test_score_colour(score, colour):
    assert score_colour(score) == colour


@pytest.mark.parametrize(
    ("p", "score"),
    [
        (0.0, 0.0),
        (0.34, 0.3),
        (0.35, 0.4),  # half up, not banker's rounding
        (0.25, 0.3),
        (0.649, 0.6),
        (0.65, 0.7),
        (0.95, 1.0),
        (1.3, 1.0),
        (-0.2, 0.0),
        (Decimal("0.45"), 0.5),
    ],
)
def test_round_score(p, score):
    assert round_score(p) == score


def test_round_score_nan():
    with pytest.raises(ValueError):
        round_score(float("nan"))


@pytest.mark.parametrize(
    ("commitment", "score", "miss"),
    [
        ("committed", 1.0, False),
        ("committed", 0.9, True),
        ("committed", 0.0, True),
        ("committed", None, False),
        ("aspirational", 0.5, False),
        ("aspirational", 1.0, False),
    ],
)
def test_is_committed_miss(commitment, score, miss):
    assert is_committed_miss(commitment, score) is miss


@pytest.mark.parametrize(
    ("commitment", "score", "success"),
    [
        ("aspirational", 0.7, True),
        ("aspirational", 0.9, True),
        ("aspirational", 0.6, False),
        ("aspirational", 0.1 * 7, True),
        ("aspirational", None, False),
        ("committed", 0.9, False),
    ],
)
def test_is_aspirational_success(commitment, score, success):
    assert is_aspirational_success(commitment, score) is success


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

finite = st.floats(allow_nan=False, allow_infinity=False)
moderate = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
unit = st.floats(min_value=0.0, max_value=1.0)


@given(finite, finite, finite)
def test_metric_progress_bounds(start, target, current):
    p = metric_progress(start, target, current)
    assert p is not None
    assert 0.0 <= p <= 1.0


@given(finite, finite, finite, finite)
def test_metric_progress_monotone_towards_target(start, target, a, b):
    """Moving the current value towards the target never lowers progress,
    for increasing and decreasing metrics alike."""
    assume(start != target)
    lo, hi = sorted((a, b))
    # For an increasing metric the higher value is nearer the target, for a
    # decreasing one (churn 15 -> 5) the lower value is.
    further, nearer = (lo, hi) if target > start else (hi, lo)
    assert metric_progress(start, target, nearer) >= metric_progress(start, target, further)


@given(finite, finite, finite)
def test_metric_progress_direction_symmetry(start, target, current):
    """A decreasing metric is an increasing one seen in a mirror."""
    assert metric_progress(start, target, current) == metric_progress(-start, -target, -current)


@given(moderate, moderate, moderate)
def test_metric_progress_reflection(start, target, current):
    """Swapping start and target and reflecting the current value about their
    midpoint keeps the progress: p(s, t, c) == p(t, s, s + t - c)."""
    assume(abs(target - start) > 1e-3)
    assert metric_progress(start, target, current) == pytest.approx(
        metric_progress(target, start, start + target - current), abs=1e-6
    )


@given(moderate, moderate, moderate)
def test_metric_progress_swap_is_complement(start, target, current):
    """Between start and target, the distance left is 1 - progress."""
    assume(abs(target - start) > 1e-3)
    lo, hi = sorted((start, target))
    assume(lo <= current <= hi)
    assert metric_progress(start, target, current) + metric_progress(
        target, start, current
    ) == pytest.approx(1.0, abs=1e-6)


@given(st.booleans(), st.integers(-5, 50), st.integers(-5, 50))
def test_milestone_progress_bounds(done, steps_done, steps_total):
    p = milestone_progress(done, steps_done, steps_total)
    assert 0.0 <= p <= 1.0
    if done:
        assert p == 1.0


@given(dates, dates, dates, dates)
def test_expected_progress_monotone_in_date(start, end, on1, on2):
    e1 = expected_progress(start, end, min(on1, on2))
    e2 = expected_progress(start, end, max(on1, on2))
    assert 0.0 <= e1 <= e2 <= 1.0


@given(
    st.lists(st.tuples(dates, st.floats(min_value=-1, max_value=2)), min_size=1, max_size=6),
    dates,
    dates,
    dates,
)
def test_expected_progress_stepped_monotone_and_bounded(steps, start, on1, on2):
    e1 = expected_progress_stepped(steps, start, min(on1, on2))
    e2 = expected_progress_stepped(steps, start, max(on1, on2))
    assert 0.0 <= e1 <= e2 + 1e-12 <= 1.0 + 1e-12


@given(dates, st.integers(1, 800), st.integers(-100, 900))
def test_expected_progress_stepped_single_step_is_linear(start, days, offset):
    end = start + timedelta(days=days)
    on = start + timedelta(days=offset)
    assert expected_progress_stepped([(end, 1.0)], start, on) == pytest.approx(
        expected_progress(start, end, on)
    )


@given(st.lists(st.tuples(st.one_of(st.none(), unit), st.floats(0, 100)), max_size=8))
def test_objective_progress_within_its_parts(items):
    result = objective_progress(items)
    measured = [p for p, w in items if p is not None and w > 0]
    if not measured:
        assert result is None
    else:
        assert min(measured) <= result <= max(measured)


@given(st.lists(st.one_of(st.none(), unit), max_size=8))
def test_objective_progress_unweighted_is_the_mean(values):
    result = objective_progress(values)
    measured = [v for v in values if v is not None]
    if measured:
        assert result == pytest.approx(sum(measured) / len(measured))
    else:
        assert result is None


COLOUR_RANK = {"red": 0, "yellow": 1, "green": 2}


@given(st.floats(min_value=-0.5, max_value=1.5))
def test_score_bands_consistent_with_round_score(p):
    score = round_score(p)
    # A score is one of 0.0, 0.1, ..., 1.0 ...
    tenths = score * 10
    assert 0 <= score <= 1 and math.isclose(tenths, round(tenths))
    # ... coloured as the method's table says ...
    expected = "red" if score <= 0.3 else "yellow" if score <= 0.6 else "green"
    assert score_colour(score) == expected
    # ... and rounding can only lift a raw value into the next band up.
    assert COLOUR_RANK[score_colour(score)] - COLOUR_RANK[score_colour(p)] in (0, 1)
    assert round_score(score) == score


@given(unit, unit)
def test_score_colour_monotone(a, b):
    lo, hi = sorted((a, b))
    assert COLOUR_RANK[score_colour(lo)] <= COLOUR_RANK[score_colour(hi)]


@given(unit)
def test_round_score_is_close(p):
    assert abs(round_score(p) - p) <= 0.05 + 1e-9


@given(st.one_of(st.none(), unit), st.one_of(st.none(), unit))
def test_pace_helpers_agree(progress, expected):
    behind = is_behind_pace(progress, expected)
    confidence = confidence_from_pace(progress, expected)
    if progress is None or expected is None:
        assert behind is False and confidence is None
    else:
        assert behind == (confidence != "on_track")


@given(st.sampled_from(["committed", "aspirational"]), unit)
def test_commitment_outcomes_are_exclusive(commitment, score):
    miss = is_committed_miss(commitment, score)
    success = is_aspirational_success(commitment, score)
    # Scores within float noise (1e-9) of 1.0 or 0.7 count as reaching them.
    if commitment == "committed":
        assert not success and miss == (score < 1.0 - 1e-9)
    else:
        assert not miss and success == (score >= 0.7 - 1e-9)
