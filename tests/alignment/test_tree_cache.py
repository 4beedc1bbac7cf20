"""The alignment tree is rendered once per revision of the organisation (accounts.revision).

A second request with the same filters on the same day is served from the
cache (the user and the membership: 2 queries); every kind of
write that changes what the tree shows makes the next request render it again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import revision
from alignment import services as alignment_services
from conftest import client_for
from okr.lib import calendar
from okr.objectives import services
from tests.support.factories import (
    CheckInFactory,
    ObjectiveFactory,
    TeamFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(cast):
    cache.clear()
    year, quarter = year_and_quarter(cast.org)
    strategic = strategic_objective(cast.org, year, title="Vårt starkaste tillväxtår")
    parent = metric_kr(strategic, title="20MSEK försäljning", target=20)
    objective = ObjectiveFactory(
        organisation=cast.org,
        level="team",
        team=cast.team,
        cycle=quarter,
        parent_key_result=parent,
        status="approved",
        title="Norska kunder",
    )
    kr = metric_kr(objective, title="10 norska kunder", target=10, unit="kunder")
    other = ObjectiveFactory(
        organisation=cast.org,
        level="team",
        team=TeamFactory(organisation=cast.org, name="Marknad"),
        cycle=quarter,
        parent_objective=strategic,
        status="approved",
        title="Katalog på norska",
    )
    return {
        "strategic": strategic,
        "objective": objective,
        "kr": kr,
        "other": other,
        "url": reverse("alignment:tree", args=["acme"]) + "?expand=all",
    }


def get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def tree_part(html: str) -> str:
    """The tree itself (the rest of the page has the request's nonce and CSRF token)."""
    return html[html.index('<div id="tree-region"') : html.index("</main>")]


def test_the_second_request_is_served_from_the_cache(cast, world):
    client = client_for(cast.member)
    client.get(reverse("okr:home", args=["acme"]))  # the session is warm
    first, rendered = get(client, world["url"])
    second, served = get(client, world["url"])
    assert tree_part(first) == tree_part(second)
    assert served == 2 < rendered  # the user and the membership (the session is cached too)
    # Another member, the same filters: the same copy. The filter region (HTMX) too.
    assert get(client_for(cast.leader), world["url"])[0].count("Norska kunder") == first.count(
        "Norska kunder"
    )
    region, queries = get(client, world["url"], **HTMX)
    assert "Norska kunder" in region and "<html" not in region
    # Other filters are another copy.
    collapsed, _queries = get(client, reverse("alignment:tree", args=["acme"]))
    assert collapsed != first


def test_a_check_in_is_seen_at_once(cast, world):
    client = client_for(cast.member)
    before, _queries = get(client, world["url"])
    assert 'data-progress="40"' not in before
    CheckInFactory(key_result=world["kr"], value=Decimal(4))
    after, queries = get(client, world["url"])
    assert 'data-progress="40"' in after and queries > 2


def test_edits_archives_and_moves_are_seen_at_once(cast, world):
    client = client_for(cast.member)
    get(client, world["url"])
    kr = world["kr"]
    services.key_result_update(key_result=kr, version=kr.version, title="12 norska kunder")
    page, _queries = get(client, world["url"])
    assert "12 norska kunder" in page
    services.key_result_archive(key_result=kr)  # a QuerySet.update(): bumped by the service
    page, _queries = get(client, world["url"])
    assert "12 norska kunder" not in page
    services.objective_move(objective=world["other"], offset=-1)
    moved, _queries = get(client, world["url"])
    assert moved != page


def test_teams_people_and_dependencies_are_seen_at_once(cast, world):
    client = client_for(cast.member)
    get(client, world["url"])
    cast.team.name = "Tillväxt Norge"
    cast.team.save()
    page, _queries = get(client, world["url"])
    assert "Tillväxt Norge" in page
    dependency = alignment_services.dependency_create(
        organisation=cast.org,
        created_by=None,
        needing_objective=world["objective"],
        delivering_objective=world["other"],
        description="Katalogen på norska först",
        needed_by=calendar.today(cast.org) + timedelta(days=10),
    )
    page, _queries = get(client, world["url"])
    assert "Katalogen på norska först" in page
    alignment_services.dependency_set_state(dependency=dependency, state="resolved")
    page, _queries = get(client, world["url"])
    assert "Katalogen på norska först" not in page


def test_a_bump_also_follows_the_commit(cast, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        before = revision.current(cast.org.pk)
        revision.bump(cast.org.pk)
        during = revision.current(cast.org.pk)
    assert during > before and callbacks
    for callback in callbacks:
        callback()
    assert revision.current(cast.org.pk) > during


def test_a_lost_revision_starts_afresh_and_never_reads_an_old_copy(cast, world):
    client = client_for(cast.member)
    get(client, world["url"])
    cache.delete(f"org-revision:{cast.org.pk}")
    CheckInFactory(key_result=world["kr"], value=Decimal(4))  # bumps a missing revision
    page, queries = get(client, world["url"])
    assert 'data-progress="40"' in page and queries > 2


# --- A cache miss reads the numbers stored on the rows ---------------------------------------


def test_the_tree_uses_the_numbers_stored_today_and_computes_the_rest():
    from alignment import tree as t
    from okr.lib import progress as engine
    from okr.lib.progress import stored
    from tests.support import tree as rows

    today = rows.Q1.start_date + timedelta(days=30)
    team = rows.team(1, "Marknad")
    strategic = rows.objective(1, "Strategi", level="strategic")
    kept_objective = rows.objective(2, "Lagrat", team_id=1, parent_objective=1)
    fresh_objective = rows.objective(3, "Räknat", team_id=1, parent_objective=1)
    kept_kr = rows.kr(10, 2, current=Decimal(2))
    stale_kr = rows.kr(11, 3, current=Decimal(2))
    # What the engine would say, written as if the row said 90 %: proof the stored row is read.
    facts = t.facts_of(kept_kr, rows.Q1)
    shown = engine.key_result_status(replace(facts, current=Decimal(9)), on=today)
    shown_objective = engine.objective_numbers([shown])
    kept_kr = kept_kr._replace(stored_numbers=stored.to_json(shown), numbers_on=today)
    kept_objective = kept_objective._replace(
        stored_numbers=stored.to_json(shown_objective), numbers_on=today
    )
    yesterday = today - timedelta(days=1)
    stale_kr = stale_kr._replace(stored_numbers=stored.to_json(shown), numbers_on=yesterday)
    tree = t.build(
        cycles=rows.CYCLES,
        teams=[team],
        objectives=[strategic, kept_objective, fresh_objective],
        key_results=[kept_kr, stale_kr],
        today=today,
    )
    by_title = {o.row.title: o for o in tree.team_objectives()}
    assert by_title["Lagrat"].key_results[0].numbers == shown
    assert by_title["Lagrat"].numbers == shown_objective
    assert by_title["Räknat"].key_results[0].progress == pytest.approx(0.2)  # its own facts
    assert by_title["Räknat"].progress == pytest.approx(0.2)
