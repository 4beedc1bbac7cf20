"""Pure rules of the alignment app: when a dependency is late (who may manage it: accounts.policy).

What adds into what (direct contributions, units, sums) is the progress
engine's: ``okr.lib.progress.rollup``.

Plain values in, plain values out (no ORM, no requests), so the model, the
selectors, the tree and the templates all agree and the rules are unit-tested
on their own.
"""

from __future__ import annotations

from datetime import date

METRIC = "metric"
MILESTONE = "milestone"


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
