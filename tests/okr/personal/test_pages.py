"""The My OKRs page, the home page's personal OKRs, the detail pages and the settings toggle."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from okr.models import KeyResult, Objective
from okr.personal import services
from tests.support.fuzz import HOSTILE, SURROGATE_BYTES
from tests.support.html import text_of


def url(name, *args):
    return reverse(f"okr:{name}", args=["acme", *args])


def _count(client, address) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_the_query_count_does_not_grow_with_my_okrs(world, personal):
    client = client_for(world.cast.member)
    client.get(url("my_okrs"))  # warm the session
    one = _count(client, url("my_okrs"))
    for i in range(6):
        services.personal_objective_create(
            organisation=world.cast.org,
            author=world.cast.member,
            title=f"Mål {i}",
            parent_key_result=world.team_kr,
        )
    assert _count(client, url("my_okrs")) == one


@pytest.mark.parametrize(("language", "heading"), [("nb", "Mine OKR-er"), ("en", "My OKRs")])
def test_in_norwegian_and_english(world, personal, language, heading):
    world.cast.member.language = language
    world.cast.member.save()
    response = client_for(world.cast.member).get(url("my_okrs"))
    assert f"<h1>{heading}" in response.content.decode()


def test_my_okrs_lists_mine_with_the_coach_and_a_bounded_query_count(
    world, personal, django_assert_max_num_queries
):
    for i in range(3):
        services.personal_objective_create(
            organisation=world.cast.org,
            author=world.cast.member,
            title=f"Eget mål {i}",
            parent_objective=world.team_objective,
        )
    client = client_for(world.cast.member)
    client.get(url("my_okrs"))  # warm the session and the caches
    # The user and the membership (with the organisation); the quarter; the parents (2);
    # mine and their key results (2); the actor's teams: 8 today, room for the layout's bell.
    with django_assert_max_num_queries(10):
        response = client.get(url("my_okrs"))
    assert response.status_code == 200
    text = text_of(response)
    assert personal.title in text and "10 bokade möten" in text and "Eget mål 2" in text
    body = response.content.decode()
    assert 'hx-post="/acme/coach/"' in body  # the workshop's coach on the titles
    assert f'value="k:{world.team_kr.uuid}"' in body


def test_create_an_objective_and_a_key_result_by_plain_posts(world):
    client = client_for(world.cast.member)
    response = client.post(
        url("personal_objective_new"),
        {"title": "Lära mig vår nya CRM", "parent": f"o:{world.team_objective.uuid}", "why": ""},
    )
    assert response.status_code == 302
    objective = Objective.objects.get(level=Objective.Level.PERSONAL)
    assert objective.owner == world.cast.member and objective.team == world.cast.team
    response = client.post(
        url("personal_key_result_new", objective.uuid),
        {
            "title": "Alla mina kunder i CRM",
            "kind": "metric",
            "start_value": "0",
            "target_value": "40",
            "unit": "kunder",
            "direction": "increase",
            "commitment": "aspirational",
        },
    )
    assert response.status_code == 302
    kr = objective.key_results.get()
    assert kr.owner == world.cast.member and kr.rollup == KeyResult.Rollup.NONE


def test_archive_a_key_result_and_the_objective(world, personal):
    client = client_for(world.cast.member)
    kr = personal.key_results.get()
    assert client.post(url("personal_key_result_archive", kr.uuid)).status_code == 302
    kr.refresh_from_db()
    assert kr.archived
    assert client.post(url("personal_objective_archive", personal.uuid)).status_code == 302
    personal.refresh_from_db()
    assert personal.status == Objective.Status.ARCHIVED


def test_someone_else_may_not_archive_it_and_sees_no_controls(world, personal):
    client = client_for(world.cast.lead)
    assert client.post(url("personal_objective_archive", personal.uuid)).status_code == 403
    response = client_for(world.cast.lead).get(url("objective_detail", personal.uuid))
    assert response.status_code == 200  # everyone reads it
    assert "Personal objective" in text_of(response)


@pytest.mark.parametrize("value", HOSTILE[:8] + ["x" * 10_000])
def test_hostile_input_gives_form_errors_never_500(world, value):
    client = client_for(world.cast.member)
    response = client.post(
        url("personal_objective_new"), {"title": value, "parent": value, "why": value}
    )
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert not Objective.objects.filter(level=Objective.Level.PERSONAL).exists()


def test_a_lone_surrogate_is_refused_cleanly(world, personal):
    client = client_for(world.cast.member)
    body = b"title=" + SURROGATE_BYTES + b"&kind=metric&start_value=1e309&target_value=NaN"
    response = client.post(
        url("personal_key_result_new", personal.uuid),
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 400)
    assert personal.key_results.count() == 1


def test_the_pilot_off_answers_404_and_hides_the_link(world, personal):
    world.cast.org.personal_okrs = False
    world.cast.org.save()
    client = client_for(world.cast.member)
    assert client.get(url("my_okrs")).status_code == 404
    assert client.post(url("personal_objective_new"), {"title": "x"}).status_code == 404
    home = client.get(url("home")).content.decode()
    assert url("my_okrs") not in home
    assert personal.title in home  # what exists stays readable, beside my key results


def test_home_shows_my_personal_okrs_and_the_link(world, personal):
    home = client_for(world.cast.member).get(url("home"))
    body = home.content.decode()
    assert "My personal OKRs" in body and personal.title in body and url("my_okrs") in body
    other = client_for(world.cast.lead).get(url("home")).content.decode()
    assert personal.title not in other  # the home shows one's own


def test_the_team_objectives_page_lists_the_personal_ones_under_it(world, personal):
    response = client_for(world.cast.leader).get(url("key_result_detail", world.team_kr.uuid))
    text = text_of(response)
    assert "Personal objectives under this key result" in text and personal.title in text


def test_an_outsider_gets_404_everywhere(world, personal):
    client = client_for(world.cast.outsider)
    kr = personal.key_results.get()
    assert client.get(url("my_okrs")).status_code == 404
    assert client.post(url("personal_objective_new"), {}).status_code == 404
    assert client.post(url("personal_key_result_new", personal.uuid), {}).status_code == 404
    assert client.post(url("personal_objective_archive", personal.uuid)).status_code == 404
    assert client.post(url("personal_key_result_archive", kr.uuid)).status_code == 404


def test_a_team_objective_is_not_archived_through_the_personal_page(world):
    client = client_for(world.cast.lead)
    response = client.post(url("personal_objective_archive", world.team_objective.uuid))
    assert response.status_code == 404


def test_the_admin_turns_the_pilot_on_in_the_settings(cast):
    page = client_for(cast.admin).get(reverse("settings:organisation", args=["acme"]))
    assert 'name="personal_okrs"' in page.content.decode()
