"""Long lists come a page at a time, with the same number of queries whatever their length.

The team objectives aligned to a strategic objective or key result (25 a
page, numbers as the engine stored them), and the dependencies page, whose
new-dependency form (every objective of the organisation) loads when asked for.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alignment import services as alignment_services
from conftest import client_for
from okr.lib import calendar
from okr.models import Objective
from okr.objectives import selectors_detail
from tests.support.factories import (
    CheckInFactory,
    ObjectiveFactory,
    TeamFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)
from tests.support.html import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def strategic(cast):
    year, quarter = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year)
    kr = metric_kr(objective, title="20MSEK försäljning", target=20)
    return objective, kr, quarter


def align(cast, kr, quarter, n, start=0):
    teams = [TeamFactory(organisation=cast.org, name=f"Lag {start + i:03}") for i in range(n)]
    for i, team in enumerate(teams):
        child = ObjectiveFactory(
            organisation=cast.org,
            level="team",
            team=team,
            cycle=quarter,
            parent_key_result=kr,
            status="approved",
            title=f"Teammål {start + i:03}",
        )
        CheckInFactory(key_result=metric_kr(child, target=10, unit="kunder"), value=Decimal(i % 10))
    return teams


def count(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), body(response)


def test_aligned_objectives_come_a_page_at_a_time(cast, strategic):
    objective, kr, quarter = strategic
    per_page = selectors_detail.CHILDREN_PER_PAGE
    client = client_for(cast.member)
    objective_url = reverse("okr:objective_detail", args=["acme", objective.uuid])
    kr_url = reverse("okr:key_result_detail", args=["acme", kr.uuid])
    align(cast, kr, quarter, 3)
    # The session is warm (another page: each detail page's first view reads what it shows).
    client.get(reverse("okr:home", args=["acme"]))
    small = {url: count(client, url)[0] for url in (objective_url, kr_url)}
    align(cast, kr, quarter, per_page + 5, start=3)
    for url in (objective_url, kr_url):
        queries, page = count(client, url)
        assert queries <= small[url] <= 12, (url, queries, small[url])
        assert page.count('class="child"') == per_page
        assert "Teammål 000" in page and f"Teammål {per_page + 7:03}" not in page
        assert 'href="?children=2#children"' in page and 'hx-get="?children=2"' in page
        second = body(client.get(url + "?children=2"))
        assert second.count('class="child"') == 8 and f"Teammål {per_page + 7:03}" in second


def test_each_child_shows_the_engines_numbers_stored_or_not(cast, strategic):
    objective, kr, quarter = strategic
    align(cast, kr, quarter, 4)
    today = calendar.today(cast.org)
    stale = Objective.objects.get(title="Teammål 003")
    Objective.objects.filter(pk=stale.pk).update(numbers_on=today - timedelta(days=1))
    page = selectors_detail.children_page_of_objective(objective, today)
    progress = {child.title: child.numbers.progress for child in page.object_list}
    assert progress == pytest.approx(
        {"Teammål 000": 0.0, "Teammål 001": 0.1, "Teammål 002": 0.2, "Teammål 003": 0.3}
    )


def test_the_dependencies_page_does_not_grow_with_the_organisation(cast, strategic):
    _objective, kr, quarter = strategic
    client = client_for(cast.member)
    url = reverse("alignment:dependencies", args=["acme"])

    def depend(teams):
        for needing, delivering in zip(teams, teams[1:], strict=False):
            alignment_services.dependency_create(
                organisation=cast.org,
                needing_objective=needing.objectives.get(),
                delivering_objective=delivering.objectives.get(),
                description=f"{needing.name} behöver {delivering.name}",
                needed_by=calendar.today(cast.org) + timedelta(days=20),
            )

    def cold_and_warm() -> tuple[int, int, str]:
        # Like with like: the list built afresh (its copy kept per revision cleared), then
        # read from that copy. A write (the dependencies added) moves the revision, so the
        # first request after one is cold; comparing it with a warm request says nothing.
        cache.clear()
        cold, _page = count(client, url)
        warm, page = count(client, url)
        return cold, warm, page

    depend(align(cast, kr, quarter, 3))
    client.get(url)  # the session is warm
    small_cold, small_warm, _page = cold_and_warm()
    depend(align(cast, kr, quarter, 30, start=3))
    large_cold, large_warm, page = cold_and_warm()
    assert large_cold <= small_cold <= 12, (small_cold, large_cold)
    assert large_warm <= small_warm < small_cold, (small_warm, large_warm, small_cold)
    assert "Lag 031 behöver Lag 032" in page
    assert 'name="needing"' not in page  # the form with every objective comes when asked for
    assert 'name="needing"' in body(client.get(url + "?add=1"))
