"""The collapsed tree is bounded: at most ``GROUPS_SHOWN`` team groups under a node and among the
orphans, at most ``DEPENDENCIES_SHOWN`` open dependencies (late ones first); the rest come with
"Show N more", in place with htmx or as the page that shows them all. The print view shows all.

So the page a large organisation opens first does not grow with its number of teams.
"""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from alignment import services as alignment_services
from alignment.render_context import DEPENDENCIES_SHOWN, GROUPS_SHOWN, ORPHANS_OPEN
from tests.alignment.test_tree import HTMX, body, group_id, make_world
from tests.support.factories import KeyResultFactory, ObjectiveFactory, TeamFactory

EXTRA = 14  # extra teams: under the key result 2 + 14 groups, under Norway 1 + 14


@pytest.fixture
def world(cast):
    return make_world(cast, extra_teams=EXTRA)


def groups_under(page: str, node) -> list[str]:
    """The team groups' ids under a strategic node, in the page's order."""
    return re.findall(rf'<li class="team-group" id="(g-{node.uuid}-[0-9a-f-]+)"', page)


def more_item(page: str, key: str) -> str:
    start = page.index(f'<li class="more-rows no-print" id="more-{key}">')
    return page[start : page.index("</li>", start)]


def test_collapsed_tree_shows_the_first_teams_under_a_node_and_a_way_to_the_rest(
    world, member_client
):
    page = body(member_client.get(world.url()))
    assert len(groups_under(page, world.kr)) == GROUPS_SHOWN
    assert len(groups_under(page, world.norway)) == GROUPS_SHOWN
    item = more_item(page, world.kr.uuid)
    assert ">Show 4 more teams</a>" in item
    assert f'href="/acme/alignment/?more={world.kr.uuid}#n-{world.kr.uuid}"' in item
    hx = f"/acme/alignment/?more={world.kr.uuid}&amp;rest={world.kr.uuid}"
    assert f'hx-get="{hx}"' in item and f'hx-target="#more-{world.kr.uuid}"' in item
    assert ">Show 3 more teams</a>" in more_item(page, world.norway.uuid)
    # The groups shown are the first ones of the full list, in the same order.
    full = groups_under(body(member_client.get(world.url(more=str(world.kr.uuid)))), world.kr)
    assert groups_under(page, world.kr) == full[:GROUPS_SHOWN]


def test_more_shows_every_team_of_that_node_without_javascript(world, member_client):
    page = body(member_client.get(world.url(more=str(world.kr.uuid))))
    assert len(groups_under(page, world.kr)) == 2 + EXTRA
    assert f'id="more-{world.kr.uuid}"' not in page
    assert len(groups_under(page, world.norway)) == GROUPS_SHOWN  # the other node stays bounded
    # Opening a team keeps the list shown in full.
    assert f"?expand={world.sales.uuid}&amp;more={world.kr.uuid}#" in page


def test_more_in_place_brings_only_the_rest(world, member_client):
    collapsed = groups_under(body(member_client.get(world.url())), world.kr)
    fragment = body(
        member_client.get(world.url(more=str(world.kr.uuid), rest=str(world.kr.uuid)), **HTMX)
    )
    assert "<html" not in fragment and fragment.startswith('<ul class="more-children">')
    rest = groups_under(fragment, world.kr)
    assert len(rest) == 4 and not set(rest) & set(collapsed)
    assert "data-focus-after-swap" in fragment  # focus moves to the first team that came


def test_an_opened_team_is_shown_where_it_falls(world, member_client, cast):
    last = TeamFactory(organisation=cast.org, name="Ö sist", order=99)
    ObjectiveFactory(
        organisation=cast.org,
        level="team",
        team=last,
        title="Sist i ordningen",
        parent_key_result=world.kr,
        status="approved",
    )
    assert group_id(world.kr, last) not in body(member_client.get(world.url()))
    page = body(member_client.get(world.url(expand=str(last.uuid))))
    assert f'id="{group_id(world.kr, last)}"' in page and "Sist i ordningen" in page
    assert len(groups_under(page, world.kr)) == GROUPS_SHOWN + 1
    assert ">Show 4 more teams</a>" in more_item(page, world.kr.uuid)


def test_the_print_view_shows_everything(world, member_client):
    page = body(member_client.get(world.url(expand="all")))
    assert len(groups_under(page, world.kr)) == 2 + EXTRA
    assert 'class="more-rows' not in page


def test_orphans_are_bounded_too(world, member_client, cast):
    for index in range(GROUPS_SHOWN + 2):
        team = TeamFactory(organisation=cast.org, name=f"Ensam {index:02}", order=50 + index)
        ObjectiveFactory(
            organisation=cast.org, level="team", team=team, title=f"Föräldralöst {index:02}"
        )
    page = body(member_client.get(world.url()))
    item = more_item(page, "orphans")
    assert ">Show 3 more teams</a>" in item and "#orphans-heading" in item
    assert "Föräldralöst 13" not in page
    fragment = body(member_client.get(world.url(more="orphans", rest="orphans"), **HTMX))
    assert "Föräldralöst 13" in fragment and "Föräldralöst 00" not in fragment
    assert "Föräldralöst 13" in body(member_client.get(world.url(more="orphans")))


