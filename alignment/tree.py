"""The alignment tree, its coverage and its orphans, built from plain rows.

Pure: rows are named tuples (what ``.values_list()`` gives, or what a test
writes by hand), the result is plain dataclasses; no ORM, no requests, no
templates. ``alignment.selectors`` loads the rows in a fixed number of
queries, ``alignment.render`` turns the tree into HTML.

Every number (progress, expected pace through the quarterly steps, the
verdict and its colour, the frozen score of a closed cycle, the sum of direct
contributions) comes from the progress engine, ``okr.lib.progress``, as on
every other page; the owner's confidence is carried beside it.

Shape (one year)::

    strategic objective                       (numbers, owners' confidence)
      key result                              (numbers: quarterly steps or linear; the sum
        team group "Marknad"                   of its direct contributions when it sums them)
          team objective   (direct|indirect)  (numbers, confidence, at risk)
            key result                        (numbers, contribution into a summing parent)
      team group "Produktion"                 (team objectives aligned to the objective itself)
    orphans: team groups of team objectives whose parent is not in the tree

Rules the tests check (tests/test_tree_properties.py):
- every team objective that passes the filters appears exactly once: under
  its parent, or among the orphans;
- covered and uncovered strategic nodes are disjoint and together all of them;
- filters never add nodes.

Coverage is about the period (the year, or the quarter filtered on): the
other filters (team, status, at risk, owner) narrow what is *shown*, never
what counts as covered. Contributions (a team key result adding its number
into the strategic key result its objective supports *directly*, when that
key result sums its direct contributions in a summable unit) are summed over
the whole year whatever the filters, so a filter never changes a number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from okr.lib import progress as maths
from okr.lib.progress import stored

STRATEGIC = "strategic"
TEAM = "team"
DIRECT = "direct"
AT_RISK_CONFIDENCES = frozenset({"at_risk", "off_track"})
_CONFIDENCE_RANK = {"": 0, "on_track": 1, "at_risk": 2, "off_track": 3}

# --- Rows -----------------------------------------------------------------------------


class CycleRow(NamedTuple):
    id: int
    kind: str  # "year" or "quarter"
    quarter: int | None
    start_date: date
    end_date: date
    closed: bool = False  # its scores are frozen


class TeamRow(NamedTuple):
    id: int
    uuid: object
    name: str
    parent_id: int | None


class ObjectiveRow(NamedTuple):
    id: int
    uuid: object
    level: str
    title: str
    team_id: int | None
    cycle_id: int
    parent_objective_id: int | None
    parent_key_result_id: int | None
    alignment: str
    status: str
    owner_id: int | None
    # The engine's numbers stored on the row, and the day they hold for (okr.objectives.stored).
    stored_numbers: Mapping | None = None
    numbers_on: date | None = None


class KeyResultRow(NamedTuple):
    id: int
    uuid: object
    objective_id: int
    title: str
    kind: str
    unit: str
    start_value: Decimal | None
    target_value: Decimal | None
    current_value: Decimal | None
    done: bool
    steps_done: int | None
    steps_total: int | None
    owner_id: int | None
    confidence: str
    rollup: str  # "sum": its current value is the sum of its direct contributions
    weight: Decimal
    commitment: str = maths.ASPIRATIONAL
    stored_numbers: Mapping | None = None
    numbers_on: date | None = None


class StepRow(NamedTuple):
    key_result_id: int
    end_date: date  # the quarter's last day
    target_value: Decimal


@dataclass(frozen=True)
class Filters:
    """What the reader narrows the tree to. ``None`` / ``False``: no narrowing."""

    quarter_ids: frozenset[int] | None = None
    team_ids: frozenset[int] | None = None
    statuses: frozenset[str] | None = None
    at_risk: bool = False
    owner_id: int | None = None

    @property
    def narrows_shown(self) -> bool:
        return bool(
            self.team_ids is not None
            or self.statuses is not None
            or self.at_risk
            or self.owner_id is not None
        )


# --- Nodes ------------------------------------------------------------------------------


@dataclass(slots=True)
class Contribution:
    """A team key result adding into a strategic one: ``value`` of ``parent_target`` ``unit``."""

    value: Decimal | None
    parent_id: int
    parent_title: str
    parent_target: Decimal | None
    unit: str


@dataclass(slots=True)
class KeyResultNode:
    row: KeyResultRow
    numbers: maths.KeyResultNumbers
    # Team key results: what it adds into the strategic key result (direct links only).
    contribution: Contribution | None = None
    # Strategic key results: the team objectives aligned to it, grouped by team (set by build;
    # a shared empty tuple until then: a large tree has thousands of team key results).
    groups: Sequence[TeamGroup] = ()
    # Strategic key results that sum their direct contributions: the sum (its current
    # value) and how many contributions have a value.
    sums: bool = False
    direct_total: Decimal | None = None
    direct_count: int = 0
    covered: bool = False
    # Team key results: the personal objectives under it (alignment.tree_personal).
    personal: Sequence[ObjectiveNode] = ()

    @property
    def id(self) -> str:
        return f"k{self.row.id}"

    @property
    def progress(self) -> float | None:
        return self.numbers.progress

    @property
    def expected(self) -> float | None:
        return self.numbers.expected

    @property
    def behind(self) -> bool:
        return self.numbers.behind

    @property
    def stepped(self) -> bool:
        """The expected pace follows quarterly steps."""
        return self.numbers.stepped

    @property
    def expected_value(self) -> float | None:
        return self.numbers.expected_value

    @property
    def current(self) -> Decimal | None:
        """Its current value: the sum of its direct contributions when it sums them."""
        return self.direct_total if self.sums else self.row.current_value


@dataclass(slots=True)
class ObjectiveNode:
    row: ObjectiveRow
    numbers: maths.ObjectiveNumbers
    confidence: str  # the owners' (worst of its key results), shown apart from the verdict
    key_results: list[KeyResultNode]
    # Strategic objectives: team objectives aligned to the objective itself.
    groups: Sequence[TeamGroup] = ()
    covered: bool = False
    # Team objectives: why it is an orphan ("none": no parent; "elsewhere": the parent
    # is archived or in another year).
    orphan_reason: str = ""
    # Team objectives: the personal objectives under it (alignment.tree_personal).
    personal: Sequence[ObjectiveNode] = ()

    @property
    def id(self) -> str:
        return f"o{self.row.id}"

    @property
    def progress(self) -> float | None:
        return self.numbers.progress

    @property
    def expected(self) -> float | None:
        return self.numbers.expected

    @property
    def behind(self) -> bool:
        return self.numbers.behind

    @property
    def at_risk(self) -> bool:
        return self.confidence in AT_RISK_CONFIDENCES or self.behind


#: The orphans' key where a strategic node's public id goes (``TeamGroup.parent_key``, and
#: the tree page's ``under`` and ``more``).
ORPHANS = "orphans"


@dataclass(slots=True)
class TeamGroup:
    """A team's objectives under one parent node (or among the orphans): what lazy expand opens."""

    team: TeamRow
    parent_key: str  # the parent node's public id (its uuid as text) or ``ORPHANS``
    objectives: list[ObjectiveNode]
    progress: float | None
    confidence: str
    at_risk_count: int


