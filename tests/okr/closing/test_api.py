"""The score API and the scores download (leadership only).

Leadership reads the scores a quarter close froze and overrides them with a
reason. Non-members get 404 everywhere (also with a token made for another
organisation), members 403, bad input 400 with field errors.
"""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from conftest import client_for
from okr.closing import services as svc
from okr.models import Score
from okr.objectives import services
from tests.support.api import ApiClient, api, count_queries, session_api, token_api
from tests.support.factories import MembershipFactory, ObjectiveFactory
from tests.support.reviews import at, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    w = build(cast)
    svc.cycle_close(cycle=w.q1, today=date(2026, 4, 8))
    w.score = Score.objects.get(key_result=w.krs["invoicing"])
    other_year = services.cycle_year_get_or_create(organisation=cast.other_org, year=2025)
    w.foreign_score = Score.objects.create(
        organisation=cast.other_org,
        cycle=other_year,
        objective=ObjectiveFactory(organisation=cast.other_org, cycle=other_year),
        computed=0.5,
        computed_at=at(date(2026, 1, 8)),
    ).uuid
    return w


def urls(w) -> list[str]:
    return [api("acme", "scores/"), api("acme", f"scores/{w.score.uuid}/")]


# --- Tenancy and roles ---------------------------------------------------------------------------


@pytest.mark.parametrize("auth", ["session", "token"])
def test_outsider_gets_404_for_every_endpoint_and_method(cast, world, auth):
    outsider = (
        session_api(cast.outsider)
        if auth == "session"
        else token_api(cast.outsider, cast.other_org)
    )
    failures = []
    for url in urls(world):
        for method in ("get", "post", "patch", "put", "delete"):
            status = getattr(outsider, method)(url).status_code
            if status != 404:
                failures.append((method, url, status))
    assert failures == []
    assert Score.objects.get(pk=world.score.pk).override is None


def test_token_for_another_organisation_is_404_even_for_a_member_of_both(cast, world):
    MembershipFactory(organisation=cast.other_org, user=cast.leader, role="leadership")
    client = token_api(cast.leader, cast.other_org)
    assert client.get(api("other", "scores/")).status_code == 200
    for url in urls(world):
        for method in ("get", "post", "patch"):
            assert getattr(client, method)(url).status_code == 404, (method, url)
    assert Score.objects.get(pk=world.score.pk).override is None


def test_another_organisations_ids_are_404_whatever_the_method(cast, world):
    admin = session_api(cast.admin)
    for code in (world.foreign_score, uuid.uuid4()):
        url = api("acme", f"scores/{code}/")
        for method in ("get", "post", "patch", "put", "delete"):
            assert getattr(admin, method)(url).status_code == 404, (method, url)
    assert Score.objects.get(uuid=world.foreign_score).override is None


def test_anonymous_gets_401(world):
    from django.test import Client

    for url in urls(world):
        assert ApiClient(Client()).get(url).status_code == 401, url


