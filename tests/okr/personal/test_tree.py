"""Personal objectives in the alignment tree: a third level, collapsed, same query count."""

from __future__ import annotations

from decimal import Decimal

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alignment import tree as tree_module
from alignment import tree_personal
from conftest import client_for
from okr.personal import services

HTMX = {"HTTP_HX_REQUEST": "true"}


def _tree_queries(client, url) -> tuple[int, str]:
    cache.clear()  # rendered once per revision: count a real render
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_a_third_level_collapsed_and_the_query_count_does_not_move(world):
    client = client_for(world.cast.leader)
    url = reverse("alignment:tree", args=["acme"]) + "?expand=all"
    before, _page = _tree_queries(client, url)
    personal = []
    for i in range(4):
        objective = services.personal_objective_create(
            organisation=world.cast.org,
            author=world.cast.member,
            title=f"Personligt mål {i}",
            parent_key_result=world.team_kr if i % 2 else None,
            parent_objective=None if i % 2 else world.team_objective,
        )
        services.personal_key_result_create(
            objective=objective,
            author=world.cast.member,
            title=f"Personligt nyckelresultat {i}",
            kind="metric",
            start_value=Decimal(0),
            target_value=Decimal(5),
        )
        personal.append(objective)
    after, page = _tree_queries(client, url)
    assert after <= before
    assert page.count('<details class="personal-okrs">') == 2  # under the objective, under the KR
    assert " open" not in page.split('<details class="personal-okrs"')[1][:5]  # collapsed
    for objective in personal:
        assert f'id="n-{objective.uuid}"' in page
    assert "Personligt nyckelresultat 3" in page


def test_the_lazy_expand_fragment_carries_them_too(world):
    objective = services.personal_objective_create(
        organisation=world.cast.org,
        author=world.cast.member,
        title="Personligt under KR",
        parent_key_result=world.team_kr,
    )
    url = reverse("alignment:tree", args=["acme"])
    fragment = client_for(world.cast.member).get(
        f"{url}?expand={world.cast.team.uuid}&under={world.strategic_kr.uuid}", **HTMX
    )
    assert fragment.status_code == 200
    assert objective.title in fragment.content.decode()


def test_attach_is_pure_and_leaves_the_counted_tree_alone(world):
    """Rows written by hand: a personal row changes no number, coverage or group of the tree."""
    from alignment import selectors

    rows = selectors.tree_rows(world.cast.org, world.year, list(world.year.quarters.all()))
    today = world.quarter.start_date
    built = tree_module.build(
        cycles=rows.cycles,
        teams=selectors.teams_of(world.cast.org),
        objectives=rows.objectives,
        key_results=rows.key_results,
        today=today,
    )
    team_node = next(built.team_objectives())
    personal_row = team_node.row._replace(
        id=10**9,
        uuid="p",
        level="personal",
        parent_objective_id=team_node.row.id,
        parent_key_result_id=None,
    )
    numbers_before = (team_node.numbers, built.covered_ids(), list(built.groups()))
    tree_personal.attach(
        built,
        cycles=rows.cycles,
        objectives=[*rows.objectives, personal_row],
        key_results=rows.key_results,
        today=today,
    )
    assert [n.row.id for n in team_node.personal] == [10**9]
    assert (team_node.numbers, built.covered_ids(), list(built.groups())) == numbers_before


def test_the_tree_api_carries_them_under_their_parent(world):
    from tests.support.api import api, session_api

    objective = services.personal_objective_create(
        organisation=world.cast.org,
        author=world.cast.member,
        title="Personligt i API:t",
        parent_key_result=world.team_kr,
    )
    data = session_api(world.cast.leader).get(api("acme", "alignment/tree/")).json()
    team_objective = data["strategic_objectives"][0]["key_results"][0]["teams"][0]["objectives"][0]
    under_kr = team_objective["key_results"][0]["personal"]
    assert [p["id"] for p in under_kr] == [str(objective.uuid)]
    assert under_kr[0]["owner"] == str(world.cast.member.uuid)
    assert team_objective["personal"] == []