def test_many_orphans_open_one_team_at_a_time(world, member_client, cast):
    """Few orphans show open; beyond ``ORPHANS_OPEN`` objectives their teams open like a node's
    (a toggle, lazily with htmx, or as the page with that team open)."""
    page = body(member_client.get(world.url()))
    assert "Ett mål utan förälder" in page  # one orphan: open
    teams = [
        TeamFactory(organisation=cast.org, name=f"Ensam {index}", order=50 + index)
        for index in range(3)
    ]
    for index in range(ORPHANS_OPEN):
        ObjectiveFactory(
            organisation=cast.org,
            level="team",
            team=teams[index % 3],
            title=f"Föräldralöst {index:02}",
        )
    page = body(member_client.get(world.url()))
    assert "Föräldralöst 00" not in page and "Ett mål utan förälder" not in page
    orphans = page.split('id="orphans-heading"')[1]
    first = teams[0]
    anchor = f"g-orphans-{first.uuid}"
    assert f'<li class="team-group" id="{anchor}"><a class="toggle"' in orphans
    assert f'href="/acme/alignment/?expand={first.uuid}#{anchor}"' in orphans
    opened = body(member_client.get(world.url(expand=str(first.uuid))))
    assert "Föräldralöst 00" in opened and "Föräldralöst 01" not in opened  # that team only
    fragment = body(member_client.get(world.url(expand=str(first.uuid), under="orphans"), **HTMX))
    assert "<html" not in fragment and "Föräldralöst 03" in fragment
    assert 'aria-expanded="true"' in fragment
    assert "Föräldralöst 00" in body(member_client.get(world.url(expand="all")))


def test_open_dependencies_are_bounded_late_ones_first(world, member_client, cast):
    extra = list(ObjectiveFactory._meta.model.objects.filter(title__startswith="Extra "))
    # Objectives without key results are due at their cycle's end: needed after it is in time.
    in_time = max(o.cycle.end_date for o in extra) + timedelta(days=30)
    needed_by = world.direct.cycle.start_date + timedelta(days=20)
    for index in range(DEPENDENCIES_SHOWN + 1):
        alignment_services.dependency_create(
            organisation=cast.org,
            needing_objective=world.direct,
            delivering_objective=extra[index % len(extra)],
            description=f"I tid {index:02}",
            needed_by=in_time,
        )
    catalogue = KeyResultFactory(
        objective=world.indirect, kind="milestone", due_date=needed_by + timedelta(days=28)
    )
    alignment_services.dependency_create(
        organisation=cast.org,
        needing_objective=world.direct,
        delivering_objective=world.indirect,
        delivering_key_result=catalogue,
        description="Sen leverans",
        needed_by=needed_by,
    )
    page = body(member_client.get(world.url()))
    section = page.split('id="tree-dependencies-heading"')[1]
    assert section.count('<li class="is-late">') == 1 and "Sen leverans" in section
    assert section.index("Sen leverans") < section.index("I tid 00")  # late ones first
    assert "I tid 19" not in section and ">Show 2 more dependencies</a>" in section
    fragment = body(member_client.get(world.url(more="dependencies", rest="dependencies"), **HTMX))
    assert "I tid 19" in fragment and "I tid 20" in fragment and "Sen leverans" not in fragment
    assert "data-focus-after-swap" in fragment
    assert "I tid 20" in body(member_client.get(world.url(more="dependencies")))


def test_the_collapsed_page_does_not_grow_with_the_teams(cast, member_client):
    world = make_world(cast, extra_teams=EXTRA)
    before = body(member_client.get(world.url()))
    for index in range(20):
        team = TeamFactory(organisation=cast.org, name=f"Ny {index:02}", order=80 + index)
        ObjectiveFactory(
            organisation=cast.org,
            level="team",
            team=team,
            title=f"Nytt {index}",
            parent_key_result=world.kr,
            status="approved",
        )
    after = body(member_client.get(world.url()))
    assert after.count('class="team-group"') == before.count('class="team-group"')
    assert ">Show 24 more teams</a>" in after


def test_swedish_labels(world, member_client, cast):
    cast.member.language = "sv"
    cast.member.save(update_fields=["language"])
    page = body(member_client.get(world.url()))
    assert ">Visa 4 team till</a>" in page


def test_bad_and_foreign_more_keys(world, member_client, outsider_client, client, cast):
    ignored = body(member_client.get(world.url(more=['"><script>x</script>', "orphans"])))
    assert "<script>x</script>" not in ignored
    foreign = ObjectiveFactory(organisation=cast.other_org, title="Annan")
    for key in ("not-a-key", str(uuid.uuid4()), str(foreign.uuid)):
        response = member_client.get(world.url(more=key, rest=key), **HTMX)
        assert response.status_code == 404, key
    rest = world.url(more=str(world.kr.uuid), rest=str(world.kr.uuid))
    assert outsider_client.get(rest, **HTMX).status_code == 404
    assert client.get(rest, **HTMX).status_code == 302
    assert reverse("alignment:tree", args=["acme"]) in rest