@dataclass
class Tree:
    strategic: list[ObjectiveNode]
    orphans: list[TeamGroup]
    uncovered_objectives: list[ObjectiveNode]
    uncovered_key_results: list[KeyResultNode]

    def groups(self) -> Iterator[TeamGroup]:
        for objective in self.strategic:
            for kr in objective.key_results:
                yield from kr.groups
            yield from objective.groups
        yield from self.orphans

    def team_objectives(self) -> Iterator[ObjectiveNode]:
        for group in self.groups():
            yield from group.objectives

    def groups_under(self, parent_key: str) -> list[TeamGroup] | None:
        """The team groups under a strategic objective or key result, or the orphans'
        (``ORPHANS``); None for no such node."""
        if parent_key == ORPHANS:
            return self.orphans
        for objective in self.strategic:
            if str(objective.row.uuid) == parent_key:
                return objective.groups
            for kr in objective.key_results:
                if str(kr.row.uuid) == parent_key:
                    return kr.groups
        return None

    def group(self, parent_key: str, team_id: int) -> TeamGroup | None:
        for group in self.groups():
            if group.parent_key == parent_key and group.team.id == team_id:
                return group
        return None

    def node_ids(self) -> set[str]:
        """Every node shown (strategic objectives and key results, team objectives and theirs)."""
        ids = set()
        for objective in self.strategic:
            ids.add(objective.id)
            ids.update(kr.id for kr in objective.key_results)
        for objective in self.team_objectives():
            ids.add(objective.id)
            ids.update(kr.id for kr in objective.key_results)
        return ids

    def strategic_ids(self) -> set[str]:
        ids = set()
        for objective in self.strategic:
            ids.add(objective.id)
            ids.update(kr.id for kr in objective.key_results)
        return ids

    def covered_ids(self) -> set[str]:
        ids = set()
        for objective in self.strategic:
            if objective.covered:
                ids.add(objective.id)
            ids.update(kr.id for kr in objective.key_results if kr.covered)
        return ids

    def uncovered_ids(self) -> set[str]:
        return {n.id for n in self.uncovered_objectives} | {
            n.id for n in self.uncovered_key_results
        }


