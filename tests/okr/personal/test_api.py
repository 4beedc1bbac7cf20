"""Personal objectives in the API: ``level`` "personal" on the objectives endpoint."""

from __future__ import annotations

import json

import pytest

from okr.models import Objective
from tests.support.api import api, session_api, token_api


def body(world, **extra):
    return {
        "cycle": str(world.quarter.uuid),
        "level": "personal",
        "title": "Bli bättre på offerter",
        "parent_key_result": str(world.team_kr.uuid),
        **extra,
    }


def test_create_read_and_filter(world):
    client = token_api(world.cast.member, world.cast.org)
    response = client.post(api("acme", "objectives/"), body(world))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["level"] == "personal" and data["status"] == "approved"
    assert data["team"] == str(world.cast.team.uuid)
    assert data["alignment"] == "indirect"
    listed = session_api(world.cast.leader).get(api("acme", "objectives/"), {"level": "personal"})
    assert [o["id"] for o in listed.json()["results"]] == [data["id"]]
    objective = Objective.objects.get(uuid=data["id"])
    assert objective.owner == world.cast.member


def test_key_results_through_the_key_results_endpoint_are_the_owners(world):
    client = session_api(world.cast.member)
    created = client.post(api("acme", "objectives/"), body(world)).json()
    response = client.post(
        api("acme", "key-results/"),
        {
            "objective": created["id"],
            "title": "5 offerter i veckan",
            "kind": "metric",
            "start_value": "0",
            "target_value": "5",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["owner"] == str(world.cast.member.uuid)
    other = session_api(world.cast.lead).patch(
        api("acme", f"objectives/{created['id']}/"), {"version": created["version"], "title": "x"}
    )
    assert other.status_code == 403


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"parent_key_result": None}, "parent_objective"),
        ({"alignment": "direct"}, "alignment"),
        ({"owner": "lead"}, "owner"),
        ({"team": "other"}, "team"),
        ({"cycle": "year"}, "cycle"),
        ({"parent_key_result": "strategic"}, "parent_key_result"),
    ],
)
def test_bad_input_is_a_400_with_field_errors(world, extra, field):
    from tests.support.factories import TeamFactory

    values = {
        "lead": str(world.cast.lead.uuid),
        "other": str(TeamFactory(organisation=world.cast.org).uuid),
        "year": str(world.year.uuid),
        "strategic": str(world.strategic_kr.uuid),
    }
    extra = {k: values.get(v, v) if isinstance(v, str) else v for k, v in extra.items()}
    response = session_api(world.cast.member).post(api("acme", "objectives/"), body(world, **extra))
    assert response.status_code == 400, response.content
    assert field in json.loads(response.content)


@pytest.mark.parametrize("value", ["\x00", "\ud800", "x" * 10_000, 10**40])
def test_hostile_titles_are_a_400(world, value):
    response = session_api(world.cast.member).post(
        api("acme", "objectives/"), body(world, title=value)
    )
    assert response.status_code == 400


def test_the_pilot_off_is_a_400_on_level(world):
    world.cast.org.personal_okrs = False
    world.cast.org.save()
    response = session_api(world.cast.member).post(api("acme", "objectives/"), body(world))
    assert response.status_code == 400
    assert "level" in response.content.decode()


def test_someone_outside_the_team_is_refused(world):
    response = session_api(world.cast.leader).post(api("acme", "objectives/"), body(world))
    assert response.status_code == 403


def test_the_organisation_api_has_the_toggle(cast):
    client = session_api(cast.admin)
    assert client.get(api("acme", "")).json()["personal_okrs"] is False
    response = client.patch(api("acme", ""), {"personal_okrs": True})
    assert response.status_code == 200, response.content
    cast.org.refresh_from_db()
    assert cast.org.personal_okrs is True
    assert client.patch(api("acme", ""), {"personal_okrs": "maybe"}).status_code == 400


def test_the_schema_names_the_personal_level(cast):
    schema = session_api(cast.member).get("/api/schema/", {"format": "json"}).content.decode()
    assert '"personal"' in schema and "personal_okrs" in schema
