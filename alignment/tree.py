"""The alignment tree, its coverage and its orphans, built from plain rows.

Pure: rows are named tuples (what ``.values_list()`` gives, or what a test
writes by hand), the result is plain dataclasses; no ORM, no requests, no
templates. ``alignment.selectors`` loads the rows in a fixed number of
queries, ``alignment.render`` turns the tree into HTML.

Shape (one year)::

    strategic objective                       (progress, expected, confidence)
      key result                              (progress, expected: quarterly steps or linear,
        team group "Marknad"                   sum of direct contributions)
          team objective   (direct|indirect)  (progress, expected, confidence, at risk)
            key result                        (progress, contribution into the parent KR)
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
into the strategic key result its objective supports *directly*) are summed
over the whole year whatever the filters, so a filter never changes a number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from alignment import rules
from okr.lib import progress as maths

STRATEGIC = "strategic"
TEAM = "team"
AT_RISK_CONFIDENCES = frozenset({"at_risk", "off_track"})
_CONFIDENCE_RANK = {"": 0, "on_track": 1, "at_risk": 2, "off_track": 3}

# --- Rows -----------------------------------------------------------------------------


class CycleRow(NamedTuple):
    id: int
    kind: str  # "year" or "quarter"
    quarter: int | None
    start_date: date
    end_date: date


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
    current_from_children: bool
    weight: Decimal


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
    progress: float | None
    expected: float | None
    behind: bool
    # Team key results: what it adds into the strategic key result (direct links only).
    contribution: Contribution | None = None
    # Strategic key results: the team objectives aligned to it, grouped by team (set by build;
    # a shared empty tuple until then: a large tree has thousands of team key results).
    groups: Sequence[TeamGroup] = ()
    stepped: bool = False  # expected pace follows quarterly steps
    expected_value: float | None = None
    direct_total: Decimal | None = None
    direct_count: int = 0
    covered: bool = False

    @property
    def id(self) -> str:
        return f"k{self.row.id}"


@dataclass(slots=True)
class ObjectiveNode:
    row: ObjectiveRow
    progress: float | None
    expected: float | None
    behind: bool
    confidence: str
    key_results: list[KeyResultNode]
    # Strategic objectives: team objectives aligned to the objective itself.
    groups: Sequence[TeamGroup] = ()
    covered: bool = False
    # Team objectives: why it is an orphan ("none": no parent; "elsewhere": the parent
    # is archived or in another year).
    orphan_reason: str = ""

    @property
    def id(self) -> str:
        return f"o{self.row.id}"

    @property
    def at_risk(self) -> bool:
        return self.confidence in AT_RISK_CONFIDENCES or self.behind


@dataclass(slots=True)
class TeamGroup:
    """A team's objectives under one parent node (or among the orphans): what lazy expand opens."""

    team: TeamRow
    parent_key: str  # the parent node's public id (its uuid as text) or "orphans"
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


def key_result_progress(kr: KeyResultRow) -> float | None:
    if kr.kind == rules.MILESTONE:
        return maths.milestone_progress(kr.done, kr.steps_done, kr.steps_total)
    current = kr.current_value if kr.current_value is not None else kr.start_value
    return maths.metric_progress(kr.start_value, kr.target_value, current)


def step_fractions(kr: KeyResultRow, steps: Sequence[StepRow]) -> list[tuple[date, float]]:
    """Quarterly step targets as cumulative fractions of the way from start to target."""
    if kr.kind != rules.METRIC or kr.start_value is None or kr.target_value is None:
        return []
    span = kr.target_value - kr.start_value
    if span == 0:
        return []
    return [(s.end_date, float((s.target_value - kr.start_value) / span)) for s in steps]


def expected_with_steps(
    kr: KeyResultRow, steps: Sequence[StepRow], start: date, end: date, today: date
) -> tuple[float, bool]:
    """Expected progress today: through the quarterly steps if any, else linear. (value, stepped)."""
    fractions = step_fractions(kr, steps)
    if fractions:
        return maths.expected_progress_stepped(fractions, start, today), True
    return maths.expected_progress(start, end, today), False


def worst_confidence(confidences: Iterable[str]) -> str:
    worst = ""
    for confidence in confidences:
        if _CONFIDENCE_RANK.get(confidence or "", 0) > _CONFIDENCE_RANK[worst]:
            worst = confidence
    return worst


