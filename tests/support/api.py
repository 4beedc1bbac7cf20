"""The API test client and the small organisation the API tests share.

``session_api(user)`` and ``token_api(user, organisation)`` give a client that speaks
JSON, signed in by session or by a Bearer token; ``api(org, path)`` is an API URL;
``count_queries`` counts the queries of one GET; ``api_world(cast)`` builds one of
each kind of object (and a few in the other organisation); ``all_urls`` lists an
organisation's API URLs (accounts and OKR) for tenancy sweeps.
"""

from __future__ import annotations

import json
from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts import tokens
from accounts.models import Membership
from conftest import client_for
from tests.support.factories import (
    CheckInFactory,
    CycleFactory,
    InitiativeFactory,
    InvitationFactory,
    KeyResultFactory,
    ObjectiveFactory,
    TeamFactory,
    TeamMembershipFactory,
)

JSON = "application/json"


def api(org: str, path: str = "") -> str:
    """The URL of ``path`` in organisation ``org``'s API."""
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
    """A client signed in as ``user`` with a browser session."""
    return ApiClient(client_for(user))


def token_api(user, organisation) -> ApiClient:
    """A client with a fresh personal token of ``user`` for ``organisation``."""
    _token, raw = tokens.token_create(user=user, organisation=organisation, name="test")
    return ApiClient(Client(), {"HTTP_AUTHORIZATION": f"Bearer {raw}"})


def count_queries(client, url, params) -> int:
    """The number of queries one GET of ``url`` runs (it must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(captured)


def api_world(cast) -> dict:
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
    """Every API URL of the organisation "acme" in ``world`` (lists and objects)."""
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
