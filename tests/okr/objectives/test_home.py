"""The organisation home and "my check-ins"."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from okr.models import CheckIn, KeyResult
from tests.support.factories import (
    TeamFactory,
    TeamMembershipFactory,
    metric_kr,
    milestone_kr,
    strategic_objective,
    year_and_quarter,
)

pytestmark = pytest.mark.django_db


def build_okrs(cast, objectives=2, krs=3):
    year, quarter = year_and_quarter(cast.org)
    for i in range(objectives):
        objective = strategic_objective(
            cast.org, year, title=f"Mål {i} för året: vår starkaste tillväxt"
        )
        for j in range(krs):
            metric_kr(objective, title=f"{j + 1}0 nya kunder i Norge", owner=cast.member, target=10)
    return year, quarter


def test_home_shows_vision_mission_strategic_and_my_key_results(cast):
    build_okrs(cast, 1, 2)
    response = client_for(cast.member).get(reverse("okr:home", args=["acme"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert cast.org.vision in body and cast.org.mission in body
    assert "Mål 0 för året: vår starkaste tillväxt" in body
    assert "10 nya kunder i Norge" in body
    assert reverse("okr:my_check_ins", args=["acme"]) in body


@pytest.mark.parametrize("size", [1, 8])
def test_home_query_count_does_not_grow(cast, size, django_assert_max_num_queries):
    year, quarter = build_okrs(cast, size, 4)
    from okr.objectives import services

    team = TeamFactory(organisation=cast.org, name="Marknad")
    TeamMembershipFactory(team=team, user=cast.member)
    other = TeamFactory(organisation=cast.org, name="Försäljning")
    for i in range(size):
        services.objective_create(
            organisation=cast.org,
            cycle=quarter,
            level="team",
            team=other,
            title=f"Sälj {i}",
            status="approved",
        )
    for i in range(size):
        objective = services.objective_create(
            organisation=cast.org,
            cycle=quarter,
            level="team",
            team=team,
            title=f"Teammål {i}",
            status="approved",
        )
        metric_kr(objective, title="100 leads", owner=cast.member, target=100)
    client = client_for(cast.member)
    # User, membership (the session comes from the cache); the cycles; mine (numbers stored
    # today); my personal objectives; my teams; my actions; the next review; and what is the
    # same for everyone, read once per revision: the strategic objectives and their key
    # results, my teams' objectives, the team summary.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("okr:home", args=["acme"]))
    assert response.status_code == 200
    # Again, with nothing written in between: only what is mine.
    with django_assert_max_num_queries(7):
        again = client.get(reverse("okr:home", args=["acme"]))
    assert _without_tokens(again.content) == _without_tokens(response.content)
    body = response.content.decode()
    assert "Teammål 0" in body  # my team's objectives in full
    assert "Försäljning" in body and "Sälj 0" not in body  # other teams as a summary row


def _without_tokens(body: bytes) -> bytes:
    """A page without what differs on every response (the CSP nonce, the CSRF token)."""
    return re.sub(rb'(nonce=|csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]*"', b"", body)


def test_my_check_ins_saves_many_rows_in_one_submit(cast):
    year, _ = build_okrs(cast, 1, 2)
    objective = strategic_objective(cast.org, year, title="Marknadstest i Norge")
    milestone = milestone_kr(objective, owner=cast.member)
    first, second = KeyResult.objects.filter(owner=cast.member, kind="metric").order_by("order")
    client = client_for(cast.member)
    page = client.get(reverse("okr:my_check_ins", args=["acme"]))
    assert page.status_code == 200
    data = {
        f"{first.uuid}-value": "2,5",
        f"{first.uuid}-confidence": "on_track",
        f"{first.uuid}-note": "Två nya kunder i Bergen",
        f"{second.uuid}-value": "",
        f"{second.uuid}-confidence": "on_track",
        f"{milestone.uuid}-done": "on",
        f"{milestone.uuid}-confidence": "on_track",
    }
    response = client.post(reverse("okr:my_check_ins", args=["acme"]), data)
    assert response.status_code == 302
    first.refresh_from_db()
    milestone.refresh_from_db()
    assert first.current_value == Decimal("2.5")
    assert milestone.done is True
    assert CheckIn.objects.filter(key_result=second).count() == 0
    assert CheckIn.objects.get(key_result=first).note == "Två nya kunder i Bergen"


def test_my_check_ins_bad_row_keeps_input_and_good_rows_are_saved(cast):
    build_okrs(cast, 1, 2)
    first, second = KeyResult.objects.filter(owner=cast.member).order_by("order")
    client = client_for(cast.member)
    data = {
        f"{first.uuid}-value": "7",
        f"{first.uuid}-confidence": "at_risk",
        f"{second.uuid}-value": "sju komma fem",
        f"{second.uuid}-confidence": "on_track",
        f"{second.uuid}-note": "Skrivet med å ä ö",
    }
    response = client.post(reverse("okr:my_check_ins", args=["acme"]), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="sju komma fem"' in body
    assert "Skrivet med å ä ö" in body
    assert 'aria-invalid="true"' in body
    assert "Saved 1 check-in." in body
    assert "1 check-in was not saved" in body
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.current_value == 7 and first.confidence == "at_risk"
    assert second.current_value is None
    assert not CheckIn.objects.filter(key_result=second).exists()


def test_my_check_ins_only_lists_my_key_results(cast):
    year, _ = build_okrs(cast, 1, 1)
    objective = strategic_objective(cast.org, year, title="Leverera branschens bästa upplevelse")
    metric_kr(
        objective, title="5% churn", owner=cast.leader, start=15, target=5, direction="decrease"
    )
    body = client_for(cast.member).get(reverse("okr:my_check_ins", args=["acme"])).content.decode()
    assert "10 nya kunder i Norge" in body
    assert "5% churn" not in body


@pytest.mark.parametrize("size", [2, 12])
def test_my_check_ins_query_count_does_not_grow(cast, size, django_assert_max_num_queries):
    build_okrs(cast, size, 3)
    client = client_for(cast.member)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("okr:my_check_ins", args=["acme"])).status_code == 200
