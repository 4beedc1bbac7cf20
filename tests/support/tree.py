"""Rows for the pure alignment tree builder (alignment/tree.py): cycles, teams, objectives, key results.

The tree tests and the tree's property tests build organisations from these
plain rows, with no database; public ids are derived from the primary keys.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from alignment import tree as t

D = Decimal

YEAR = t.CycleRow(1, "year", None, date(2026, 1, 1), date(2026, 12, 31))
Q1 = t.CycleRow(2, "quarter", 1, date(2026, 1, 1), date(2026, 3, 31))
Q2 = t.CycleRow(3, "quarter", 2, date(2026, 4, 1), date(2026, 6, 30))
CYCLES = [YEAR, Q1, Q2]


def team(pk, name, parent=None):
    return t.TeamRow(pk, uuid.UUID(int=1000 + pk), name, parent)


def objective(
    pk,
    title,
    *,
    level="team",
    team_id=None,
    cycle=Q1,
    parent_objective=None,
    parent_kr=None,
    alignment="indirect",
    status="approved",
    owner=None,
):
    return t.ObjectiveRow(
        pk,
        uuid.UUID(int=pk),
        level,
        title,
        team_id,
        YEAR.id if level == "strategic" else cycle.id,
        parent_objective,
        parent_kr,
        alignment,
        status,
        owner,
    )


ZERO, TEN = D(0), D(10)


def kr(
    pk,
    objective_id,
    title="KR",
    *,
    kind="metric",
    unit="st",
    start=ZERO,
    target=TEN,
    current=None,
    done=False,
    owner=None,
    confidence="",
    sums=False,
):
    return t.KeyResultRow(
        pk,
        uuid.UUID(int=10_000 + pk),
        objective_id,
        title,
        kind,
        unit,
        start if kind == "metric" else None,
        target if kind == "metric" else None,
        current,
        done,
        None,
        None,
        owner,
        confidence,
        "sum" if sums else "none",
        D(1),
    )
