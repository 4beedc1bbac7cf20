"""Dependency lists as plain items with HTML from Python (alignment.dependency_list).

The items say what the model says (due date, late flag, sides), the HTML is the
same whether it is given items or model instances, every text is escaped, the
labels follow the language, and the pages that list dependencies stay a few
queries whatever the number of dependencies. Controls are the viewer's own.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import Membership
from alignment import dependency_list, selectors, services
from alignment.access import annotate_permissions
from alignment.models import Dependency
from conftest import client_for
from okr.models import KeyResult
from tests.support.factories import (
    CheckInFactory,
    KeyResultFactory,
    ObjectiveFactory,
    TeamFactory,
    year_and_quarter,
)
from tests.support.html import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def sides(cast):
    """Growth (cast.lead leads it) needs things from Marknad & Co."""
    _year, quarter = year_and_quarter(cast.org)
    marknad = TeamFactory(organisation=cast.org, name="Marknad & Co")
    needing = ObjectiveFactory(
        organisation=cast.org, level="team", team=cast.team, cycle=quarter, status="approved"
    )
    delivering = ObjectiveFactory(
        organisation=cast.org,
        level="team",
        team=marknad,
        cycle=quarter,
        status="approved",
        title='Katalog "på norska" <snart>',
    )
    return cast, quarter, needing, delivering


def create(cast, needing, delivering, **extra):
    fields = {
        "organisation": cast.org,
        "needing_objective": needing,
        "delivering_objective": delivering,
        "description": "Katalogen på norska",
        "needed_by": delivering.cycle.start_date + timedelta(days=10),
        "created_by": cast.member,
    }
    return services.dependency_create(**(fields | extra))


@pytest.fixture
def many(sides):
    """Dependencies of every kind: late or not, delivered or not, with and without key results."""
    cast, quarter, needing, delivering = sides
    soon = quarter.start_date + timedelta(days=10)
    milestone = KeyResultFactory(
        objective=delivering, kind="milestone", due_date=soon + timedelta(days=5)
    )
    done = KeyResultFactory(objective=delivering, kind="milestone", due_date=soon + timedelta(1))
    CheckInFactory(key_result=done, done=True)
    metric = KeyResultFactory(objective=delivering, title="Material klart", target_value=10)
    at_target = KeyResultFactory(objective=delivering, title="Klart", target_value=Decimal(4))
    CheckInFactory(key_result=at_target, value=Decimal(4))
    recruit = KeyResultFactory(objective=needing, title="Rekrytera <2> säljare")
    made = [
        create(cast, needing, delivering),  # due at the end of the quarter: late
        create(cast, needing, delivering, needed_by=quarter.end_date),  # in time
        create(cast, needing, delivering, delivering_key_result=milestone),
        create(cast, needing, delivering, delivering_key_result=done),
        create(cast, needing, delivering, delivering_key_result=metric, needing_key_result=recruit),
        create(cast, needing, delivering, delivering_key_result=at_target),
        create(
            cast,
            needing,
            delivering,
            description="Rad ett & <b>två</b>\r\nRad tre: " + "lång text " * 10,
        ),
    ]
    services.dependency_set_state(dependency=made[2], state="resolved")
    return cast, made


def models_of(cast):
    return list(selectors.dependencies(cast.org))


def test_items_say_what_the_model_says(many):
    cast, _made = many
    models = models_of(cast)
    items = dependency_list.items(cast.org, dependency_list.rows(cast.org))
    assert [i.uuid for i in items] == [str(m.uuid) for m in models]
    for item, model in zip(items, models, strict=True):
        assert item.is_late == model.is_late, model.description
        assert item.delivery_due == model.delivery_due
        assert item.state == model.state and item.needed_by == model.needed_by
        assert (item.needing_team, item.delivering_team) == (
            model.needing_team.name,
            model.delivering_team.name,
        )
        assert item.delivering_objective.title == model.delivering_objective.title
        assert (item.needing_key_result is None) == (model.needing_key_result is None)
    assert {i.is_late for i in items} == {True, False}


def test_the_html_is_the_same_from_items_and_from_model_instances(many):
    cast, _made = many
    membership = Membership.objects.get(user=cast.leader)
    models = annotate_permissions(models_of(cast), membership)
    items = annotate_permissions(
        dependency_list.items(cast.org, dependency_list.rows(cast.org)), membership
    )
    options = {"organisation_slug": "acme", "csrf_token": "t" * 64, "next_path": "/acme/x/?a=1&b"}
    html = dependency_list.list_html(items, **options)
    assert html == dependency_list.list_html(models, **options)
    assert html.count('<li class="dependency') == len(items)
    assert html.count('name="csrfmiddlewaretoken" value="' + "t" * 64) == 2 * len(items)
    assert 'value="/acme/x/?a=1&amp;b#dependency-' in html


def test_every_text_is_escaped_and_the_layout_is_the_templates(many):
    cast, made = many
    page = body(client_for(cast.leader).get(reverse("alignment:dependencies", args=["acme"])))
    assert "<b>två</b>" not in page and "Rad ett &amp; &lt;b&gt;två&lt;/b&gt;<br>Rad tre:" in page
    assert "Marknad &amp; Co" in page and "Katalog &quot;på norska&quot; &lt;snart&gt;" in page
    assert "Rekrytera &lt;2&gt; säljare" in page
    long = made[-1]
    start = page.index(f'id="dependency-{long.uuid}"')
    entry = page[start : page.index("</li>", start)]
    hidden = re.findall(r'<span class="visually-hidden">: ([^<]*)</span>', entry)
    assert len(hidden) == 2 and hidden[0].endswith("…") and len(hidden[0]) < 80
    day = long.needed_by
    assert f'<time datetime="{day.isoformat()}">{day.day} {day:%b} {day.year}</time>' in entry
    assert f"after it is needed ({day.day} {day:%b})." in entry
    resolved = page[page.index(f'id="dependency-{made[2].uuid}"') :]
    assert 'class="dependency is-resolved"' in page and "Reopen" in resolved[:2000]
    assert '<span class="badge badge-green">Resolved</span>' in resolved[:2000]


def test_the_labels_follow_the_language(sides):
    cast, _quarter, needing, delivering = sides
    create(cast, needing, delivering)
    items = annotate_permissions(
        dependency_list.items(cast.org, dependency_list.rows(cast.org)),
        Membership.objects.get(user=cast.leader),
    )
    with translation.override("sv"):
        html = dependency_list.list_html(
            items, organisation_slug="acme", csrf_token=None, next_path="/"
        )
    assert "behöver från" in html and "Markera som löst" in html and "Behövs för" in html
    assert "needs from" not in html and "csrfmiddlewaretoken" not in html


def test_the_late_count_is_the_trees(many):
    cast, _made = many
    late = sum(1 for row in selectors.open_dependencies(cast.org) if row.late)
    assert selectors.late_dependency_count(cast.org) == late > 0


def test_the_page_takes_the_same_few_queries_for_many_dependencies(sides):
    cast, _quarter, needing, delivering = sides
    client = client_for(cast.lead)
    url = reverse("alignment:dependencies", args=["acme"])
    counts = []
    for n in (1, 60):
        while Dependency.objects.count() < n:
            create(
                cast,
                needing,
                delivering,
                delivering_key_result=KeyResultFactory(objective=delivering),
            )
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 9, counts
    print("dependencies page queries", counts)
    assert body(response).count('<li class="dependency') == 50


def test_a_page_without_dependencies_asks_once(sides, django_assert_num_queries):
    cast, _quarter, needing, delivering = sides
    kr = KeyResultFactory(objective=needing)
    with django_assert_num_queries(1):
        assert selectors.dependencies_for(cast.org, kr) == []
    create(cast, needing, delivering, needing_key_result=kr)
    with django_assert_num_queries(2):  # the dependency; its objectives and key result
        (item,) = selectors.dependencies_for(cast.org, kr)
    assert item.needing_key_result.uuid == str(kr.uuid)


def test_each_viewer_gets_their_own_controls_and_token(sides):
    cast, _quarter, needing, delivering = sides
    dep = create(cast, needing, delivering)
    url = reverse("alignment:dependencies", args=["acme"])
    member = body(client_for(cast.member).get(url))
    start = member.index('<ul class="dependency-list">')
    listed = member[start : member.index("</ul>", start)]
    assert "Katalogen på norska" in listed and "Mark resolved" not in listed
    assert "<form" not in listed and "csrfmiddlewaretoken" not in listed
    lead = Client(enforce_csrf_checks=True)
    lead.force_login(cast.lead)  # leads Growth, the needing team
    page = body(lead.get(url))
    assert "Mark resolved" in page and "Delete" in page and "1 dependency is late." in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    state_url = reverse("alignment:dependency_state", args=["acme", dep.uuid])
    response = lead.post(state_url, {"state": "resolved", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    page = body(lead.get(url))  # the change shows at once
    assert "Reopen" in page and 'class="dependency is-resolved"' in page
    assert "dependency is late" not in page
    other = Client(enforce_csrf_checks=True)
    other.force_login(cast.leader)
    assert (
        other.post(state_url, {"state": "open", "csrfmiddlewaretoken": "x" * 64}).status_code == 403
    )


def test_a_change_to_a_side_shows_on_the_next_request(sides):
    cast, _quarter, needing, delivering = sides
    kr = KeyResultFactory(objective=delivering, kind="milestone", title="Tryck")
    create(cast, needing, delivering, delivering_key_result=kr)
    client = client_for(cast.member)
    url = reverse("alignment:dependencies", args=["acme"])
    assert "1 dependency is late." in body(client.get(url))
    CheckInFactory(key_result=kr, done=True)
    KeyResult.objects.filter(pk=kr.pk).update(title="Tryckt katalog")
    page = body(client.get(url))
    assert "dependency is late" not in page and "Tryckt katalog" in page


# --- What the page keeps per revision (alignment/views.py) ---------------------------------------


def signed_in(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def the_list(page: str) -> str:
    start = page.index('<ul class="dependency-list">')
    return page[start : page.index("</ul>", start)]


def test_the_kept_list_shows_each_viewer_their_own_controls_whoever_comes_first(sides):
    cast, _quarter, needing, delivering = sides
    dep = create(cast, needing, delivering)
    url = reverse("alignment:dependencies", args=["acme"])
    state_url = reverse("alignment:dependency_state", args=["acme", dep.uuid])
    for first, then in ((cast.member, cast.lead), (cast.lead, cast.member)):
        cache.clear()
        for user in (first, then):
            listed = the_list(body(signed_in(user).get(url)))
            if user == cast.member:  # leads neither team
                assert "Mark resolved" not in listed and "csrfmiddlewaretoken" not in listed
            else:
                assert "Mark resolved" in listed and "Delete" in listed
    # The token in the kept list is the response's own: its form works.
    lead = signed_in(cast.lead)
    listed = the_list(body(lead.get(url)))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', listed).group(1)
    response = lead.post(state_url, {"state": "resolved", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Dependency.objects.get().state == "resolved"


def test_the_kept_list_follows_the_language_and_a_write_at_once(sides):
    cast, _quarter, needing, delivering = sides
    create(cast, needing, delivering)
    url = reverse("alignment:dependencies", args=["acme"])
    # Leadership both (the same controls): one reads English, the other Swedish (saved
    # without moving the revision): the copy of one language is not the other's.
    type(cast.leader).objects.filter(pk=cast.leader.pk).update(language="sv")
    english = the_list(body(client_for(cast.admin).get(url)))
    assert "needs from" in english and "Mark resolved" in english
    swedish = the_list(body(client_for(cast.leader).get(url)))
    assert "behöver från" in swedish and "needs from" not in swedish
    create(cast, needing, delivering, description="Ett nytt behov")
    assert "Ett nytt behov" in the_list(body(client_for(cast.member).get(url)))


def test_the_kept_form_has_each_responses_token_and_new_objectives_at_once(sides):
    cast, quarter, needing, delivering = sides
    url = reverse("alignment:dependencies", args=["acme"])
    page = body(signed_in(cast.member).get(url + "?add=1"))
    assert f'value="o:{needing.uuid}"' in page
    added = ObjectiveFactory(
        organisation=cast.org, level="team", team=cast.team, cycle=quarter, status="approved"
    )
    lead = signed_in(cast.lead)
    page = body(lead.get(url + "?add=1"))
    assert f'value="o:{added.uuid}"' in page
    form = page[page.index('<form class="card dependency-form"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = lead.post(
        url,
        {
            "csrfmiddlewaretoken": token,
            "needing": f"o:{added.uuid}",
            "delivering": f"o:{delivering.uuid}",
            "description": "Från det nya målet",
            "needed_by": (quarter.start_date + timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Dependency.objects.get(description="Från det nya målet").needing_objective == added
    # Starting from a side is its own copy: that side comes chosen.
    assert f'<option value="o:{added.uuid}" selected>' not in body(lead.get(url + "?add=1"))
    page = body(lead.get(f"{url}?needing=o:{added.uuid}"))
    assert f'<option value="o:{added.uuid}" selected>' in page
    assert f'<option value="o:{needing.uuid}" selected>' not in page
