"""The REST API of cycles, objectives, key results, check-ins and initiatives
(okr/objectives/api.py): the same role rules as the pages, bad input 400 with field
errors, stale edits 409, filters, ordering, pagination and bounded query counts.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from okr.lib import calendar
from okr.models import CheckIn, Cycle, Initiative, KeyResult, Objective
from okr.objectives import services
from tests.support.api import (
    api,
    api_world,
    count_queries,
    session_api,
    token_api,
)
from tests.support.factories import (
    CheckInFactory,
    CycleFactory,
    InitiativeFactory,
    InvitationFactory,
    KeyResultFactory,
    MembershipFactory,
    ObjectiveFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return api_world(cast)


# --- cycles --------------------------------------------------------------------------------------------


def test_cycles(cast, world):
    member = session_api(cast.member)
    listed = member.get(api("acme", "cycles/"), {"kind": "year"}).json()
    assert [c["id"] for c in listed["results"]] == [str(world["year"].uuid)]
    quarters = member.get(api("acme", "cycles/"), {"kind": "quarter"}).json()
    assert [c["quarter"] for c in quarters["results"]] == [1, 2, 3, 4]
    assert member.post(api("acme", "cycles/"), {"year": 2030}).status_code == 403
    leader = session_api(cast.leader)
    response = leader.post(api("acme", "cycles/"), {"year": 2030})
    assert response.status_code == 201 and response.json()["label"] == "2030"
    assert Cycle.objects.filter(organisation=cast.org, year=2030).count() == 5
    assert leader.post(api("acme", "cycles/"), {"year": 2030}).status_code == 200
    for bad in (1999, 2101, "2030", 2030.5, None):
        response = leader.post(api("acme", "cycles/"), {"year": bad})
        assert response.status_code == 400 and "year" in response.json(), bad


# --- objectives ------------------------------------------------------------------------------------------


def test_objective_roles(cast, world):
    body = {"cycle": str(world["year"].uuid), "level": "strategic", "title": "Nytt mål"}
    assert session_api(cast.member).post(api("acme", "objectives/"), body).status_code == 403
    response = session_api(cast.leader).post(
        api("acme", "objectives/"), {**body, "owner": str(cast.member.uuid), "why": " För att "}
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "approved" and created["why"] == "För att"
    assert created["owner"] == str(cast.member.uuid) and created["progress"] is None
    # A team's member drafts the team's objectives; not another team's.
    team_body = {
        "cycle": str(world["quarter"].uuid),
        "level": "team",
        "team": str(world["team"].uuid),
        "title": "Fler kunder i Norge",
        "parent_objective": str(world["strategic"].uuid),
    }
    response = session_api(cast.member).post(api("acme", "objectives/"), team_body)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "draft"
    stranger_team = TeamFactory(organisation=cast.org, name="Ekonomi")
    response = session_api(cast.member).post(
        api("acme", "objectives/"), {**team_body, "team": str(stranger_team.uuid)}
    )
    assert response.status_code == 403


def test_objective_bad_input(cast, world):
    leader = session_api(cast.leader)
    url = api("acme", "objectives/")
    cases = [
        ({}, {"cycle", "level", "title"}),
        ({"cycle": "nope", "level": "big", "title": ""}, {"cycle", "level", "title"}),
        (
            {"cycle": str(world["year"].uuid), "level": "team", "title": "T"},
            {"team"},
        ),
        (
            {
                "cycle": str(world["year"].uuid),
                "level": "strategic",
                "title": "T",
                "team": str(world["team"].uuid),
            },
            {"team"},
        ),
        (
            {"cycle": str(world["quarter"].uuid), "level": "strategic", "title": "T"},
            {"cycle"},
        ),
        (
            {
                "cycle": str(world["year"].uuid),
                "level": "strategic",
                "title": "T",
                "parent_key_result": str(world["metric"].uuid),
            },
            {"parent_key_result"},
        ),
        (
            {
                "cycle": str(world["other_objective"].cycle.uuid),
                "level": "strategic",
                "title": "x" * 301,
                "owner": str(cast.outsider.uuid),
            },
            {"cycle", "title", "owner"},
        ),
        ([1, 2], {"non_field_errors"}),
    ]
    before = Objective.objects.count()
    for body, fields in cases:
        response = leader.post(url, body)
        assert response.status_code == 400, (body, response.content)
        assert set(response.json()) == fields, (body, response.json())
    assert Objective.objects.count() == before


def test_objective_update_with_version_and_archive(cast, world):
    objective = world["team_objective"]
    url = api("acme", f"objectives/{objective.uuid}/")
    # Someone outside the team may not edit its draft: the policy's 403 and its message.
    stranger = UserFactory(email="sten@acme.example")
    MembershipFactory(organisation=cast.org, user=stranger)
    refused = session_api(stranger).patch(url, {"version": 1, "title": "X"})
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert "Only the team" in refused.json()["detail"]
    lead = session_api(cast.leader)
    body = lead.get(url).json()
    response = lead.patch(url, {"version": body["version"], "title": "  Norge först  "})
    assert response.status_code == 200 and response.json()["title"] == "Norge först"
    # The stale version is refused and changes nothing.
    response = lead.patch(url, {"version": body["version"], "title": "Old"})
    assert response.status_code == 409 and response.json()["code"] == "stale"
    objective.refresh_from_db()
    assert objective.title == "Norge först"
    assert lead.patch(url, {"title": "No version"}).status_code == 400
    # Choosing a parent objective clears the parent key result.
    response = lead.patch(
        url, {"version": objective.version, "parent_objective": str(world["strategic"].uuid)}
    )
    assert response.status_code == 200, response.content
    assert response.json()["parent_key_result"] is None
    assert response.json()["parent_objective"] == str(world["strategic"].uuid)
    assert lead.delete(url).status_code == 204
    objective.refresh_from_db()
    assert objective.status == "archived"
    listed = lead.get(api("acme", "objectives/"), {"status": "archived"}).json()
    assert [o["id"] for o in listed["results"]] == [str(objective.uuid)]


def test_objective_list_filters_ordering_progress(cast, world):
    member = session_api(cast.member)
    url = api("acme", "objectives/")
    strategic = member.get(url, {"level": "strategic"}).json()["results"]
    assert [o["title"] for o in strategic] == ["Tillväxt"]
    assert strategic[0]["progress"] == 0.0
    by_team = member.get(url, {"team": str(world["team"].uuid)}).json()["results"]
    assert [o["title"] for o in by_team] == ["Norge"]
    assert by_team[0]["progress"] == pytest.approx(0.02)
    assert member.get(url, {"team": str(world["other_team"].uuid)}).json()["count"] == 0
    titles = [o["title"] for o in member.get(url, {"ordering": "-title"}).json()["results"]]
    assert titles == ["Tillväxt", "Norge"]
    for params in (
        {"level": "huge"},
        {"team": "not-a-uuid"},
        {"ordering": "password"},
        {"year": "1800"},
        {"page": "0"},
        {"page_size": "1000"},
    ):
        response = member.get(url, params)
        assert response.status_code == 400, params
        assert set(response.json()) == set(params), response.json()
    assert member.get(url, {"page": "9"}).status_code == 404


def test_the_first_page_is_kept_for_everyone_until_a_write_or_the_next_day(
    cast, world, monkeypatch
):
    """The first page of objectives is built once per revision, day and address (the view's
    cache): no one's rights are in it, a write shows at once, bad parameters stay 400."""
    url = api("acme", "objectives/")
    member, leader = session_api(cast.member), session_api(cast.leader)
    cold = count_queries(member, url, {})
    warm = count_queries(member, url, {})
    assert warm < cold, (warm, cold)
    # Whoever came first, every member reads the same answer; a non-member still gets 404.
    assert leader.get(url).content == member.get(url).content
    assert session_api(cast.outsider).get(url).status_code == 404
    # A write shows at once.
    objective = world["strategic"]
    response = leader.patch(
        api("acme", f"objectives/{objective.uuid}/"),
        {"version": objective.version, "title": "Tillväxt i Norden"},
    )
    assert response.status_code == 200, response.content
    titles = [o["title"] for o in member.get(url).json()["results"]]
    assert "Tillväxt i Norden" in titles and "Tillväxt" not in titles
    # Only answered pages are kept: a bad parameter is refused every time.
    for _ in range(2):
        assert member.get(url, {"level": "huge"}).status_code == 400
    # The links name the address asked for.
    assert member.get(url, {"page_size": 1}).json()["next"].startswith("http://testserver/")
    secure = member.get(url, {"page_size": 1}, secure=True).json()["next"]
    assert secure.startswith("https://testserver/")
    # The verdicts are the day's: the next day the page is built again.
    tomorrow = calendar.clock() + timedelta(days=1)
    monkeypatch.setattr(calendar, "clock", lambda: tomorrow)
    assert count_queries(member, url, {}) > warm


