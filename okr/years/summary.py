"""The year in one table: pure grouping for the year-end review (no database, no Django).

The selectors (``okr.years.selectors``) read the scores the quarter closes froze
(``okr.closing.selectors``) and the engine's stored numbers of open quarters, and
hand plain values here; this module only groups them:

* each quarter's **state**: ``closed`` (its scores are frozen), ``ended`` (over,
  not closed yet), ``open`` (today lies in it) or ``coming``;
* each team's **quarter score**: the engine's plain mean of its objectives' scores
  (``progress.mean_progress``), rounded like a score (``progress.round_score``); for
  an open quarter the same mean of the objectives' current progress, shown as in
  progress;
* **what was carried**: objectives carried from one quarter into a later one, and
  strategic objectives carried on into the next year, grouped by where they came from.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from okr.lib import progress

CLOSED, ENDED, OPEN, COMING = "closed", "ended", "open", "coming"
QUARTER_STATES = (CLOSED, ENDED, OPEN, COMING)


def quarter_state(start: date, end: date, *, closed: bool, today: date) -> str:
    """Where a quarter stands on ``today``: closed, ended (not closed yet), open or coming."""
    if closed:
        return CLOSED
    if end < today:
        return ENDED
    if start > today:
        return COMING
    return OPEN


def year_state(start: date, end: date, *, today: date) -> str:
    """``over``, ``current`` or ``coming``: may the strategic scores be final?"""
    if end < today:
        return "over"
    if start > today:
        return "coming"
    return "current"


@dataclass(frozen=True)
class TeamCell:
    """One team in one quarter: its score (closed) or progress so far (open), or nothing."""

    quarter: int
    state: str
    value: float | None = None
    objectives: int = 0

    @property
    def frozen(self) -> bool:
        return self.state == CLOSED

    @property
    def colour(self) -> str:
        return "" if self.value is None else progress.score_colour(self.value)


@dataclass
class TeamRow:
    team_id: int
    name: str
    cells: list[TeamCell] = field(default_factory=list)

    @property
    def year_score(self) -> float | None:
        """The mean of the team's frozen quarter scores so far (closed quarters only)."""
        mean = progress.mean_progress(c.value for c in self.cells if c.frozen)
        return None if mean is None else progress.round_score(mean)


def team_grid(
    teams: Iterable[tuple[int, str]],
    states: dict[int, str],
    values: Iterable[tuple[int, int, float | None]],
) -> list[TeamRow]:
    """One row per team that had objectives in the year, one cell per quarter (1..4).

    ``teams``: (id, name) in the order to show; ``states``: quarter -> state;
    ``values``: (quarter, team id, value) per objective, a frozen score for a
    closed quarter and the current progress for an open one. A team with no
    objective in any quarter of the year is left out; a value of a team not in
    ``teams`` is ignored.
    """
    grouped: dict[tuple[int, int], list[float | None]] = {}
    for quarter, team_id, value in values:
        grouped.setdefault((team_id, quarter), []).append(value)
    rows = []
    for team_id, name in teams:
        if not any((team_id, q) in grouped for q in range(1, 5)):
            continue
        row = TeamRow(team_id, name)
        for quarter in range(1, 5):
            found = grouped.get((team_id, quarter), [])
            mean = progress.mean_progress(found)
            state = states.get(quarter, COMING)
            if mean is not None and state == CLOSED:  # a score; progress so far stays as it is
                mean = progress.round_score(mean)
            row.cells.append(TeamCell(quarter, state, mean, len(found)))
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Carried:
    """An objective carried on: from which cycle (label) into which, and the draft's state."""

    title: str
    team: str  # "" for a strategic objective
    source: str
    target: str
    status: str
    source_order: tuple = ()


def carried_by_source(items: Iterable[Carried]) -> list[tuple[str, list[Carried]]]:
    """The carried objectives grouped by the cycle they came from, in the year's order."""
    ordered = sorted(items, key=lambda c: (c.source_order, c.team, c.title))
    groups: dict[str, list[Carried]] = {}
    for item in ordered:
        groups.setdefault(item.source, []).append(item)
    return list(groups.items())