# --- Maths on rows ------------------------------------------------------------------------


def facts_of(
    kr: KeyResultRow,
    cycle: CycleRow,
    steps: Sequence[StepRow] = (),
    score: float | None = None,
) -> maths.KeyResultFacts:
    """The progress engine's facts of a key result row in its cycle."""
    return maths.KeyResultFacts(
        period_start=cycle.start_date,
        period_end=cycle.end_date,
        kind=kr.kind,
        start=kr.start_value,
        target=kr.target_value,
        current=kr.current_value,
        done=kr.done,
        steps_done=kr.steps_done,
        steps_total=kr.steps_total,
        commitment=kr.commitment,
        steps=tuple(maths.Step(s.end_date, s.target_value) for s in steps),
        weight=kr.weight,
        unit=kr.unit,
        rollup=kr.rollup,
        closed=cycle.closed,
        score=score,
        confidence=kr.confidence,
    )


def key_result_progress(kr: KeyResultRow) -> float | None:
    """Progress of a row (what the engine says; no pace needed)."""
    today = date.min
    return maths.progress_of(facts_of(kr, CycleRow(0, "quarter", None, today, today)))


def worst_confidence(confidences: Iterable[str]) -> str:
    worst = ""
    for confidence in confidences:
        if _CONFIDENCE_RANK.get(confidence or "", 0) > _CONFIDENCE_RANK[worst]:
            worst = confidence
    return worst


