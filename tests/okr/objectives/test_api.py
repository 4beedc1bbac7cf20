"""The REST API: every endpoint, the same tenancy and role rules as the pages.

Non-members get 404 everywhere (also with a token made for another organisation),
members without the role 403, bad input 400 with field errors, stale edits 409.
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts import tokens
from accounts.models import Invitation, Membership, Team
from conftest import client_for
from okr.models import CheckIn, Cycle, Initiative, KeyResult, Objective
from okr.objectives import services
from tests.support.factories import (
    InvitationFactory,
    MembershipFactory,
    TeamFactory,
    TeamMembershipFactory,
    UserFactory,
)
from tests.support.okr_factories import (
    CheckInFactory,
    CycleFactory,
    InitiativeFactory,
    KeyResultFactory,
    ObjectiveFactory,
)

pytestmark = pytest.mark.django_db

JSON = "application/json"


# --- helpers (imported by the other API test modules) ------------------------------------


def api(org: str, path: str = "") -> str:
    return f"/api/v1/{org}/{path}"


class ApiClient:
    """A test client that speaks JSON, signed in by session or by a Bearer token."""

    def __init__(self, client: Client, headers: dict | None = None):
        self.client = client
        self.headers = headers or {}

    def _call(self, method, url, data=None, **extra):
        kwargs = {**self.headers, **extra}
        if data is not None:
            kwargs["data"] = json.dumps(data) if not isinstance(data, str | bytes) else data
            kwargs["content_type"] = JSON
        return getattr(self.client, method)(url, **kwargs)

    def get(self, url, params=None, **extra):
        return self.client.get(url, params or {}, **{**self.headers, **extra})

    def post(self, url, data=None, **extra):
        return self._call("post", url, data if data is not None else {}, **extra)

    def patch(self, url, data=None, **extra):
        return self._call("patch", url, data if data is not None else {}, **extra)

    def put(self, url, data=None, **extra):
        return self._call("put", url, data if data is not None else {}, **extra)

    def delete(self, url, **extra):
        return self._call("delete", url, **extra)


def session_api(user) -> ApiClient:
    return ApiClient(client_for(user))


def token_api(user, organisation) -> ApiClient:
    _token, raw = tokens.token_create(user=user, organisation=organisation, name="test")
    return ApiClient(Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"})


@pytest.fixture
def world(cast):
    """A small organisation: a year, a strategic objective with a metric and a milestone,
    a team objective aligned to the metric, a team (member is in it, leader leads it),
    a check-in and an initiative; and the same kinds in the other organisation."""
    org = cast.org
    team = TeamFactory(organisation=org, name="Marknad")
    TeamMembershipFactory(team=team, user=cast.member)
    TeamMembershipFactory(team=team, user=cast.leader, is_lead=True)
    year = CycleFactory(organisation=org)
    quarter = CycleFactory(organisation=org, kind="quarter")
    strategic = ObjectiveFactory(organisation=org, cycle=year, title="Tillväxt", owner=cast.leader)
    metric = KeyResultFactory(
        objective=strategic, title="20MSEK", start_value=Decimal(0), target_value=Decimal(20)
    )
    milestone = KeyResultFactory(
        objective=strategic, title="Hemsida", kind="milestone", steps_total=4
    )
    team_objective = ObjectiveFactory(
        organisation=org,
        level="team",
        team=team,
        cycle=quarter,
        title="Norge",
        parent_key_result=metric,
        alignment="direct",
    )
    owned = KeyResultFactory(objective=team_objective, title="5 kunder", owner=cast.member)
    check_in = CheckInFactory(key_result=owned, value=Decimal(2), author=cast.member)
    initiative = InitiativeFactory(key_result=owned, title="Ringa", owner=cast.member)
    invitation = InvitationFactory(organisation=org, email="ny@acme.example")
    other = cast.other_org
    other_objective = ObjectiveFactory(organisation=other, title="Annat")
    other_kr = KeyResultFactory(objective=other_objective, title="Annan KR")
    other_team = TeamFactory(organisation=other, name="Annat team")
    return {
        "team": team,
        "year": year,
        "quarter": quarter,
        "strategic": strategic,
        "metric": metric,
        "milestone": milestone,
        "team_objective": team_objective,
        "owned": owned,
        "check_in": check_in,
        "initiative": initiative,
        "invitation": invitation,
        "admin_membership": Membership.objects.get(organisation=org, user=cast.admin),
        "member_membership": Membership.objects.get(organisation=org, user=cast.member),
        "other_objective": other_objective,
        "other_kr": other_kr,
        "other_team": other_team,
    }


def all_urls(world) -> list[str]:
    w = world
    return [
        api("acme"),
        api("acme", "teams/"),
        api("acme", f"teams/{w['team'].uuid}/"),
        api("acme", "members/"),
        api("acme", f"members/{w['member_membership'].uuid}/"),
        api("acme", "invitations/"),
        api("acme", f"invitations/{w['invitation'].uuid}/"),
        api("acme", f"invitations/{w['invitation'].uuid}/resend/"),
        api("acme", "cycles/"),
        api("acme", f"cycles/{w['year'].uuid}/"),
        api("acme", "objectives/"),
        api("acme", f"objectives/{w['strategic'].uuid}/"),
        api("acme", "key-results/"),
        api("acme", f"key-results/{w['metric'].uuid}/"),
        api("acme", "check-ins/"),
        api("acme", f"check-ins/{w['check_in'].uuid}/"),
        api("acme", "initiatives/"),
        api("acme", f"initiatives/{w['initiative'].uuid}/"),
    ]


# --- tenancy -------------------------------------------------------------------------------


@pytest.mark.parametrize("auth", ["session", "token"])
def test_outsider_gets_404_for_every_endpoint_and_method(cast, world, auth):
    outsider = (
        session_api(cast.outsider)
        if auth == "session"
        else token_api(cast.outsider, cast.other_org)
    )
    failures = []
    for url in all_urls(world):
        for method in ("get", "post", "patch", "put", "delete"):
            response = getattr(outsider, method)(url)
            if response.status_code != 404:
                failures.append((method, url, response.status_code))
    assert failures == []
    assert Objective.objects.filter(organisation=cast.org).count() == 2


def test_token_for_another_organisation_is_404_even_for_a_member_of_both(cast, world):
    MembershipFactory(organisation=cast.other_org, user=cast.member)
    client = token_api(cast.member, cast.other_org)
    assert client.get(api("other", "objectives/")).status_code == 200
    for url in all_urls(world):
        assert client.get(url).status_code == 404, url
    # The same person's own session sees both.
    assert session_api(cast.member).get(api("acme", "objectives/")).status_code == 200


def test_ids_of_another_organisation_are_404(cast, world):
    admin = session_api(cast.admin)
    foreign = [
        ("objectives", world["other_objective"].uuid),
        ("key-results", world["other_kr"].uuid),
        ("teams", world["other_team"].uuid),
        ("cycles", world["other_objective"].cycle.uuid),
    ]
    for path, code in foreign:
        url = api("acme", f"{path}/{code}/")
        for method in ("get", "patch", "delete", "post"):
            assert getattr(admin, method)(url).status_code == 404, (method, url)


def test_anonymous_gets_401_with_bearer_challenge(world):
    anonymous = ApiClient(Client())
    for url in all_urls(world):
        response = anonymous.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["code"] == "not_authenticated"


def test_bad_tokens_get_401(cast, world):
    for header in (
        "Bearer",
        "Bearer okr_nope_nope",
        "Bearer a b",
        "Bearer okr_" + "x" * 500,
        "Bearer " + "é",
    ):
        response = Client().get(api("acme", "objectives/"), HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header


def test_unknown_api_url_is_a_json_404(cast):
    response = session_api(cast.member).get("/api/v1/acme/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith(JSON)
    assert response.json()["code"] == "not_found"


# --- organisation ------------------------------------------------------------------------------


def test_everyone_reads_the_organisation_admin_changes_it(cast, world):
    body = session_api(cast.member).get(api("acme")).json()
    assert body["slug"] == "acme" and body["id"] == str(cast.org.uuid)
    assert "pk" not in body and "organisation_id" not in body
    assert session_api(cast.leader).patch(api("acme"), {"name": "X"}).status_code == 403
    response = session_api(cast.admin).patch(
        api("acme"), {"name": "Acme Group", "review_every_weeks": 3, "country": "no"}
    )
    assert response.status_code == 200, response.content
    cast.org.refresh_from_db()
    assert (cast.org.name, cast.org.review_every_weeks, cast.org.country) == ("Acme Group", 3, "NO")


def test_organisation_bad_input_is_400_per_field_and_changes_nothing(cast):
    admin = session_api(cast.admin)
    response = admin.patch(
        api("acme"),
        {
            "name": "Changed",
            "review_every_weeks": 9,
            "timezone": "Mars/Olympus",
            "country": "S1",
            "fiscal_year_start_month": "3",
            "reminders_enabled": "yes",
        },
    )
    assert response.status_code == 400
    assert set(response.json()) == {
        "review_every_weeks",
        "timezone",
        "country",
        "fiscal_year_start_month",
        "reminders_enabled",
    }
    cast.org.refresh_from_db()
    assert cast.org.name == "Acme AB"


# --- teams ----------------------------------------------------------------------------------------


def test_teams_members_read_admin_writes(cast, world):
    member = session_api(cast.member)
    listed = member.get(api("acme", "teams/")).json()
    assert listed["count"] == 1
    people = {p["user"]: p["is_lead"] for p in listed["results"][0]["people"]}
    assert people == {str(cast.leader.uuid): True, str(cast.member.uuid): False}
    assert member.post(api("acme", "teams/"), {"name": "Sälj"}).status_code == 403
    admin = session_api(cast.admin)
    response = admin.post(
        api("acme", "teams/"),
        {"name": "Sälj Norge", "parent": str(world["team"].uuid), "leads": [str(cast.member.uuid)]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["parent"] == str(world["team"].uuid)
    assert body["people"] == [
        {"user": str(cast.member.uuid), "name": "Max Member", "is_lead": True}
    ]
    team = Team.objects.get(uuid=body["id"])
    # Duplicate name (case-insensitive) and cycles are field errors.
    response = admin.post(api("acme", "teams/"), {"name": "MARKNAD"})
    assert response.status_code == 400 and "name" in response.json()
    response = admin.patch(api("acme", f"teams/{world['team'].uuid}/"), {"parent": str(team.uuid)})
    assert response.status_code == 400 and "parent" in response.json()
    # Another organisation's team or person is "no such" (400), not a leak.
    response = admin.post(
        api("acme", "teams/"),
        {
            "name": "Y",
            "parent": str(world["other_team"].uuid),
            "members": [str(cast.outsider.uuid)],
        },
    )
    assert response.status_code == 400
    assert set(response.json()) == {"parent", "members"}
    response = admin.patch(api("acme", f"teams/{team.uuid}/"), {"name": "Sälj"})
    assert response.status_code == 200 and response.json()["people"][0]["is_lead"] is True
    assert admin.delete(api("acme", f"teams/{team.uuid}/")).status_code == 204
    assert not Team.objects.filter(pk=team.pk).exists()


def test_team_with_okrs_cannot_be_deleted(cast, world):
    response = session_api(cast.admin).delete(api("acme", f"teams/{world['team'].uuid}/"))
    assert response.status_code == 409
    assert response.json()["code"] == "team_in_use"


# --- members and invitations -------------------------------------------------------------------------


def test_members_are_for_admins(cast, world):
    for user in (cast.member, cast.leader):
        client = session_api(user)
        assert client.get(api("acme", "members/")).status_code == 403
        url = api("acme", f"members/{world['member_membership'].uuid}/")
        assert client.patch(url, {"role": "admin"}).status_code == 403
        assert client.delete(url).status_code == 403
    admin = session_api(cast.admin)
    listed = admin.get(api("acme", "members/"), {"role": "leadership"}).json()
    assert [m["email"] for m in listed["results"]] == ["leader@acme.example"]


def test_role_change_and_last_admin(cast, world):
    admin = session_api(cast.admin)
    url = api("acme", f"members/{world['member_membership'].uuid}/")
    response = admin.patch(url, {"role": "leadership"})
    assert response.status_code == 200 and response.json()["role"] == "leadership"
    assert admin.patch(url, {"role": "boss"}).status_code == 400
    own = api("acme", f"members/{world['admin_membership'].uuid}/")
    response = admin.patch(own, {"role": "member"})
    assert response.status_code == 409 and response.json()["code"] == "last_admin"
    assert admin.delete(own).status_code == 409


def test_removing_a_member_revokes_their_tokens_and_ends_their_sessions(
    cast, world, django_capture_on_commit_callbacks
):
    member_token = token_api(cast.member, cast.org)
    member_session = client_for(cast.member)
    other_session = client_for(cast.leader)
    assert member_token.get(api("acme", "objectives/")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = session_api(cast.admin).delete(
            api("acme", f"members/{world['member_membership'].uuid}/")
        )
    assert response.status_code == 204
    assert member_token.get(api("acme", "objectives/")).status_code == 401
    response = member_session.get("/acme/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert other_session.get("/acme/").status_code == 200
    # Invited back, the old token stays revoked.
    MembershipFactory(organisation=cast.org, user=cast.member)
    assert member_token.get(api("acme", "objectives/")).status_code == 401


def test_invitations(cast, world, django_capture_on_commit_callbacks):
    assert session_api(cast.leader).get(api("acme", "invitations/")).status_code == 403
    admin = session_api(cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            api("acme", "invitations/"),
            {
                "email": "Nora@Acme.example",
                "role": "leadership",
                "teams": [str(world["team"].uuid)],
            },
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "nora@acme.example" and body["state"] == "open"
    assert body["teams"] == [str(world["team"].uuid)]
    assert [m.to for m in mail.outbox] == [["nora@acme.example"]]
    assert "token_hash" not in body
    response = admin.post(api("acme", "invitations/"), {"email": "member@acme.example"})
    assert response.status_code == 400 and "email" in response.json()
    response = admin.post(api("acme", "invitations/"), {"email": "not an address", "role": "x"})
    assert response.status_code == 400 and set(response.json()) == {"email", "role"}
    url = api("acme", f"invitations/{body['id']}/")
    assert admin.post(url + "resend/").status_code == 200
    assert admin.delete(url).status_code == 204
    assert Invitation.objects.get(uuid=body["id"]).revoked_at is not None
    assert admin.delete(url).status_code == 409
    assert admin.post(url + "resend/").status_code == 409


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
    # A plain member of the team (not owner, not lead) may not edit.
    assert session_api(cast.member).patch(url, {"version": 1, "title": "X"}).status_code == 403
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
    # The owner sets the pending target; numbers as strings are exact.
    owner = session_api(cast.member)
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


def count_queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(captured)


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


# --- CSRF, sizes, schema --------------------------------------------------------------------------------------------


def test_session_writes_need_the_csrf_token_tokens_do_not(cast, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.leader)
    body = json.dumps({"year": 2031})
    response = client.post(api("acme", "cycles/"), body, content_type=JSON)
    assert response.status_code == 403
    assert not Cycle.objects.filter(year=2031).exists()
    client.get("/acme/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(api("acme", "cycles/"), body, content_type=JSON, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201
    bearer = token_api(cast.leader, cast.org)
    bearer.client = Client(enforce_csrf_checks=True)
    assert bearer.post(api("acme", "cycles/"), {"year": 2032}).status_code == 201


def test_too_big_body_is_413_not_500(cast, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = session_api(cast.admin).patch(api("acme"), {"vision": "x" * 2000})
    assert response.status_code == 413


def test_non_json_body_is_415_or_400(cast):
    client = client_for(cast.admin)
    response = client.patch(api("acme"), "name=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    response = client.patch(api("acme"), "{not json", content_type=JSON)
    assert response.status_code == 400
    response = client.patch(api("acme"), '{"review_every_weeks": NaN}', content_type=JSON)
    assert response.status_code == 400


def test_schema_documents_every_endpoint(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    expected = {
        "/api/v1/{org_slug}/": {"get", "patch"},
        "/api/v1/{org_slug}/teams/": {"get", "post"},
        "/api/v1/{org_slug}/teams/{code}/": {"get", "patch", "delete"},
        "/api/v1/{org_slug}/members/": {"get"},
        "/api/v1/{org_slug}/members/{code}/": {"get", "patch", "delete"},
        "/api/v1/{org_slug}/invitations/": {"get", "post"},
        "/api/v1/{org_slug}/invitations/{code}/": {"get", "delete"},
        "/api/v1/{org_slug}/invitations/{code}/resend/": {"post"},
        "/api/v1/{org_slug}/cycles/": {"get", "post"},
        "/api/v1/{org_slug}/cycles/{code}/": {"get"},
        "/api/v1/{org_slug}/objectives/": {"get", "post"},
        "/api/v1/{org_slug}/objectives/{code}/": {"get", "patch", "delete"},
        "/api/v1/{org_slug}/key-results/": {"get", "post"},
        "/api/v1/{org_slug}/key-results/{code}/": {"get", "patch", "delete"},
        "/api/v1/{org_slug}/check-ins/": {"get", "post"},
        "/api/v1/{org_slug}/check-ins/{code}/": {"get"},
        "/api/v1/{org_slug}/initiatives/": {"get", "post"},
        "/api/v1/{org_slug}/initiatives/{code}/": {"get", "patch"},
    }
    for path, methods in expected.items():
        assert set(paths.get(path, {})) - {"parameters"} >= methods, path
    for path, item in paths.items():
        for method, operation in item.items():
            assert operation.get("summary"), (method, path)
            assert {"401", "404"} <= set(operation["responses"]), (method, path)
            if "requestBody" in operation:
                body = operation["requestBody"]["content"]["application/json"]
                assert body.get("examples"), (method, path)
            ok = [code for code in operation["responses"] if code.startswith("2")]
            assert ok, (method, path)
            for code in ok:
                content = operation["responses"][code].get("content")
                if content:
                    assert content["application/json"].get("examples"), (method, path, code)
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_docs_are_served_locally_under_a_csp(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    assert "/static/drf_spectacular_sidecar/" in html
    policy = response["Content-Security-Policy"]
    assert "unsafe-eval" not in policy
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "unsafe-inline" not in script_src
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "<script>" not in html  # every script is a file