# --- key results --------------------------------------------------------------------------------------------


def test_key_results(cast, world):
    leader = session_api(cast.leader)
    url = api("acme", "key-results/")
    body = {
        "objective": str(world["strategic"].uuid),
        "title": "NPS på X",
        "kind": "metric",
        "unit": "NPS",
        "start_value": 20,
        "commitment": "committed",
        "owner": str(cast.member.uuid),
    }
    assert session_api(cast.member).post(url, body).status_code == 403
    response = leader.post(url, body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["is_pending"] is True and created["progress"] is None
    assert created["start_value"] == "20" and created["target_value"] is None
    kr_url = api("acme", f"key-results/{created['id']}/")
    # A strategic key result is leadership's to change (as on the Strategic OKRs page):
    # its owner checks in on it but does not set its target.
    refused = session_api(cast.member).patch(kr_url, {"version": created["version"], "title": "X"})
    assert refused.status_code == 403
    # Leadership sets the pending target; numbers as strings are exact.
    owner = leader
    response = owner.patch(kr_url, {"version": created["version"], "target_value": "45.25"})
    assert response.status_code == 200, response.content
    assert response.json()["target_value"] == "45.25" and response.json()["is_pending"] is False
    response = owner.patch(kr_url, {"version": created["version"], "target_value": "50"})
    assert response.status_code == 409
    # Semantic errors from the service are field errors.
    response = owner.patch(kr_url, {"version": created["version"] + 1, "target_value": "10"})
    assert response.status_code == 400 and "target_value" in response.json()
    assert KeyResult.objects.get(uuid=created["id"]).target_value == Decimal("45.25")
    # Someone else's key result: 403.
    assert (
        session_api(cast.member)
        .patch(api("acme", f"key-results/{world['metric'].uuid}/"), {"version": 1, "title": "X"})
        .status_code
        == 403
    )
    assert owner.delete(kr_url).status_code == 204
    assert KeyResult.objects.get(uuid=created["id"]).archived is True
    live = owner.get(url, {"archived": "false", "objective": str(world["strategic"].uuid)}).json()
    assert created["id"] not in [kr["id"] for kr in live["results"]]
    assert owner.get(url, {"archived": "maybe"}).status_code == 400


def test_key_result_bad_numbers(cast, world):
    leader = session_api(cast.leader)
    url = api("acme", "key-results/")
    base = {"objective": str(world["strategic"].uuid), "title": "T", "kind": "metric"}
    for start, target in [
        ("abc", 10),
        ("1e5", 10),
        (0, "NaN"),
        (0, "Infinity"),
        (0, 10**13),
        (0, "1.00001"),
        (True, 10),
        (0, [10]),
    ]:
        response = leader.post(url, {**base, "start_value": start, "target_value": target})
        assert response.status_code == 400, (start, target, response.content)
    response = leader.post(url, {**base, "start_value": 5, "target_value": 5})
    assert response.status_code == 400 and "target_value" in response.json()
    response = leader.post(url, {**base, "target_value": 5})
    assert response.status_code == 400 and "start_value" in response.json()
    response = leader.post(url, {**base, "start_value": 0.1, "target_value": 1.23456})
    assert response.status_code == 201 and response.json()["target_value"] == "1.2346"


def test_key_result_steps_cannot_drop_below_steps_done(cast, world):
    milestone = world["milestone"]
    services.check_in_record(key_result=milestone, author=None, confidence="on_track", steps_done=3)
    milestone.refresh_from_db()
    response = session_api(cast.leader).patch(
        api("acme", f"key-results/{milestone.uuid}/"),
        {"version": milestone.version, "steps_total": 2},
    )
    assert response.status_code == 400 and "steps_total" in response.json()


# --- check-ins ----------------------------------------------------------------------------------------------


def test_check_ins_are_created_and_listed(cast, world):
    owned = world["owned"]
    member = session_api(cast.member)
    response = member.post(
        api("acme", "check-ins/"),
        {"key_result": str(owned.uuid), "value": "3.5", "confidence": "at_risk", "note": "Bra"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["author"] == str(cast.member.uuid)
    owned.refresh_from_db()
    assert owned.current_value == Decimal("3.5") and owned.confidence == "at_risk"
    listed = member.get(
        api("acme", "check-ins/"), {"key_result": str(owned.uuid), "ordering": "-created_at"}
    ).json()
    assert [c["value"] for c in listed["results"]] == ["3.5", "2"]
    # Not their key result: 403. Leadership may.
    metric = world["metric"]
    body = {"key_result": str(metric.uuid), "value": 4, "confidence": "on_track"}
    assert member.post(api("acme", "check-ins/"), body).status_code == 403
    assert session_api(cast.leader).post(api("acme", "check-ins/"), body).status_code == 201


def test_check_in_shapes(cast, world):
    leader = session_api(cast.leader)
    url = api("acme", "check-ins/")
    metric, milestone = world["metric"], world["milestone"]
    cases = [
        ({"key_result": str(metric.uuid), "confidence": "on_track"}, {"value"}),
        (
            {"key_result": str(metric.uuid), "value": 1, "done": True, "confidence": "x"},
            {"confidence"},
        ),
        (
            {"key_result": str(metric.uuid), "value": 1, "done": True, "confidence": "on_track"},
            {"done"},
        ),
        ({"key_result": str(milestone.uuid), "value": 1, "confidence": "on_track"}, {"value"}),
        (
            {"key_result": str(milestone.uuid), "steps_done": 5, "confidence": "on_track"},
            {"steps_done"},
        ),
        (
            {"key_result": str(world["other_kr"].uuid), "value": 1, "confidence": "on_track"},
            {"key_result"},
        ),
        ({"key_result": str(uuid.uuid4()), "value": 1, "confidence": "on_track"}, {"key_result"}),
        (
            {
                "key_result": str(metric.uuid),
                "value": 1,
                "confidence": "on_track",
                "note": "x" * 2001,
            },
            {"note"},
        ),
    ]
    before = CheckIn.objects.count()
    for body, fields in cases:
        response = leader.post(url, body)
        assert response.status_code == 400, (body, response.content)
        assert set(response.json()) == fields, (body, response.json())
    assert CheckIn.objects.count() == before
    response = leader.post(
        url, {"key_result": str(milestone.uuid), "steps_done": 2, "confidence": "on_track"}
    )
    assert response.status_code == 201
    assert response.json()["steps_done"] == 2 and response.json()["value"] is None


def test_check_ins_are_append_only(cast, world):
    leader = session_api(cast.leader)
    url = api("acme", f"check-ins/{world['check_in'].uuid}/")
    assert leader.get(url).status_code == 200
    for method in ("put", "patch", "delete", "post"):
        response = getattr(leader, method)(url)
        assert response.status_code == 405, method
        assert "DELETE" not in response["Allow"] and "PATCH" not in response["Allow"]
    assert CheckIn.objects.filter(pk=world["check_in"].pk).exists()


# --- initiatives ----------------------------------------------------------------------------------------------


def test_initiatives(cast, world):
    owned = world["owned"]
    member = session_api(cast.member)
    response = member.post(
        api("acme", "initiatives/"), {"key_result": str(owned.uuid), "title": "Mässa i Oslo"}
    )
    assert response.status_code == 201, response.content
    created = response.json()
    url = api("acme", f"initiatives/{created['id']}/")
    assert member.patch(url, {"status": "in_progress"}).json()["status"] == "in_progress"
    assert member.patch(url, {"status": "finished"}).status_code == 400
    # Someone who neither owns it nor may edit the key result.
    stranger = UserFactory()
    MembershipFactory(organisation=cast.org, user=stranger)
    assert session_api(stranger).patch(url, {"status": "done"}).status_code == 403
    assert (
        session_api(stranger)
        .post(api("acme", "initiatives/"), {"key_result": str(owned.uuid), "title": "X"})
        .status_code
        == 403
    )
    assert Initiative.objects.get(uuid=created["id"]).status == "in_progress"
    listed = member.get(api("acme", "initiatives/"), {"status": "in_progress"}).json()
    assert [i["title"] for i in listed["results"]] == ["Mässa i Oslo"]


# --- pagination and query counts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "objectives/",
        "key-results/",
        "check-ins/",
        "initiatives/",
        "teams/",
        "members/",
        "invitations/",
        "cycles/",
    ],
)
def test_query_count_does_not_grow_with_page_size(cast, path):
    org = cast.org
    year = CycleFactory(organisation=org)
    for i in range(12):
        user = UserFactory()
        MembershipFactory(organisation=org, user=user)
        team = TeamFactory(organisation=org, name=f"Team {i}")
        TeamMembershipFactory(team=team, user=user, is_lead=True)
        objective = ObjectiveFactory(organisation=org, cycle=year, owner=user)
        kr = KeyResultFactory(objective=objective, owner=user)
        CheckInFactory(key_result=kr, author=user, value=Decimal(i))
        InitiativeFactory(key_result=kr, owner=user)
        InvitationFactory(organisation=org, invited_by=user).teams.add(team)
    client = token_api(cast.admin, org)
    url = api("acme", path)
    client.get(url)  # the token's first use records last_used_at
    small = count_queries(client, url, {"page_size": 2})
    large = count_queries(client, url, {"page_size": 12})
    assert small == large, (small, large)
    assert large <= 8


def test_pagination_links(cast, world):
    listed = session_api(cast.admin).get(api("acme", "key-results/"), {"page_size": 1}).json()
    assert listed["count"] == 3 and len(listed["results"]) == 1
    assert "page=2" in listed["next"] and listed["previous"] is None
