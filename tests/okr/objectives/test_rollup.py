"""Roll-up that respects meaning: what may sum its direct contributions, and what is refused.

A strategic key result says how its direct contributions combine (``rollup``).
Only counts and amounts sum; rates, percentages, NPS and averages are listed,
never added ("Sum of direct contributions: 35 NPS of 45 NPS" is gone). A key
result in another unit of the same quantity (kSEK under a parent that sums
MSEK) is refused, on the page and in the API alike.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from okr.models import KeyResult
from tests.support.api import api, session_api
from tests.support.factories import CheckInFactory, KeyResultFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db
D = Decimal


def strategic_kr(cast, **fields):
    objective = ObjectiveFactory(organisation=cast.org, title="Nöjdare kunder")
    return KeyResultFactory(objective=objective, **fields)


def direct_child(cast, parent, **fields):
    objective = ObjectiveFactory(
        organisation=cast.org,
        level="team",
        team=cast.team,
        title="Kunderna först",
        parent_key_result=parent,
        alignment="direct",
        status="approved",
    )
    return KeyResultFactory(objective=objective, **fields)


def kr_form(**overrides) -> dict:
    data = {
        "title": "Rullande NPS 20 → 45",
        "kind": "metric",
        "unit": "NPS",
        "direction": "increase",
        "start_value": "20",
        "target_value": "45",
        "due_date": "",
        "steps_total": "",
        "commitment": "aspirational",
        "owner": "",
        "version": "",
        "rollup": "sum",
    }
    data.update(overrides)
    return data


def test_nps_is_listed_never_summed(cast):
    nps = strategic_kr(cast, title="NPS 20 → 45", unit="NPS", start_value=D(20), target_value=D(45))
    CheckInFactory(key_result=nps, value=D(25))
    child = direct_child(
        cast, nps, title="NPS 20 → 40", unit="NPS", start_value=D(20), target_value=D(40)
    )
    CheckInFactory(key_result=child, value=D(35))
    member = client_for(cast.member)
    tree = member.get(reverse("alignment:tree", args=["acme"]) + "?expand=all").content.decode()
    page = member.get(reverse("okr:key_result_detail", args=["acme", nps.uuid])).content.decode()
    for html in (tree, page):
        assert "Sum of direct contributions" not in html
        assert "35\u00a0NPS of 45\u00a0NPS" not in html
    assert "never added up" in page
    nps.refresh_from_db()
    assert nps.current_value == D(25)  # its own check-in, not 35 or 60


def test_a_page_refuses_to_sum_nps(cast):
    objective = ObjectiveFactory(organisation=cast.org, title="Nöjdare kunder")
    response = client_for(cast.leader).post(
        reverse("okr:key_result_new", args=["acme", objective.uuid]), kr_form()
    )
    assert response.status_code == 200  # the form again, with the reason
    assert "NPS cannot be added up" in response.content.decode()
    assert not KeyResult.objects.filter(title="Rullande NPS 20 → 45").exists()
    response = client_for(cast.leader).post(
        reverse("okr:key_result_new", args=["acme", objective.uuid]),
        kr_form(title="20MSEK", unit="MSEK", start_value="0", target_value="20"),
    )
    assert response.status_code == 302
    assert KeyResult.objects.get(title="20MSEK").rollup == "sum"


def test_the_api_refuses_to_sum_a_percentage(cast):
    objective = ObjectiveFactory(organisation=cast.org, title="Nöjdare kunder")
    client = session_api(cast.leader)
    body = {
        "objective": str(objective.uuid),
        "title": "Andel återkommande kunder 40 %",
        "unit": "%",
        "start_value": "30",
        "target_value": "40",
        "rollup": "sum",
    }
    response = client.post(api("acme", "key-results/"), body)
    assert response.status_code == 400, response.json()
    assert "rollup" in str(response.json())
    body |= {"rollup": "none"}
    assert client.post(api("acme", "key-results/"), body).status_code == 201


def test_another_unit_of_the_same_quantity_is_refused(cast):
    sales = strategic_kr(
        cast, title="20MSEK", unit="MSEK", target_value=D(20), rollup="sum", commitment="committed"
    )
    child = direct_child(cast, sales, title="Fakturering 4MSEK", unit="MSEK", target_value=D(4))
    client = session_api(cast.lead)
    body = {
        "objective": str(child.objective.uuid),
        "title": "Merförsäljning 1 500 kSEK",
        "unit": "kSEK",
        "start_value": "0",
        "target_value": "1500",
    }
    response = client.post(api("acme", "key-results/"), body)
    assert response.status_code == 400, response.json()
    assert "enter this key result in MSEK too, not kSEK" in str(response.json())
    # Another quantity is no contribution: allowed, listed and never added.
    body |= {"title": "40 kundmöten", "unit": "st", "target_value": "40"}
    assert client.post(api("acme", "key-results/"), body).status_code == 201
    CheckInFactory(key_result=child, value=D(3))
    CheckInFactory(key_result=KeyResult.objects.get(title="40 kundmöten"), value=D(12))
    sales.refresh_from_db()
    assert sales.current_value == D(3)


def test_the_sum_feeds_the_parent_on_its_page_and_in_the_api(cast):
    pilots = strategic_kr(
        cast,
        title="10 signerade pilotkunder",
        unit="kunder",
        target_value=D(10),
        rollup="sum",
        commitment="committed",
    )
    first = direct_child(
        cast, pilots, title="Pilotkunder i Norge", unit="kunder", target_value=D(5)
    )
    CheckInFactory(key_result=first, value=D(2))
    CheckInFactory(key_result=first, value=D(4))
    page = (
        client_for(cast.member)
        .get(reverse("okr:key_result_detail", args=["acme", pilots.uuid]))
        .content.decode()
    )
    assert "Sum of direct contributions: 4\u00a0kunder of 10\u00a0kunder" in page
    assert f'data-numbers-for="{pilots.uuid}" data-progress="40"' in page
    data = session_api(cast.member).get(api("acme", f"key-results/{pilots.uuid}/")).json()
    assert (data["current_value"], data["progress"], data["rollup"]) == ("4", 0.4, "sum")


def test_linking_an_objective_directly_checks_its_key_results(cast):
    sales = strategic_kr(cast, title="20MSEK", unit="MSEK", target_value=D(20), rollup="sum")
    objective = ObjectiveFactory(
        organisation=cast.org, level="team", team=cast.team, title="Merförsäljning"
    )
    KeyResultFactory(objective=objective, title="1 500 kSEK", unit="kSEK", target_value=D(1500))
    client = session_api(cast.lead)
    url = api("acme", f"objectives/{objective.uuid}/")
    body = {"version": 1, "parent_key_result": str(sales.uuid), "alignment": "direct"}
    response = client.patch(url, body)
    assert response.status_code == 400, response.json()
    assert "not kSEK" in str(response.json())
    # Indirectly it supports the key result without adding to it: fine.
    assert client.patch(url, body | {"alignment": "indirect"}).status_code == 200
