"""Bounded queries: a thread costs the same with 2 comments as with 60, and so does the bell."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from okr.conversation import services
from tests.support.factories import CheckInFactory, metric_kr, strategic_objective, year_and_quarter

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    client.get(url)  # warm: sessions, the membership
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _talk(cast, target, n):
    people = [cast.lead, cast.leader, cast.admin]
    for i in range(n):
        first = services.comment_create(
            target=target, author=people[i % 3], text=f"@Max Member @Liam Lead nr {i}"
        )
        services.comment_create(target=target, author=cast.member, text="svar", parent=first)


@pytest.mark.parametrize("kind", ["objective", "key_result", "check_in"])
def test_a_page_with_many_comments_costs_what_one_with_few_does(cast, kind):
    year, _q = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year)
    kr = metric_kr(objective, owner=cast.lead)
    check_in = CheckInFactory(key_result=kr, author=cast.lead)
    target, name = {
        "objective": (objective, "okr:objective_detail"),
        "key_result": (kr, "okr:key_result_detail"),
        "check_in": (check_in, "okr:check_in_comments"),
    }[kind]
    url = reverse(name, args=[cast.org.slug, target.uuid])
    client = client_for(cast.member)
    _talk(cast, target, 1)
    few = _count(client, url)
    _talk(cast, target, 30)
    many = _count(client, url)
    assert many == few, (few, many)
    assert many <= 40


def test_the_check_in_comment_counts_cost_one_query(cast):
    year, _q = year_and_quarter(cast.org)
    kr = metric_kr(strategic_objective(cast.org, year), owner=cast.lead)
    url = reverse("okr:key_result_detail", args=[cast.org.slug, kr.uuid])
    client = client_for(cast.member)
    check_in = CheckInFactory(key_result=kr, author=cast.lead)
    _talk(cast, check_in, 1)
    few = _count(client, url)
    for _ in range(10):
        _talk(cast, CheckInFactory(key_result=kr, author=cast.lead), 2)
    assert _count(client, url) == few
