"""Properties of the pure tree builder (alignment/tree.py), on random organisations."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from alignment import tree as t
from tests.support.tree import CYCLES, Q1, Q2, YEAR, kr, objective, team

STRAY_CYCLE = 77
CONFIDENCES = ["", "on_track", "at_risk", "off_track"]
STATUSES = ["draft", "proposed", "changes_requested", "approved"]


@st.composite
def organisations(draw):
    """(teams, objectives, key results, steps) of one year, with every kind of odd link."""
    n_teams = draw(st.integers(1, 5))
    teams = []
    for i in range(1, n_teams + 1):
        parent = draw(st.one_of(st.none(), st.integers(1, i - 1))) if i > 1 else None
        teams.append(team(i, f"Team {i}", parent))
    objectives, key_results, steps = [], [], []
    strategic_ids, strategic_kr_ids = [], []
    next_kr = 1000
    for i in range(1, draw(st.integers(0, 4)) + 1):
        objectives.append(objective(i, f"S{i}", level="strategic"))
        strategic_ids.append(i)
        for _ in range(draw(st.integers(0, 3))):
            next_kr += 1
            unit = draw(st.sampled_from(["st", "MSEK"]))
            key_results.append(kr(next_kr, i, f"SK{next_kr}", unit=unit, target=Decimal(20)))
            strategic_kr_ids.append(next_kr)
            if draw(st.booleans()):
                steps.append(t.StepRow(next_kr, Q1.end_date, Decimal(draw(st.integers(0, 20)))))
    for i in range(100, 100 + draw(st.integers(0, 25))):
        parent = draw(
            st.one_of(
                st.just(("none", None)),
                st.just(("objective", 999)),
                st.just(("kr", 99_999)),
                *(
                    [st.sampled_from([("objective", s) for s in strategic_ids])]
                    if strategic_ids
                    else []
                ),
                *(
                    [st.sampled_from([("kr", k) for k in strategic_kr_ids])]
                    if strategic_kr_ids
                    else []
                ),
            )
        )
        cycle = draw(st.sampled_from([Q1, Q2, Q1._replace(id=STRAY_CYCLE)]))
        objectives.append(
            objective(
                i,
                f"T{i}",
                team_id=draw(st.integers(1, n_teams)),
                cycle=cycle,
                parent_objective=parent[1] if parent[0] == "objective" else None,
                parent_kr=parent[1] if parent[0] == "kr" else None,
                alignment=draw(st.sampled_from(["direct", "indirect"])),
                status=draw(st.sampled_from(STATUSES)),
                owner=draw(st.one_of(st.none(), st.integers(1, 3))),
            )
        )
        for _ in range(draw(st.integers(0, 3))):
            next_kr += 1
            kind = draw(st.sampled_from(["metric", "milestone"]))
            key_results.append(
                kr(
                    next_kr,
                    i,
                    f"TK{next_kr}",
                    kind=kind,
                    unit=draw(st.sampled_from(["st", "MSEK", "msek"])),
                    current=draw(st.one_of(st.none(), st.integers(0, 12).map(Decimal))),
                    done=draw(st.booleans()),
                    owner=draw(st.one_of(st.none(), st.integers(1, 3))),
                    confidence=draw(st.sampled_from(CONFIDENCES)),
                )
            )
    return teams, objectives, key_results, steps


@st.composite
def filters(draw, teams):
    team_ids = None
    if draw(st.booleans()):
        team_ids = t.team_with_descendants(teams, draw(st.sampled_from([x.id for x in teams])))
    return t.Filters(
        quarter_ids=draw(st.sampled_from([None, frozenset({Q1.id}), frozenset({Q2.id})])),
        team_ids=team_ids,
        statuses=draw(st.one_of(st.none(), st.sets(st.sampled_from(STATUSES)).map(frozenset))),
        at_risk=draw(st.booleans()),
        owner_id=draw(st.one_of(st.none(), st.integers(1, 3))),
    )


DAYS = st.integers(0, 364).map(lambda n: YEAR.start_date + timedelta(days=n))


def run(org, today, filters_=t.Filters()):  # noqa: B008
    teams, objectives, key_results, steps = org
    return t.build(
        cycles=CYCLES,
        teams=teams,
        objectives=objectives,
        key_results=key_results,
        steps=steps,
        today=today,
        filters=filters_,
    )


def in_year(org):
    return [o for o in org[1] if o.level == "team" and o.cycle_id in (Q1.id, Q2.id)]


@settings(max_examples=150, deadline=None)
@given(org=organisations(), today=DAYS)
def test_every_team_objective_appears_exactly_once_under_its_parent_or_among_the_orphans(
    org, today
):
    tree = run(org, today)
    seen = Counter(o.row.id for o in tree.team_objectives())
    assert seen == Counter(o.id for o in in_year(org))
    strategic_kr = {k.row.id: str(k.row.uuid) for s in tree.strategic for k in s.key_results}
    strategic = {s.row.id: str(s.row.uuid) for s in tree.strategic}
    for group in tree.groups():
        for node in group.objectives:
            row = node.row
            if row.parent_key_result_id in strategic_kr:
                assert group.parent_key == strategic_kr[row.parent_key_result_id]
            elif row.parent_objective_id in strategic:
                assert group.parent_key == strategic[row.parent_objective_id]
            else:
                assert group.parent_key == "orphans" and node.orphan_reason in ("none", "elsewhere")
            assert node.row.team_id == group.team.id


@settings(max_examples=150, deadline=None)
@given(data=st.data(), org=organisations(), today=DAYS)
def test_covered_and_uncovered_are_disjoint_and_make_up_every_strategic_node(data, org, today):
    tree = run(org, today, data.draw(filters(org[0])))
    covered, uncovered = tree.covered_ids(), tree.uncovered_ids()
    assert covered.isdisjoint(uncovered)
    assert covered | uncovered == tree.strategic_ids()
    # Covered means a team objective of the period hangs there (or, for an objective, under a KR).
    for s in tree.strategic:
        krs_covered = any(k.covered for k in s.key_results)
        assert s.covered >= krs_covered


@settings(max_examples=150, deadline=None)
@given(data=st.data(), org=organisations(), today=DAYS)
def test_filters_never_add_nodes_and_never_change_numbers(data, org, today):
    everything = run(org, today)
    first = data.draw(filters(org[0]))
    narrowed = run(org, today, first)
    assert narrowed.node_ids() <= everything.node_ids()
    # Narrowing further never adds either.
    stricter = t.Filters(
        quarter_ids=first.quarter_ids,
        team_ids=first.team_ids,
        statuses=first.statuses,
        at_risk=True,
        owner_id=first.owner_id,
    )
    assert run(org, today, stricter).node_ids() <= narrowed.node_ids()
    # Strategic nodes always stay; their numbers never depend on the filters.
    assert narrowed.strategic_ids() == everything.strategic_ids()
    totals = {
        k.id: (k.direct_total, k.direct_count, k.progress)
        for s in everything.strategic
        for k in s.key_results
    }
    assert {
        k.id: (k.direct_total, k.direct_count, k.progress)
        for s in narrowed.strategic
        for k in s.key_results
    } == totals


@settings(max_examples=100, deadline=None)
@given(org=organisations(), today=DAYS)
def test_progress_stays_within_its_parts(org, today):
    tree = run(org, today)
    for node in [*tree.strategic, *tree.team_objectives()]:
        parts = [k.progress for k in node.key_results if k.progress is not None]
        if not parts:
            assert node.progress is None
        else:
            assert min(parts) - 1e-9 <= node.progress <= max(parts) + 1e-9
        for k in node.key_results:
            assert k.expected is None or 0.0 <= k.expected <= 1.0
    for group in tree.groups():
        assert group.progress is None or 0.0 <= group.progress <= 1.0


@settings(max_examples=100, deadline=None)
@given(org=organisations())
def test_expected_pace_never_goes_down_over_the_year(org):
    previous = None
    for day in (YEAR.start_date + timedelta(days=n) for n in range(0, 365, 30)):
        tree = run(org, day)
        current = {k.id: k.expected for s in tree.strategic for k in s.key_results}
        if previous is not None:
            assert all(current[key] >= previous[key] - 1e-9 for key in current)
        previous = current
    assert date(2026, 12, 31) == YEAR.end_date
