"""Roll-up (okr.lib.progress.rollup): which direct contributions add into a parent, and the sum.

Pure: no Django, no database.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okr.lib.progress import (
    NOT_METRIC,
    NOT_SUMMABLE,
    ROLLUP_NONE,
    ROLLUP_SUM,
    UNIT_MISMATCH,
    Contribution,
    KeyResultFacts,
    combine_contributions,
    contribution_problem,
    key_result_status,
    metric_progress,
    rollup_problem,
    sum_values,
    unit_family,
    unit_is_summable,
)

SALES = KeyResultFacts(
    period_start=date(2026, 1, 1),
    period_end=date(2026, 12, 31),
    start=Decimal("0"),
    target=Decimal("20"),
    current=Decimal("1"),  # its own, stale check-in: a summing parent ignores it
    unit="MSEK",
    rollup=ROLLUP_SUM,
    commitment="committed",
)
NPS = KeyResultFacts(
    period_start=date(2026, 1, 1),
    period_end=date(2026, 12, 31),
    start=Decimal("20"),
    target=Decimal("45"),
    current=Decimal("20"),
    unit="NPS",
)


@pytest.mark.parametrize("unit", ["MSEK", "kr", "SEK", "st", "kunder", "pilotkunder", "", "leads"])
def test_counts_and_amounts_are_summable(unit):
    assert unit_is_summable(unit)


@pytest.mark.parametrize(
    "unit",
    [
        "%",
        "NPS",
        "eNPS",
        "procent",
        "prosent",
        "percent",
        "snittbetyg",
        "kr/h",
        "SEK/kund",
        "andel",
        "pp",
        "index",
        "CSAT",
        "Average order value",
        "genomsnitt",
        "rate",
    ],
)
def test_rates_percentages_nps_and_averages_are_not(unit):
    assert not unit_is_summable(unit)


def test_a_summing_parent_is_the_sum_of_its_direct_same_unit_children():
    children = [
        Contribution(Decimal("3"), "MSEK"),
        Contribution(Decimal("1.5"), " msek "),  # same unit, other spelling
        Contribution(None, "MSEK"),  # no check-in yet: added in, counts nothing
        Contribution(Decimal("9"), "MSEK", direct=False),  # indirect: never added
        Contribution(Decimal("7"), "kunder"),  # another unit: never added
        Contribution(Decimal("1"), "MSEK", kind="milestone"),
    ]
    rolled = combine_contributions(SALES, children)
    assert rolled.summed and rolled.total == Decimal("4.5")
    assert (rolled.added, rolled.counted) == (3, 2)
    assert rolled.facts.current == Decimal("4.5")
    numbers = key_result_status(rolled.facts, on=date(2026, 6, 1))
    assert numbers.current == Decimal("4.5")
    assert numbers.progress == pytest.approx(4.5 / 20)


def test_a_summing_parent_with_no_child_value_stands_at_its_start():
    rolled = combine_contributions(SALES, [Contribution(None, "MSEK")])
    assert rolled.summed and rolled.total is None and rolled.facts.current is None
    assert key_result_status(rolled.facts, on=date(2026, 6, 1)).progress == 0.0


def test_a_parent_that_does_not_sum_is_unchanged():
    children = [Contribution(Decimal("35"), "NPS")]
    rolled = combine_contributions(NPS, children)
    assert not rolled.summed and rolled.total is None and rolled.facts is NPS
    # Even if someone set it to sum: NPS cannot be added up.
    rolled = combine_contributions(replace(NPS, rollup=ROLLUP_SUM), children)
    assert not rolled.summed and rolled.facts.current == Decimal("20")
    rolled = combine_contributions(replace(SALES, rollup=ROLLUP_NONE), [Contribution(5, "MSEK")])
    assert not rolled.summed and rolled.facts.current == Decimal("1")


def test_problems():
    assert rollup_problem(kind="metric", unit="MSEK", rollup=ROLLUP_SUM) is None
    assert rollup_problem(kind="metric", unit="NPS", rollup=ROLLUP_SUM) == NOT_SUMMABLE
    assert rollup_problem(kind="milestone", unit="", rollup=ROLLUP_SUM) == NOT_METRIC
    assert rollup_problem(kind="metric", unit="NPS", rollup=ROLLUP_NONE) is None
    summing = {"parent_kind": "metric", "parent_unit": "MSEK", "parent_rollup": ROLLUP_SUM}
    assert contribution_problem(**summing, child_kind="metric", child_unit="msek") is None
    # The same quantity in another unit would be a wrong sum: refused.
    for unit in ("kSEK", "tkr", "SEK", "Mkr", "EUR"):
        assert contribution_problem(**summing, child_kind="metric", child_unit=unit) == (
            UNIT_MISMATCH
        ), unit
    # Another quantity, or a milestone, is no contribution: listed, never added, not refused.
    assert contribution_problem(**summing, child_kind="metric", child_unit="st") is None
    assert contribution_problem(**summing, child_kind="milestone", child_unit="") is None
    listing = summing | {"parent_rollup": ROLLUP_NONE}
    assert contribution_problem(**listing, child_kind="metric", child_unit="kSEK") is None


@pytest.mark.parametrize(
    ("unit", "family"),
    [
        ("MSEK", "money"),
        ("tkr", "money"),
        ("kr", "money"),
        ("EUR", "money"),
        ("Mkr", "money"),
        ("timmar", "time"),
        ("h", "time"),
        ("kg", "mass"),
        ("st", None),
        ("kunder", None),
        ("", None),
        ("leads", None),
    ],
)
def test_unit_family(unit, family):
    assert unit_family(unit) == family


def test_sum_values_is_exact():
    assert sum_values([Decimal("0.1"), 0.2, 3, None]) == Decimal("3.3")
    assert sum_values([None, float("nan")]) is None


amounts = st.decimals(min_value=-(10**6), max_value=10**6, places=2, allow_nan=False)


@given(st.lists(st.one_of(st.none(), amounts), max_size=8), st.randoms())
def test_the_sum_does_not_depend_on_the_order(values, random):
    children = [Contribution(v, "MSEK") for v in values]
    shuffled = children[:]
    random.shuffle(shuffled)
    a, b = combine_contributions(SALES, children), combine_contributions(SALES, shuffled)
    assert a.total == b.total and a.counted == b.counted == sum(v is not None for v in values)


@given(st.lists(amounts, min_size=1, max_size=8))
def test_summed_progress_is_the_progress_of_the_sum(values):
    rolled = combine_contributions(SALES, [Contribution(v, "MSEK") for v in values])
    numbers = key_result_status(rolled.facts, on=date(2026, 6, 1))
    assert numbers.progress == metric_progress(0, 20, sum(values))
