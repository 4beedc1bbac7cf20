"""The REST API as a whole, and its accounts endpoints (accounts/api/).

The same tenancy and role rules as the pages: non-members get 404 everywhere (also
with a token made for another organisation), members without the role 403, bad
input 400 with field errors; the organisation, its teams, members and invitations;
CSRF, body sizes, the OpenAPI schema and its readers.
"""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.test import Client

from accounts.models import Invitation, Team
from conftest import client_for
from okr.models import Cycle, Objective
from tests.support.api import (
    JSON,
    ApiClient,
    all_urls,
    api,
    api_world,
    session_api,
    token_api,
)
from tests.support.factories import (
    MembershipFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return api_world(cast)


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
    teams = {t["id"]: t for t in listed["results"]}
    assert set(teams) == {str(t.uuid) for t in Team.objects.filter(organisation=cast.org)}
    people = {p["user"]: p["is_lead"] for p in teams[str(world["team"].uuid)]["people"]}
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
                content = operation["requestBody"]["content"]
                if "application/json" in content:
                    assert content["application/json"].get("examples"), (method, path)
                else:  # a file upload (the spreadsheet import): its parts are described
                    upload = content["multipart/form-data"]["schema"]
                    assert upload["properties"], (method, path)
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