def team_with_descendants(teams: Sequence[TeamRow], team_id: int) -> frozenset[int]:
    """A team and every team below it (departments)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for team in teams:
        children[team.parent_id].append(team.id)
    found, todo = set(), [team_id]
    while todo:
        current = todo.pop()
        if current in found:
            continue
        found.add(current)
        todo.extend(children.get(current, ()))
    return frozenset(found)


# --- Building -------------------------------------------------------------------------------


def _objective_node(
    row: ObjectiveRow,
    krs: list[KeyResultNode],
    cycle: CycleRow,
    score: float | None,
    numbers: maths.ObjectiveNumbers | None = None,
) -> ObjectiveNode:
    return ObjectiveNode(
        row=row,
        numbers=numbers
        or maths.objective_numbers([kr.numbers for kr in krs], closed=cycle.closed, score=score),
        confidence=worst_confidence(kr.row.confidence for kr in krs),
        key_results=krs,
    )


def _passes(node: ObjectiveNode, filters: Filters) -> bool:
    row = node.row
    if filters.team_ids is not None and row.team_id not in filters.team_ids:
        return False
    if filters.statuses is not None and row.status not in filters.statuses:
        return False
    if filters.at_risk and not node.at_risk:
        return False
    return not (
        filters.owner_id is not None
        and row.owner_id != filters.owner_id
        and all(kr.row.owner_id != filters.owner_id for kr in node.key_results)
    )


def _groups(
    nodes: list[ObjectiveNode], parent_key: str, teams: dict[int, TeamRow], team_rank: dict
) -> list[TeamGroup]:
    by_team: dict[int, list[ObjectiveNode]] = {}
    for node in nodes:
        by_team.setdefault(node.row.team_id, []).append(node)
    groups = []
    for team_id in sorted(by_team, key=lambda t: team_rank.get(t, (1 << 30, ""))):
        members = by_team[team_id]
        team = teams.get(team_id) or TeamRow(team_id, None, "?", None)
        groups.append(
            TeamGroup(
                team=team,
                parent_key=parent_key,
                objectives=members,
                progress=maths.mean_progress(n.progress for n in members),
                confidence=worst_confidence(n.confidence for n in members),
                at_risk_count=sum(1 for n in members if n.at_risk),
            )
        )
    return groups


def build(
    *,
    cycles: Sequence[CycleRow],
    teams: Sequence[TeamRow],
    objectives: Sequence[ObjectiveRow],
    key_results: Sequence[KeyResultRow],
    steps: Sequence[StepRow] = (),
    scores: Mapping[str, float] = {},  # noqa: B006 - read only
    today: date,
    filters: Filters = Filters(),  # noqa: B008 - frozen, shared safely
) -> Tree:
    """The tree of one year: ``cycles`` are the year and its quarters, the rows live in them.

    ``teams`` are in display order. Rows of other cycles are ignored.
    ``scores`` are the frozen scores of closed cycles by node id ("k12",
    "o5"; overrides already applied).
    """
    cycle_by_id = {c.id: c for c in cycles}
    year = next((c for c in cycles if c.kind == "year"), None)
    team_by_id = {t.id: t for t in teams}
    team_rank = {t.id: (i, t.name) for i, t in enumerate(teams)}
    steps_by_kr: dict[int, list[StepRow]] = defaultdict(list)
    for step in steps:
        steps_by_kr[step.key_result_id].append(step)

    strategic_rows = [
        o for o in objectives if o.level == STRATEGIC and year is not None and o.cycle_id == year.id
    ]
    team_rows = [
        o
        for o in objectives
        if o.level == TEAM and o.cycle_id in cycle_by_id and o.cycle_id != getattr(year, "id", None)
    ]
    objective_by_id = {o.id: o for o in strategic_rows}
    objective_by_id.update((o.id, o) for o in team_rows)
    krs_by_objective: dict[int, list[KeyResultRow]] = defaultdict(list)
    for kr in key_results:
        if kr.objective_id in objective_by_id:
            krs_by_objective[kr.objective_id].append(kr)
    strategic_kr_rows = {
        kr.id: kr for row in strategic_rows for kr in krs_by_objective.get(row.id, ())
    }

    # Team objectives first: a strategic key result that sums its direct contributions
    # needs their values (summed over the whole year). Their numbers are those the engine
    # stored on the rows while they hold today (thousands of rows), else the engine's now.
    contributions: dict[int, list[maths.Contribution]] = defaultdict(list)
    team_nodes: list[ObjectiveNode] = []
    status = maths.key_result_status
    kept = stored.key_result_numbers
    for row in team_rows:
        cycle = cycle_by_id[row.cycle_id]
        parent = strategic_kr_rows.get(row.parent_key_result_id)
        # Only a direct link into a key result that sums its children adds numbers.
        if row.alignment != DIRECT or parent is None or parent.rollup != maths.ROLLUP_SUM:
            parent = None
        kr_nodes = []
        all_kept = True
        for kr in krs_by_objective.get(row.id, ()):
            numbers = kept(kr.stored_numbers, kr.numbers_on, today, cycle.closed)
            if numbers is None:
                all_kept = False
                numbers = status(facts_of(kr, cycle, score=scores.get(f"k{kr.id}")), on=today)
            node = KeyResultNode(kr, numbers)
            if parent is not None and maths.adds_into(
                direct=True,
                parent_kind=parent.kind,
                parent_unit=parent.unit,
                parent_rollup=parent.rollup,
                child_kind=kr.kind,
                child_unit=kr.unit,
            ):
                node.contribution = Contribution(
                    value=kr.current_value,
                    parent_id=parent.id,
                    parent_title=parent.title,
                    parent_target=parent.target_value,
                    unit=parent.unit,
                )
                contributions[parent.id].append(maths.Contribution(kr.current_value, kr.unit))
            kr_nodes.append(node)
        numbers = (
            stored.objective_numbers(row.stored_numbers, row.numbers_on, today, cycle.closed)
            if all_kept
            else None
        )
        team_nodes.append(_objective_node(row, kr_nodes, cycle, scores.get(f"o{row.id}"), numbers))

    strategic_kr_nodes: dict[int, KeyResultNode] = {}
    strategic_nodes: list[ObjectiveNode] = []
    for row in strategic_rows:
        kr_nodes = []
        for kr in krs_by_objective.get(row.id, ()):
            facts = facts_of(kr, year, steps_by_kr.get(kr.id, ()), scores.get(f"k{kr.id}"))
            rolled = maths.combine_contributions(facts, contributions.get(kr.id, ()))
            node = KeyResultNode(kr, status(rolled.facts, on=today))
            if rolled.summed:
                node.sums = True
                node.direct_total = rolled.total
                node.direct_count = rolled.counted
            kr_nodes.append(node)
            strategic_kr_nodes[kr.id] = node
        strategic_nodes.append(_objective_node(row, kr_nodes, year, scores.get(f"o{row.id}")))
    strategic_by_id = {n.row.id: n for n in strategic_nodes}

    # Coverage: the period's team objectives, whatever else is filtered.
    in_period = [
        n
        for n in team_nodes
        if filters.quarter_ids is None or n.row.cycle_id in filters.quarter_ids
    ]
    for node in in_period:
        parent_kr = strategic_kr_nodes.get(node.row.parent_key_result_id)
        if parent_kr is not None:
            parent_kr.covered = True
            strategic_by_id[parent_kr.row.objective_id].covered = True
        parent = strategic_by_id.get(node.row.parent_objective_id)
        if parent is not None:
            parent.covered = True

    # Placement of what is shown: under the parent, or among the orphans.
    under_kr: dict[int, list[ObjectiveNode]] = defaultdict(list)
    under_objective: dict[int, list[ObjectiveNode]] = defaultdict(list)
    orphans: list[ObjectiveNode] = []
    for node in in_period:
        if not _passes(node, filters):
            continue
        row = node.row
        if row.parent_key_result_id in strategic_kr_nodes:
            under_kr[row.parent_key_result_id].append(node)
        elif row.parent_objective_id in strategic_by_id:
            under_objective[row.parent_objective_id].append(node)
        else:
            has_parent = row.parent_key_result_id or row.parent_objective_id
            node.orphan_reason = "elsewhere" if has_parent else "none"
            orphans.append(node)
    for objective in strategic_nodes:
        for kr in objective.key_results:
            kr.groups = _groups(
                under_kr.get(kr.row.id, []), str(kr.row.uuid), team_by_id, team_rank
            )
        objective.groups = _groups(
            under_objective.get(objective.row.id, []),
            str(objective.row.uuid),
            team_by_id,
            team_rank,
        )

    return Tree(
        strategic=strategic_nodes,
        orphans=_groups(orphans, ORPHANS, team_by_id, team_rank),
        uncovered_objectives=[n for n in strategic_nodes if not n.covered],
        uncovered_key_results=[
            kr for n in strategic_nodes for kr in n.key_results if not kr.covered
        ],
    )
