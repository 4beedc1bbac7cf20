"""What keeps the key result page cheap does not change what it shows.

* The objective's weights and the number of aligned team objectives come in one query:
  the number is the one the page of children counts (archived ones left out), and an
  archived key result, not among the live weights, still gets its count.
* Those weights and that number, and the history of changes, are read once per revision
  of the organisation: a new weight, a newly aligned team objective, an edit of the key
  result or a new name of the person who made one shows at once.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from okr.lib import calendar
from okr.objectives import selectors_detail, services
from tests.okr.objectives.test_detail_pages import acting_as, world  # noqa: F401 - fixture
from tests.support.factories import KeyResultFactory, ObjectiveFactory
from tests.support.html import body

pytestmark = pytest.mark.django_db


def aligned_count(kr) -> int:
    return selectors_detail._aligned(
        kr.organisation_id, selectors_detail.Q(parent_key_result=kr)
    ).count()


def test_the_weights_query_counts_the_children_as_their_page_does(world):  # noqa: F811
    org = world.cast.org
    other = KeyResultFactory(objective=world.strategic, title="Utan barn", weight=Decimal(2))
    for title in ("Ett", "Två"):
        ObjectiveFactory(organisation=org, level="team", title=title, parent_key_result=world.kr)
    archived = ObjectiveFactory(organisation=org, level="team", parent_key_result=world.kr)
    services.objective_archive(objective=archived)
    siblings, count = selectors_detail.objective_weights(world.kr)
    assert {k.pk: k.weight for k in siblings} == {world.kr.pk: Decimal(1), other.pk: Decimal(2)}
    assert count == aligned_count(world.kr) == 3  # the team objective of the world and two
    assert selectors_detail.objective_weights(other)[1] == aligned_count(other) == 0

    today = calendar.today(org)
    with CaptureQueriesContext(connection) as queries:
        page = selectors_detail.children_page_of_key_result(world.kr, today, count=count)
    assert page.paginator.count == 3 and len(page.object_list) == 3
    assert not any("COUNT(" in q["sql"] for q in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        empty = selectors_detail.children_page_of_key_result(other, today, count=0)
    assert list(empty.object_list) == [] and not queries.captured_queries


def test_an_archived_key_result_still_lists_its_children(world, member_client):  # noqa: F811
    services.key_result_archive(key_result=world.kr)
    world.kr.refresh_from_db()
    siblings, count = selectors_detail.objective_weights(world.kr)
    assert world.kr.pk not in {k.pk for k in siblings} and count is None
    page = body(member_client.get(world.url("key_result_detail", world.kr.uuid)))
    assert world.team_objective.title in page


def test_the_history_shows_a_new_edit_and_a_new_name_at_once(world, member_client):  # noqa: F811
    url = world.url("key_result_detail", world.kr.uuid)
    assert '<span class="history-new">12</span>' not in body(member_client.get(url))
    with acting_as(world.cast.leader):
        services.key_result_update(
            key_result=world.kr, version=world.kr.version, target_value=Decimal(12)
        )
    page = body(member_client.get(url))
    assert '<span class="history-new">12</span>' in page and "Lea Leader" in page
    world.cast.leader.name = "Lea Ledare"
    world.cast.leader.save()
    assert "Lea Ledare" in body(member_client.get(url))


def test_a_new_weight_and_a_newly_aligned_objective_show_at_once(world, member_client):  # noqa: F811
    url = world.url("key_result_detail", world.kr.uuid)
    page = body(member_client.get(url))
    assert "1 (100 % of the objective)" in page.replace("\u00a0", " ")
    assert "Nytt lag" not in page
    KeyResultFactory(objective=world.strategic, title="Tyngre", weight=Decimal(3))
    ObjectiveFactory(
        organisation=world.cast.org, level="team", title="Nytt lag", parent_key_result=world.kr
    )
    page = body(member_client.get(url))
    assert "1 (25 % of the objective)" in page.replace("\u00a0", " ")
    assert "Nytt lag" in page