def _mean(items: Iterable[float | None | tuple[float | None, float]]) -> float | None:
    """``okr.lib.progress.objective_progress`` for values that are already clean.

    Progress values here come from ``metric_progress``/``milestone_progress``
    (0..1 or ``None``) and weights are positive, so the checks and
    conversions of the general function (a third of the time of a large
    tree) are not needed; the result is the same (the tests compare them).
    """
    total = weights = 0.0
    low, high = 1.0, 0.0
    for item in items:
        progress, weight = item if isinstance(item, tuple) else (item, 1.0)
        if progress is None or weight <= 0:
            continue
        total += progress * weight
        weights += weight
        low, high = min(low, progress), max(high, progress)
    if weights == 0:
        return None
    return min(max(total / weights, low), high)


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
    row: ObjectiveRow, krs: list[KeyResultNode], expected_default: float
) -> ObjectiveNode:
    progress = _mean((kr.progress, float(kr.row.weight)) for kr in krs)
    expected_values = [kr.expected for kr in krs if kr.expected is not None]
    expected = sum(expected_values) / len(expected_values) if expected_values else expected_default
    return ObjectiveNode(
        row=row,
        progress=progress,
        expected=expected,
        behind=maths.is_behind_pace(progress, expected),
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
                progress=_mean(n.progress for n in members),
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
    today: date,
    filters: Filters = Filters(),  # noqa: B008 - frozen, shared safely
) -> Tree:
    """The tree of one year: ``cycles`` are the year and its quarters, the rows live in them.

    ``teams`` are in display order. Rows of other cycles are ignored.
    """
    cycle_by_id = {c.id: c for c in cycles}
    year = next((c for c in cycles if c.kind == "year"), None)
    team_by_id = {t.id: t for t in teams}
    team_rank = {t.id: (i, t.name) for i, t in enumerate(teams)}
    steps_by_kr: dict[int, list[StepRow]] = defaultdict(list)
    for step in steps:
        steps_by_kr[step.key_result_id].append(step)
    linear: dict[int, float] = {
        c.id: maths.expected_progress(c.start_date, c.end_date, today) for c in cycles
    }

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

    # Strategic key results first: team key results need their unit and target.
    strategic_kr_nodes: dict[int, KeyResultNode] = {}
    strategic_nodes: list[ObjectiveNode] = []
    for row in strategic_rows:
        kr_nodes = []
        for kr in krs_by_objective.get(row.id, ()):
            expected, stepped = expected_with_steps(
                kr, steps_by_kr.get(kr.id, ()), year.start_date, year.end_date, today
            )
            progress = key_result_progress(kr)
            node = KeyResultNode(
                row=kr,
                progress=progress,
                expected=expected,
                behind=maths.is_behind_pace(progress, expected),
                stepped=stepped,
                expected_value=maths.expected_value(kr.start_value, kr.target_value, expected)
                if kr.kind == rules.METRIC
                else None,
            )
            kr_nodes.append(node)
            strategic_kr_nodes[kr.id] = node
        strategic_nodes.append(_objective_node(row, kr_nodes, linear[year.id]))
    strategic_by_id = {n.row.id: n for n in strategic_nodes}

    # Team objectives, with contributions summed over the whole year.
    contributions: dict[int, list[Decimal | None]] = defaultdict(list)
    team_nodes: list[ObjectiveNode] = []
    behind_pace = maths.is_behind_pace
    for row in team_rows:
        parent_kr = strategic_kr_nodes.get(row.parent_key_result_id)
        # Only a direct link can add numbers: skip the unit checks for the rest.
        if row.alignment != rules.DIRECT:
            parent_kr = None
        expected = linear[row.cycle_id]
        kr_nodes = []
        for kr in krs_by_objective.get(row.id, ()):
            progress = key_result_progress(kr)
            node = KeyResultNode(kr, progress, expected, behind_pace(progress, expected))
            if parent_kr is not None and rules.adds_into(
                alignment=row.alignment,
                child_kind=kr.kind,
                child_unit=kr.unit,
                parent_kind=parent_kr.row.kind,
                parent_unit=parent_kr.row.unit,
            ):
                node.contribution = Contribution(
                    value=kr.current_value,
                    parent_id=parent_kr.row.id,
                    parent_title=parent_kr.row.title,
                    parent_target=parent_kr.row.target_value,
                    unit=parent_kr.row.unit,
                )
                contributions[parent_kr.row.id].append(kr.current_value)
            kr_nodes.append(node)
        team_nodes.append(_objective_node(row, kr_nodes, linear[row.cycle_id]))
    for kr_id, values in contributions.items():
        node = strategic_kr_nodes[kr_id]
        node.direct_total = rules.contribution_sum(values)
        node.direct_count = len(values)

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
        orphans=_groups(orphans, "orphans", team_by_id, team_rank),
        uncovered_objectives=[n for n in strategic_nodes if not n.covered],
        uncovered_key_results=[
            kr for n in strategic_nodes for kr in n.key_results if not kr.covered
        ],
    )
