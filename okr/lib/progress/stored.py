"""The engine's numbers as JSON and back: what is stored on each key result and objective.

``okr.objectives.stored`` writes ``to_json(numbers)`` on every write that
moves them, with the day they were computed for; pages and the tree read
them back with ``key_result_numbers`` / ``objective_numbers``, which give
``None`` when the stored numbers no longer hold on ``today`` (computed on
another day, unless frozen with a closed cycle; or before the cycle was
closed) or were written by an engine with other fields. The reader then asks
the engine itself. Pure: no Django.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from okr.lib.progress.engine import KeyResultNumbers, ObjectiveNumbers

__all__ = ["key_result_numbers", "objective_numbers", "to_json"]


def to_json(numbers: KeyResultNumbers | ObjectiveNumbers) -> dict:
    """The numbers as a JSON object (Decimals as text, so nothing is rounded on the way)."""
    return {
        f.name: (str(v) if isinstance(v := getattr(numbers, f.name), Decimal) else v)
        for f in dataclasses.fields(numbers)
    }


def _holding(
    data: Mapping | str | None, numbers_on: date | None, today: date, closed: bool | None
) -> Mapping | None:
    """The stored object if it holds on ``today`` (``data`` may still be JSON text: raw rows).

    ``closed``: the cycle's state now; numbers stored before it changed do not hold.
    """
    if not data or numbers_on is None:
        return None
    if isinstance(data, str):
        data = json.loads(data)
    if closed is not None and bool(data.get("closed")) != closed:
        return None
    return data if numbers_on == today or data.get("closed") else None


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def key_result_numbers(
    data: Mapping | str | None, numbers_on: date | None, today: date, closed: bool | None = None
) -> KeyResultNumbers | None:
    """A key result's stored numbers if they still hold on ``today``, else ``None``."""
    data = _holding(data, numbers_on, today, closed)
    if data is None:
        return None
    try:
        return KeyResultNumbers(
            **{
                **data,
                "expected_amount": _decimal(data["expected_amount"]),
                "current": _decimal(data["current"]),
            }
        )
    except (KeyError, TypeError):  # written by an engine with other fields
        return None


def objective_numbers(
    data: Mapping | str | None, numbers_on: date | None, today: date, closed: bool | None = None
) -> ObjectiveNumbers | None:
    """An objective's stored numbers if they still hold on ``today``, else ``None``."""
    data = _holding(data, numbers_on, today, closed)
    if data is None:
        return None
    try:
        return ObjectiveNumbers(**data)
    except TypeError:  # written by an engine with other fields
        return None
