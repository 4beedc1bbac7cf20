"""Key result weights: typed the Nordic way, shown as a share, edited in the workshop, on the
strategic page and in the API, material on an approved team objective, and driving its numbers.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from okr.lib.progress.weights import weight_of
from okr.models import KeyResult, Objective
from okr.objectives import services
from okr.objectives.forms import KeyResultForm
from okr.workshop import services as services_workshop
from tests.support.api import api, session_api
from tests.support.factories import (
    CheckInFactory,
    KeyResultFactory,
    ObjectiveFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)
from tests.support.fuzz import HOSTILE
from tests.support.html import body

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
D = Decimal


def kr_post(kr, **overrides):
    data = {
        "title": kr.title,
        "kind": "metric",
        "unit": kr.unit,
        "direction": "increase",
        "start_value": "0",
        "target_value": "10",
        "due_date": "",
        "steps_total": "",
        "commitment": kr.commitment,
        "owner": "",
        "version": kr.version,
    }
    return data | overrides


@pytest.fixture
def team_okr(cast):
    """A draft team objective of Growth with two metrics at 80 % and 20 %."""
    _year, quarter = year_and_quarter(cast.org)
    objective = services_workshop.workshop_objective_create(
        organisation=cast.org, team=cast.team, cycle=quarter, title="Leverera i tid", author=None
    )
    krs = [
        KeyResultFactory(objective=objective, title=t, start_value=D(0), target_value=D(10))
        for t in ("Leveranser i tid", "Nya maskiner")
    ]
    for kr, value in zip(krs, (8, 2), strict=True):
        CheckInFactory(key_result=kr, value=D(value))
    return objective, krs


# --- The form and the share ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "weight"), [("1,5", D("1.5")), ("2", D(2)), (" 0,25 ", D("0.25")), ("999.99", None)]
)
def test_the_form_reads_weights_the_nordic_way(cast, typed, weight):
    form = KeyResultForm(
        {"title": "X", "kind": "milestone", "weight": typed}, organisation=cast.org
    )
    form.is_valid()
    expected = weight if weight is not None else D("999.99")
    assert "weight" not in form.errors and form.cleaned_data["weight"] == expected


@pytest.mark.parametrize(
    "typed", ["0", "-1", "1000", "1,555", *[h for h in HOSTILE[1:] if h != "1,5"]]
)
def test_the_form_refuses_other_weights(cast, typed):
    form = KeyResultForm(
        {"title": "X", "kind": "milestone", "weight": typed}, organisation=cast.org
    )
    assert not form.is_valid()
    assert "weight" in form.errors


def test_a_form_without_weight_leaves_it_alone(cast):
    data = {"title": "X", "kind": "milestone", "direction": "increase", "commitment": "committed"}
    form = KeyResultForm(data, organisation=cast.org)
    assert form.is_valid(), form.errors
    assert "weight" not in form.service_fields()


def test_the_services_refuse_a_bad_weight(team_okr):
    _objective, (kr, _other) = team_okr
    for bad in (D(0), D(-2), D("1000"), D("0.001")):
        with pytest.raises(ValidationError) as refused:
            services.key_result_update(key_result=kr, version=kr.version, weight=bad)
        assert "weight" in refused.value.message_dict


def test_the_share_is_the_weight_over_the_sum():
    assert weight_of(D(2), [D(2), D(1), D(2)]).share == pytest.approx(0.4)
    assert weight_of(1, [1, 1]).equal and not weight_of(2, [2, 1]).equal
    assert weight_of(1, []).share == 1.0


# --- The workshop --------------------------------------------------------------------------


def test_the_workshop_edits_a_weight_and_shows_every_share(cast, team_okr):
    objective, (heavy, light) = team_okr
    client = client_for(cast.member)
    edit = reverse("okr:workshop_key_result_edit", args=["acme", heavy.uuid])
    form = body(client.get(edit, **HTMX))
    assert 'name="weight"' in form and 'value="1"' in form
    page_url = reverse("okr:team_workshop", args=["acme", cast.team.uuid])
    page_url += f"?quarter={objective.cycle.uuid}"
    assert "of the objective" not in body(client.get(page_url))  # equal weights: nothing to say
    response = client.post(edit, kr_post(heavy, weight="1,5"), **HTMX)
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == f"#kr-list-{objective.uuid}"
    html = body(response)
    assert "1.5 (60\u00a0% of the objective)" in html and "1 (40\u00a0% of the objective)" in html
    heavy.refresh_from_db()
    assert heavy.weight == D("1.5")
    assert f'data-numbers-for="{objective.uuid}"' not in html or "56" in html
    objective.refresh_from_db()
    assert round(objective.stored_progress * 100) == 56  # (0.8 x 1.5 + 0.2) / 2.5
    bad = client.post(edit, kr_post(heavy, weight="0", version=heavy.version), **HTMX)
    assert 'aria-invalid="true"' in body(bad)
    heavy.refresh_from_db()
    assert heavy.weight == D("1.5")


def test_the_key_result_page_always_shows_its_weight(cast, team_okr):
    _objective, (heavy, _light) = team_okr
    page = body(
        client_for(cast.member).get(reverse("okr:key_result_detail", args=["acme", heavy.uuid]))
    )
    assert "1 (50\u00a0% of the objective)" in page


# --- The strategic page ---------------------------------------------------------------------


def test_the_strategic_page_edits_and_shows_weights(cast):
    year, _quarter = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year, title="Starkaste tillväxtåret")
    first = metric_kr(objective, title="20MSEK nya kunder", target=20)
    second = metric_kr(objective, title="5 nya partner", target=5)
    CheckInFactory(key_result=first, value=D(10))
    client = client_for(cast.leader)
    edit = reverse("okr:key_result_edit", args=["acme", first.uuid])
    data = kr_post(first, target_value="20", weight="3")
    response = client.post(edit, data, **HTMX)
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == f"#kr-list-{objective.uuid}"
    html = body(response)
    assert "3 (75\u00a0% of the objective)" in html
    assert f'id="objective-progress-{objective.uuid}" hx-swap-oob' in html
    assert 'data-progress="38"' in html  # (0.5 x 3 + 0) / 4, out of band
    page = body(client.get(reverse("okr:strategic", args=["acme"])))
    assert "1 (25\u00a0% of the objective)" in page
    detail = body(client.get(reverse("okr:objective_detail", args=["acme", objective.uuid])))
    assert "weight 3 (75\u00a0%)" in detail
    assert second.uuid and KeyResult.objects.get(pk=first.pk).weight == D(3)


# --- The API ------------------------------------------------------------------------------


def test_the_api_takes_a_weight_as_text_or_number(cast, team_okr):
    _objective, (heavy, _light) = team_okr
    client = session_api(cast.member)
    url = api("acme", f"key-results/{heavy.uuid}/")
    for sent, kept in (("1,5", "1.5"), (2, "2"), ("0.25", "0.25")):
        version = KeyResult.objects.get(pk=heavy.pk).version
        response = client.patch(url, {"version": version, "weight": sent})
        assert response.status_code == 200, response.json()
        assert response.json()["weight"] == kept
    for bad in ("0", 0, -1, "1000", 1000, "1,555", 10**400, "NaN", None, [], "\x00", "x" * 10_000):
        version = KeyResult.objects.get(pk=heavy.pk).version
        response = client.patch(url, {"version": version, "weight": bad})
        assert response.status_code == 400, (bad, response.json())
        assert "weight" in str(response.json())
    assert KeyResult.objects.get(pk=heavy.pk).weight == D("0.25")


def test_the_schema_documents_the_weight(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    written = schema["KeyResultUpdateRequest"]["properties"]["weight"]
    assert "999.99" in str(written) or "pattern" in str(written)
    assert "weight" in schema["KeyResult"]["properties"]


# --- Material on an approved team objective --------------------------------------------------


def test_a_weight_change_by_the_lead_sends_an_approved_objective_back(cast):
    _year, quarter = year_and_quarter(cast.org)
    objective = ObjectiveFactory(
        organisation=cast.org, cycle=quarter, level="team", team=cast.team, status="approved"
    )
    kr = KeyResultFactory(objective=objective, start_value=D(0), target_value=D(5))
    KeyResultFactory(objective=objective, start_value=D(0), target_value=D(5))
    services.key_result_update(key_result=kr, version=kr.version, author=cast.leader, weight=D(2))
    assert Objective.objects.get(pk=objective.pk).status == "approved"  # leadership's own
    kr.refresh_from_db()
    services.key_result_update(key_result=kr, version=kr.version, author=cast.lead, weight=D(3))
    objective.refresh_from_db()
    assert objective.status == "proposed"
    event = objective.events.order_by("-id").first()
    change = next(c for c in event.changes if c["field"] == "weight")
    assert (change["before"], change["after"], change["material"]) == ("2", "3", True)
