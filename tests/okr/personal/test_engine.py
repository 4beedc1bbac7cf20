"""Personal OKRs never count: a team's numbers are the same with and without them below it.

Even a personal objective forced to a *direct* link into a key result that sums its
direct contributions adds nothing (the engine's inputs leave it out), and the tree
shows the same numbers and coverage.
"""

from __future__ import annotations

from decimal import Decimal

from alignment import selectors as alignment_selectors
from okr.lib import calendar
from okr.models import KeyResult, Objective
from okr.objectives import numbers, stored
from okr.objectives import services as core
from okr.personal import services
from tests.support.factories import metric_kr


def _snapshot(world, summing):
    """Every number a page, the API or the close reads of the team's and the strategic OKRs."""
    today = calendar.today(world.cast.org)
    krs = KeyResult.objects.filter(pk__in=[world.team_kr.pk, summing.pk, world.strategic_kr.pk])
    objectives = Objective.objects.filter(pk__in=[world.team_objective.pk, world.strategic.pk])
    fresh = list(
        Objective.objects.filter(pk__in=[world.team_objective.pk, world.strategic.pk])
        .select_related("cycle")
        .prefetch_related("key_results")
        .order_by("pk")
    )
    numbers.annotate_objectives(fresh, today)
    choices = alignment_selectors.tree_choices(world.cast.org)
    tree = alignment_selectors.alignment_tree(world.cast.org, choices, today=today).tree
    team_node = next(tree.team_objectives())
    strategic_node = tree.strategic[0]
    return {
        "krs": sorted(krs.values_list("pk", "current_value", "stored_progress", "stored_numbers")),
        "objectives": sorted(objectives.values_list("pk", "stored_progress", "stored_numbers")),
        "engine": [(o.pk, o.numbers) for o in fresh],
        "engine_krs": [(kr.pk, kr.numbers) for o in fresh for kr in o.key_results.all()],
        "tree_team": (team_node.numbers, [kr.numbers for kr in team_node.key_results]),
        "tree_strategic": (
            strategic_node.numbers,
            [(kr.numbers, kr.direct_total, kr.direct_count) for kr in strategic_node.key_results],
        ),
        "covered": tree.covered_ids(),
        "children": numbers.direct_children_values([summing.pk, world.strategic_kr.pk]),
    }


def test_a_teams_numbers_are_the_same_with_and_without_personal_okrs_below(world):
    summing = metric_kr(
        world.team_objective, title="10 nya kunder", unit="kunder", target=10, rollup="sum"
    )
    stored.refresh(objectives=[world.team_objective, world.strategic])
    before = _snapshot(world, summing)

    member = world.cast.member
    for parent in (summing, world.team_kr):
        personal = services.personal_objective_create(
            organisation=world.cast.org,
            author=member,
            title="Mitt bidrag",
            parent_key_result=parent,
        )
        # Forced to a direct link (the services never make one): still never counted.
        Objective.objects.filter(pk=personal.pk).update(alignment=Objective.Alignment.DIRECT)
        personal.refresh_from_db()
        kr = services.personal_key_result_create(
            objective=personal,
            author=member,
            title="Mina kunder",
            kind="metric",
            start_value=Decimal(0),
            target_value=Decimal(10),
            unit=parent.unit,
        )
        core.check_in_record(key_result=kr, author=member, confidence="on_track", value=7)
    services.personal_objective_create(
        organisation=world.cast.org,
        author=member,
        title="Under målet självt",
        parent_objective=world.team_objective,
    )
    stored.refresh(objectives=[world.team_objective, world.strategic])

    # The setup does put a direct child in "kunder" with a value under the summing key result:
    direct = KeyResult.objects.filter(
        objective__parent_key_result=summing, objective__alignment="direct", current_value=7
    )
    assert direct.exists()
    assert _snapshot(world, summing) == before
    assert alignment_selectors.direct_children(summing).count() == 0
    assert numbers.summing_parent(personal) is None