def test_members_cannot_read_or_override_scores(cast, world):
    member = session_api(cast.member)
    refused = [
        member.get(api("acme", "scores/")),
        member.get(api("acme", f"scores/{world.score.uuid}/")),
        member.patch(api("acme", f"scores/{world.score.uuid}/"), {"value": 1, "reason": "x"}),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert Score.objects.get(pk=world.score.pk).override is None


# --- Scores ----------------------------------------------------------------------------------------


def test_scores_list_filter_and_override(cast, world):
    leader = session_api(cast.leader)
    listed = leader.get(api("acme", "scores/"), {"page_size": 50}).json()
    assert listed["count"] == 6
    by_title = {s["title"]: s for s in listed["results"]}
    invoicing = by_title["Fakturering nya kunder 4MSEK"]
    assert invoicing["kind"] == "key_result" and invoicing["objective"] is None
    assert invoicing["key_result"] == str(world.krs["invoicing"].uuid)
    assert invoicing["cycle"] == str(world.q1.uuid)
    assert (invoicing["computed"], invoicing["override"], invoicing["value"]) == (0.5, None, 0.5)
    assert by_title["Aggressiv försäljningstillväxt"]["kind"] == "objective"

    def titles(**params):
        response = leader.get(api("acme", "scores/"), params)
        assert response.status_code == 200, response.content
        return {s["title"] for s in response.json()["results"]}

    assert titles(kind="objective") == {
        "Aggressiv försäljningstillväxt",
        "Leverera marknadsmaterial för Norge",
    }
    assert len(titles(kind="key_result")) == 4
    assert len(titles(cycle=str(world.q1.uuid))) == 6
    assert titles(cycle=str(world.year.uuid)) == set()
    assert titles(key_result=str(world.krs["invoicing"].uuid)) == {"Fakturering nya kunder 4MSEK"}
    for params in ({"kind": "team"}, {"cycle": "x"}, {"cycle": ""}, {"ordering": "title"}):
        assert leader.get(api("acme", "scores/"), params).status_code == 400, params
    url = api("acme", f"scores/{world.score.uuid}/")
    assert leader.get(url).json()["id"] == str(world.score.uuid)
    response = leader.patch(url, {"value": 0.8, "reason": "Stora kunden betalade i förskott"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["computed"], body["override"], body["value"]) == (0.5, 0.8, 0.8)
    assert body["override_reason"] == "Stora kunden betalade i förskott"
    assert body["overridden_by"] == str(cast.leader.uuid) and body["overridden_at"]
    for bad, fields in [
        ({"value": 0.7}, {"reason"}),
        ({"value": 0.7, "reason": "   "}, {"reason"}),
        ({"value": 1.5, "reason": "x"}, {"value"}),
        ({"value": -0.1, "reason": "x"}, {"value"}),
        ({"value": "0.7", "reason": "x"}, {"value"}),
        ({"value": True, "reason": "x"}, {"value"}),
        ({"reason": "x"}, {"value"}),
        ({"value": 0.7, "reason": 7}, {"reason"}),
    ]:
        response = leader.patch(url, bad)
        assert response.status_code == 400 and set(response.json()) == fields, bad
    assert Score.objects.get(pk=world.score.pk).override == 0.8
    back = leader.patch(url, {"value": None})
    assert back.status_code == 200
    assert (back.json()["override"], back.json()["value"]) == (None, 0.5)
    assert leader.delete(url).status_code == 405


def test_score_list_does_not_grow_with_the_page_size(cast):
    w = build(cast, extra_owners=8)
    svc.cycle_close(cycle=w.q1, today=date(2026, 4, 8))
    client = token_api(cast.admin, cast.org)
    client.get(api("acme", "scores/"))  # the token's first use records last_used_at
    small = count_queries(client, api("acme", "scores/"), {"page_size": 2})
    large = count_queries(client, api("acme", "scores/"), {"page_size": 12})
    assert small == large, (small, large)
    assert large <= 6, large
    print("score list queries:", large)


# --- The scores download ------------------------------------------------------------------------------


def test_scores_csv_for_leadership(cast, world):
    url = reverse("okr:export_scores_csv", args=["acme"])
    assert client_for(cast.member).get(url).status_code == 403
    assert client_for(cast.outsider).get(url).status_code == 404
    assert client_for(cast.leader).post(url).status_code == 405
    svc.score_override(score=world.score, value="0.8", reason="=förskott", user=cast.leader)
    response = client_for(cast.admin).get(url)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"].startswith('attachment; filename="acme-scores-')
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert len(rows) == 6
    # Each objective's row, then its key results'.
    selling = [r for r in rows if r["objective"] == "Aggressiv försäljningstillväxt"]
    assert [r["key_result"] for r in selling][0] == ""
    invoicing = next(r for r in rows if r["key_result"] == "Fakturering nya kunder 4MSEK")
    assert invoicing["computed"] == "0.5" and invoicing["override"] == "0.8"
    assert invoicing["score"] == "0.8" and invoicing["override_reason"] == "'=förskott"
    assert invoicing["overridden_by"] == "leader@acme.example"
    assert invoicing["team"] == "Försäljning" and invoicing["level"] == "team"
    assert invoicing["key_result_id"] == str(world.krs["invoicing"].uuid)


def test_scores_csv_queries_are_bounded(cast, django_assert_max_num_queries):
    w = build(cast, extra_owners=12)
    svc.cycle_close(cycle=w.q1, today=date(2026, 4, 8))
    client = client_for(cast.leader)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("okr:export_scores_csv", args=["acme"]))
        rows = b"".join(response.streaming_content).decode("utf-8").splitlines()
    assert len(rows) == 1 + 2 + 4 + 12


def test_new_operations_are_documented(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    expected = {
        "/api/v1/{org_slug}/scores/": {"get"},
        "/api/v1/{org_slug}/scores/{code}/": {"get", "patch"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) >= methods, path
