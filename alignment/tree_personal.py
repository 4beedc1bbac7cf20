"""Personal objectives in the alignment tree: a third level, never counted.

Pure, like ``alignment.tree``: after ``build``, ``attach`` hangs each personal
objective (``level`` "personal", okr/personal) under the team objective or team key
result it sits under, when that one is shown. Their numbers are the engine's (stored
on the rows while they hold today), but they add into nothing: coverage, team
groups, sums and scores are the tree's as ``build`` made them. Their rows come with
the tree's (the same queries), so the tree's query count does not move.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date

from alignment.tree import (
    CycleRow,
    KeyResultNode,
    KeyResultRow,
    ObjectiveNode,
    ObjectiveRow,
    Tree,
    _objective_node,
    facts_of,
)
from okr.lib import progress as maths
from okr.lib.progress import stored

PERSONAL = "personal"


def _node(
    row: ObjectiveRow,
    krs: Sequence[KeyResultRow],
    cycle: CycleRow,
    scores: Mapping[str, float],
    today: date,
) -> ObjectiveNode:
    kr_nodes, all_kept = [], True
    for kr in krs:
        numbers = stored.key_result_numbers(kr.stored_numbers, kr.numbers_on, today, cycle.closed)
        if numbers is None:
            all_kept = False
            facts = facts_of(kr, cycle, score=scores.get(f"k{kr.id}"))
            numbers = maths.key_result_status(facts, on=today)
        kr_nodes.append(KeyResultNode(kr, numbers))
    numbers = (
        stored.objective_numbers(row.stored_numbers, row.numbers_on, today, cycle.closed)
        if all_kept
        else None
    )
    return _objective_node(row, kr_nodes, cycle, scores.get(f"o{row.id}"), numbers)


def attach(
    tree: Tree | None,
    *,
    cycles: Sequence[CycleRow],
    objectives: Sequence[ObjectiveRow],
    key_results: Sequence[KeyResultRow],
    scores: Mapping[str, float] = {},  # noqa: B006 - read only
    today: date,
) -> None:
    """Set ``personal`` on the shown team objectives and team key results that have some."""
    if tree is None:
        return
    cycle_by_id = {c.id: c for c in cycles if c.kind == "quarter"}
    rows = [o for o in objectives if o.level == PERSONAL and o.cycle_id in cycle_by_id]
    if not rows:
        return
    wanted = {row.id for row in rows}
    krs_by_objective: dict[int, list[KeyResultRow]] = defaultdict(list)
    for kr in key_results:
        if kr.objective_id in wanted:
            krs_by_objective[kr.objective_id].append(kr)
    team_objectives: dict[int, ObjectiveNode] = {}
    team_krs: dict[int, KeyResultNode] = {}
    for node in tree.team_objectives():
        team_objectives[node.row.id] = node
        team_krs.update((kr.row.id, kr) for kr in node.key_results)
    under: dict[object, list[ObjectiveNode]] = defaultdict(list)
    for row in rows:
        if row.parent_key_result_id in team_krs:
            parent = team_krs[row.parent_key_result_id]
        elif row.parent_objective_id in team_objectives:
            parent = team_objectives[row.parent_objective_id]
        else:
            continue  # its parent is not shown (filtered, archived): neither is it
        node = _node(
            row, krs_by_objective.get(row.id, ()), cycle_by_id[row.cycle_id], scores, today
        )
        under[parent.id].append(node)
    for parent in (*team_objectives.values(), *team_krs.values()):
        if parent.id in under:
            parent.personal = under[parent.id]
