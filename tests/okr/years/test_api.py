"""The year API: the review (every member), start, drafts, carry-on and publish (leadership)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from okr.models import Objective
from tests.support.api import api, session_api, token_api
from tests.support.fuzz import HOSTILE
from tests.support.years import STRATEGIC_TITLE, at_day, year_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def may(cast):
    cast.org.fiscal_year_start_month = 5
    cast.org.save()
    with at_day(date(2026, 12, 6)):
        yield year_world(cast.org, 2026)


def test_every_member_reads_the_review(cast, may):
    response = session_api(cast.member).get(api("acme", "years/review/"), {"year": 2026})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["label"] == "2026/27" and data["next_year"] == 2027
    assert [q["label"] for q in data["quarters"]][0] == "Q1 2026/27"
    assert [q["state"] for q in data["quarters"]] == ["closed", "ended", "open", "coming"]
    assert data["strategic"][0]["title"] == STRATEGIC_TITLE
    assert data["strategic"][0]["key_results"][0]["score"] == 0.6
    assert data["teams"][0]["quarters"][0]["value"] == 0.5
    assert data["quarters"][0]["notes"] == [{"team": "Team 001", "text": "Vi lärde oss mycket."}]
    assert data["carried"][0]["source"] == "Q1 2026/27"
    default = session_api(cast.member).get(api("acme", "years/review/"))
    assert default.json()["year"] == 2026


def test_leadership_starts_carries_on_drafts_and_publishes(cast, may):
    leader = token_api(cast.leader, cast.org)
    response = leader.post(
        api("acme", "years/start/"), {"year": 2027, "carry": [str(may.strategic.uuid)]}
    )
    assert response.status_code == 201, response.content
    [draft] = response.json()["objectives"]
    assert draft["title"] == STRATEGIC_TITLE and draft["status"] == "draft"
    assert draft["carried_from"] == str(may.strategic.uuid)
    again = leader.post(api("acme", f"objectives/{may.strategic.uuid}/carry-on/"))
    assert again.status_code == 400 and "objective" in again.json()
    response = leader.post(
        api("acme", "years/drafts/"), {"year": 2027, "title": "Bäst på service", "why": "Därför"}
    )
    assert response.status_code == 201 and response.json()["status"] == "draft"
    published = leader.post(api("acme", "years/publish/"), {"year": 2027})
    assert published.json() == {"year": 2027, "published": 2}
    assert leader.post(api("acme", "years/publish/"), {"year": 2027}).status_code == 400


def test_carry_on_by_id(cast, may):
    response = session_api(cast.leader).post(
        api("acme", f"objectives/{may.strategic.uuid}/carry-on/")
    )
    assert response.status_code == 201, response.content
    assert response.json()["year"] == 2027


def test_members_get_403_outsiders_404(cast, may):
    writes = [
        ("years/start/", {"year": 2027}),
        ("years/drafts/", {"year": 2027, "title": "Mitt"}),
        ("years/publish/", {"year": 2027}),
        (f"objectives/{may.strategic.uuid}/carry-on/", {}),
    ]
    member = session_api(cast.member)
    outsider = token_api(cast.outsider, cast.other_org)
    for path, body in writes:
        assert member.post(api("acme", path), body).status_code == 403
        assert outsider.post(api("acme", path), body).status_code == 404
    assert outsider.get(api("acme", "years/review/")).status_code == 404
    assert session_api(cast.outsider).get(api("acme", "years/review/")).status_code == 404
    assert not Objective.objects.filter(cycle__year=2027).exists()


def test_carry_must_come_from_the_year_before(cast, may):
    other = Objective.objects.create(
        organisation=cast.org, cycle=may.quarters[1], level="team", team=may.teams[0], title="T"
    )
    response = session_api(cast.leader).post(
        api("acme", "years/start/"), {"year": 2028, "carry": [str(may.strategic.uuid)]}
    )
    assert response.status_code == 400 and "carry" in response.json()
    response = session_api(cast.leader).post(
        api("acme", "years/start/"), {"year": 2027, "carry": [str(other.uuid)]}
    )
    assert response.status_code == 400 and "carry" in response.json()


@pytest.mark.parametrize(
    "value", [*HOSTILE, "\ud800", 10**400, 1e308, -1, 2101, 1999, None, True, [], {}]
)
def test_hostile_input_gives_400_field_errors(cast, may, value):
    leader = session_api(cast.leader)
    bodies = [
        ("years/start/", {"year": value}),
        ("years/start/", {"year": 2027, "carry": value}),
        ("years/start/", {"year": 2027, "carry": [value]}),
        ("years/drafts/", {"year": 2027, "title": value}),
        ("years/drafts/", {"year": value, "title": "Mål"}),
        ("years/drafts/", {"year": 2027, "title": "Mål", "owner": value}),
        ("years/publish/", {"year": value}),
    ]
    for path, body in bodies:
        response = leader.post(api("acme", path), body)
        if response.status_code == 201:  # a harmless value that is a fine title
            continue
        assert response.status_code == 400, (path, body, response.content)
        assert isinstance(response.json(), dict)
    if isinstance(value, str) and value and "\ud800" not in value:  # empty: this year
        review = leader.get(api("acme", "years/review/"), {"year": value})
        assert review.status_code == 400 and "year" in review.json()


def test_the_schema_documents_the_endpoints(cast):
    response = session_api(cast.member).get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    for path in ("years/review/", "years/start/", "years/drafts/", "years/publish/"):
        assert any(p.endswith(path) for p in paths), path
    assert any(p.endswith("carry-on/") for p in paths)
