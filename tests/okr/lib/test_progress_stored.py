"""The engine's numbers as stored JSON and back (okr.lib.progress.stored): nothing lost, nothing stale."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okr.lib import progress as engine
from okr.lib.progress import stored

TODAY = date(2026, 5, 15)
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def through_json(numbers) -> dict:
    """What a row stores: the JSON object, as the database gives it back."""
    return json.loads(json.dumps(stored.to_json(numbers)))


@given(
    start=st.decimals(min_value=-1000, max_value=1000, places=2),
    span=st.decimals(min_value=1, max_value=1000, places=2),
    share=st.floats(min_value=-0.5, max_value=1.5),
    committed=st.booleans(),
)
def test_key_result_numbers_come_back_equal(start, span, share, committed):
    target = start + span
    current = start + span * Decimal(repr(round(share, 3)))
    facts = engine.KeyResultFacts(
        *YEAR,
        start=start,
        target=target,
        current=current,
        commitment=engine.COMMITTED if committed else engine.ASPIRATIONAL,
    )
    numbers = engine.key_result_status(facts, on=TODAY)
    assert stored.key_result_numbers(through_json(numbers), TODAY, TODAY) == numbers
    objective = engine.objective_numbers([numbers])
    assert stored.objective_numbers(through_json(objective), TODAY, TODAY) == objective


def test_numbers_of_another_day_do_not_hold():
    facts = engine.KeyResultFacts(*YEAR, start=0, target=10, current=Decimal(3))
    numbers = engine.key_result_status(facts, on=TODAY)
    data = through_json(numbers)
    assert stored.key_result_numbers(data, TODAY - timedelta(days=1), TODAY) is None
    assert stored.key_result_numbers(data, None, TODAY) is None
    assert stored.key_result_numbers(None, TODAY, TODAY) is None


def test_frozen_numbers_of_a_closed_cycle_hold_every_day():
    facts = engine.KeyResultFacts(*YEAR, start=0, target=10, current=Decimal(7), closed=True)
    numbers = engine.key_result_status(facts, on=TODAY)
    later = TODAY + timedelta(days=40)
    assert stored.key_result_numbers(through_json(numbers), TODAY, later) == numbers


def test_json_text_is_read_and_other_fields_are_refused():
    facts = engine.KeyResultFacts(*YEAR, start=0, target=10, current=Decimal(3))
    numbers = engine.key_result_status(facts, on=TODAY)
    text = json.dumps(stored.to_json(numbers))
    assert stored.key_result_numbers(text, TODAY, TODAY) == numbers
    older = {**through_json(numbers), "retired_field": 1}
    assert stored.key_result_numbers(older, TODAY, TODAY) is None
    missing = through_json(engine.objective_numbers([numbers]))
    del missing["bar"]
    assert stored.objective_numbers(missing, TODAY, TODAY) is None


@pytest.mark.parametrize("value", [Decimal("8.956"), Decimal("0.1"), None])
def test_decimals_keep_every_digit(value):
    facts = engine.KeyResultFacts(*YEAR, start=Decimal("0.0"), target=Decimal(10), current=value)
    numbers = engine.key_result_status(facts, on=TODAY)
    back = stored.key_result_numbers(through_json(numbers), TODAY, TODAY)
    assert back.current == numbers.current and back.expected_amount == numbers.expected_amount
