"""Pure rules of the alignment app: when a dependency is late, who may manage it, contributions.

Plain values in, plain values out (no ORM, no requests), so the model, the
selectors, the tree and the templates all agree and the rules are unit-tested
on their own.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from decimal import Decimal

METRIC = "metric"
MILESTONE = "milestone"
DIRECT = "direct"


def delivery_due(key_result_due: date | None, cycle_end: date) -> date:
    """When the delivering side is due: its key result's deadline, else the end of its cycle."""
    return key_result_due or cycle_end


def is_delivered(kind: str, done: bool, progress: float | None) -> bool:
    """A milestone that is done, or a metric that reached its target, has delivered."""
    if kind == MILESTONE:
        return bool(done)
    return progress is not None and progress >= 1.0


def is_late(*, open_: bool, needed_by: date, due: date, delivered: bool) -> bool:
    """Flag an open dependency whose delivering side is due after the date it is needed.

    DPAB: the Norwegian seller starts 15 Feb and needs the Norwegian catalogue,
    whose key result is due 15 Mar: flagged. Resolved or delivered: never flagged.
    """
    return open_ and not delivered and due > needed_by


def can_manage_dependency(
    *,
    is_leadership: bool,
    lead_team_ids: Collection[int],
    needing_team_id: int,
    delivering_team_id: int,
) -> bool:
    """Leadership, and the leads of either team, resolve, reopen and delete a dependency."""
    return is_leadership or needing_team_id in lead_team_ids or delivering_team_id in lead_team_ids


def same_unit(a: str, b: str) -> bool:
    """Units match ignoring case and surrounding space ("MSEK" and " msek").

    Lower-case, not casefold, so the database (``Lower(Trim(unit))``) agrees.
    """
    return (a or "").strip().lower() == (b or "").strip().lower()


def adds_into(
    *,
    alignment: str,
    child_kind: str,
    child_unit: str,
    parent_kind: str,
    parent_unit: str,
) -> bool:
    """Does a team key result add its number into the strategic key result its objective supports?

    Only through a *direct* link, metric to metric, in the same unit;
    indirect links never add numbers.
    """
    return (
        alignment == DIRECT
        and child_kind == METRIC
        and parent_kind == METRIC
        and same_unit(child_unit, parent_unit)
    )


def contribution_sum(values: Iterable[Decimal | None]) -> Decimal | None:
    """The sum of the children's current values; ``None`` when none has a value yet."""
    total = None
    for value in values:
        if value is not None:
            total = value if total is None else total + value
    return total
