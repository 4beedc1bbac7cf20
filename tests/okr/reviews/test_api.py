"""The review API (the scores API is tested in tests/okr/closing/test_api.py).

Everyone in the organisation reads reviews; leadership starts, moves and closes
them and records decisions. Non-members get 404
everywhere (also with a token made for another organisation), members without
the role 403, bad input 400 with field errors, a closed review 409 for changes.
"""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from okr.models import Review, ReviewEntry
from okr.objectives import services
from okr.reviews import services as svc
from tests.support.api import ApiClient, api, count_queries, session_api, token_api
from tests.support.factories import MembershipFactory, TeamFactory
from tests.support.reviews import at, build, record
from tests.support.worker import queued_jobs

pytestmark = pytest.mark.django_db

REVIEW_DAY = date(2026, 2, 16)  # a scheduled Monday of the built world


@pytest.fixture
def world(cast):
    w = build(cast)
    w.review = Review.objects.create(organisation=cast.org, date=REVIEW_DAY)
    other_review = Review.objects.create(organisation=cast.other_org, date=REVIEW_DAY)
    w.foreign = {"reviews": other_review.uuid}
    return w


def urls(w) -> list[str]:
    code = w.review.uuid
    return [
        api("acme", "reviews/"),
        api("acme", f"reviews/{code}/"),
        api("acme", f"reviews/{code}/close/"),
        api("acme", f"reviews/{code}/entries/"),
    ]


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
    assert Review.objects.get(pk=world.review.pk).state == "open"


def test_token_for_another_organisation_is_404_even_for_a_member_of_both(cast, world):
    MembershipFactory(organisation=cast.other_org, user=cast.leader, role="leadership")
    client = token_api(cast.leader, cast.other_org)
    assert client.get(api("other", "reviews/")).status_code == 200
    for url in urls(world):
        for method in ("get", "post", "patch"):
            assert getattr(client, method)(url).status_code == 404, (method, url)
    assert Review.objects.get(pk=world.review.pk).state == "open"


def test_another_organisations_ids_are_404_whatever_the_method(cast, world):
    admin = session_api(cast.admin)
    for path, code in [
        ("reviews/{}/", world.foreign["reviews"]),
        ("reviews/{}/close/", world.foreign["reviews"]),
        ("reviews/{}/entries/", world.foreign["reviews"]),
        ("reviews/{}/", uuid.uuid4()),
    ]:
        url = api("acme", path.format(code))
        for method in ("get", "post", "patch", "put", "delete"):
            assert getattr(admin, method)(url).status_code == 404, (method, url)
    assert Review.objects.get(uuid=world.foreign["reviews"]).state == "open"


def test_anonymous_gets_401(world):
    from django.test import Client

    for url in urls(world):
        assert ApiClient(Client()).get(url).status_code == 401, url


def test_members_read_reviews_only_leadership_changes_them(cast, world):
    member = session_api(cast.member)
    code = world.review.uuid
    assert member.get(api("acme", "reviews/")).status_code == 200
    assert member.get(api("acme", f"reviews/{code}/")).status_code == 200
    refused = [
        member.post(api("acme", "reviews/"), {"date": "2026-03-02"}),
        member.patch(api("acme", f"reviews/{code}/"), {"date": "2026-02-17"}),
        member.post(api("acme", f"reviews/{code}/close/")),
        member.post(
            api("acme", f"reviews/{code}/entries/"), {"kind": "note", "text": "Inte min sak"}
        ),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert Review.objects.filter(organisation=cast.org).count() == 1
    assert not ReviewEntry.objects.exists()
    assert Review.objects.get(pk=world.review.pk).state == "open"


# --- Reviews -----------------------------------------------------------------------------------


def test_list_and_filters(cast, world):
    Review.objects.create(organisation=cast.org, date=date(2026, 3, 2))
    svc.review_close(review=world.review, user=cast.leader, now=at(REVIEW_DAY, 10))
    member = session_api(cast.member)
    listed = member.get(api("acme", "reviews/")).json()
    assert [r["date"] for r in listed["results"]] == ["2026-03-02", "2026-02-16"]
    closed = listed["results"][1]
    assert closed["state"] == "closed" and closed["week"] == 8
    assert closed["previous_date"] == "2026-02-02" and closed["closed_by"] == str(cast.leader.uuid)
    assert closed["url"] == f"http://testserver/acme/reviews/{world.review.uuid}/"

    def dates(**params):
        response = member.get(api("acme", "reviews/"), params)
        assert response.status_code == 200, response.content
        return [r["date"] for r in response.json()["results"]]

    assert dates(state="open") == ["2026-03-02"]
    assert dates(date_after="2026-03-01") == ["2026-03-02"]
    assert dates(date_before="2026-02-16", date_after="2026-02-16") == ["2026-02-16"]
    assert dates(ordering="date") == ["2026-02-16", "2026-03-02"]
    for params, field in [
        ({"state": "held"}, "state"),
        ({"date_after": "16/2"}, "date_after"),
        ({"date_before": ""}, "date_before"),
        ({"ordering": "week"}, "ordering"),
    ]:
        response = member.get(api("acme", "reviews/"), params)
        assert response.status_code == 400 and field in response.json(), params


def test_leadership_starts_adds_and_moves_reviews(cast, world, django_capture_on_commit_callbacks):
    leader = session_api(cast.leader)
    url = api("acme", "reviews/")
    with django_capture_on_commit_callbacks() as callbacks:
        response = leader.post(url, {"date": "2026-03-02"})  # a scheduled Monday
    assert response.status_code == 201, response.content
    assert len(queued_jobs(callbacks)) == 1  # the reminders are queued, as the page does
    started = response.json()
    assert started["date"] == "2026-03-02" and started["moved_from"] is None
    assert started["state"] == "open" and started["created_by"] == str(cast.leader.uuid)
    again = leader.post(url, {"date": "2026-03-02"})
    assert again.status_code == 400 and set(again.json()) == {"date"}
    added = leader.post(url, {"date": "2026-03-04"})  # a Wednesday: an added review
    assert added.status_code == 201 and added.json()["moved_from"] is None
    moved = leader.post(url, {"date": "2026-03-17", "moved_from": "2026-03-16"})
    assert moved.status_code == 201 and moved.json()["moved_from"] == "2026-03-16"
    assert Review.objects.filter(organisation=cast.org).count() == 4
    # Moving a started review remembers the scheduled day it was on.
    response = leader.patch(api("acme", f"reviews/{started['id']}/"), {"date": "2026-03-03"})
    assert response.status_code == 200, response.content
    assert response.json()["date"] == "2026-03-03"
    assert response.json()["moved_from"] == "2026-03-02"
    onto = leader.patch(api("acme", f"reviews/{started['id']}/"), {"date": "2026-03-04"})
    assert onto.status_code == 400 and set(onto.json()) == {"date"}


@pytest.mark.parametrize(
    "body,fields",
    [
        ({}, {"date"}),
        ({"date": "2026-02-30"}, {"date"}),
        ({"date": "16 February"}, {"date"}),
        ({"date": 20260216}, {"date"}),
        ({"date": "1999-12-31"}, {"date"}),
        ({"date": "9999-12-31"}, {"date"}),
        ({"date": "2026-03-03", "moved_from": "2026-03-03"}, {"date"}),
        ({"date": "2026-03-03", "moved_from": "2026-03-04"}, {"moved_from"}),  # not scheduled
        ({"date": "2026-03-03", "moved_from": "2026-02-16"}, {"moved_from"}),  # already a row
        ({"date": "2026-03-03", "moved_from": "x"}, {"moved_from"}),
    ],
)
def test_bad_review_dates_are_400_with_the_fields(cast, world, body, fields):
    response = session_api(cast.leader).post(api("acme", "reviews/"), body)
    assert response.status_code == 400, response.content
    assert set(response.json()) == fields
    assert Review.objects.filter(organisation=cast.org).count() == 1


def test_decisions_and_notes(cast, world):
    leader = session_api(cast.leader)
    url = api("acme", f"reviews/{world.review.uuid}/entries/")
    response = leader.post(
        url,
        {
            "team": str(world.sales.uuid),
            "kind": "decision",
            "text": "Fredrika tar kontakt med kunden",
        },
    )
    assert response.status_code == 201, response.content
    entry = response.json()
    assert entry["team"] == str(world.sales.uuid) and entry["kind"] == "decision"
    assert entry["author"] == str(cast.leader.uuid)
    strategic = leader.post(url, {"kind": "note", "text": "Strategin håller", "team": None})
    assert strategic.status_code == 201 and strategic.json()["team"] is None
    foreign_team = TeamFactory(organisation=cast.other_org)
    for body, fields in [
        ({"kind": "note", "text": "  "}, {"text"}),
        ({"kind": "note"}, {"text"}),
        ({"kind": "vote", "text": "x"}, {"kind"}),
        ({"text": "x"}, {"kind"}),
        ({"kind": "note", "text": "x", "team": str(foreign_team.uuid)}, {"team"}),
        ({"kind": "note", "text": "x" * 4001}, {"text"}),
    ]:
        response = leader.post(url, body)
        assert response.status_code == 400 and set(response.json()) == fields, body
    assert ReviewEntry.objects.count() == 2


def test_the_detail_is_live_until_closed_then_frozen(cast, world):
    leader = session_api(cast.leader)
    url = api("acme", f"reviews/{world.review.uuid}/")
    ReviewEntry.objects.create(
        organisation=cast.org,
        review=world.review,
        team=world.sales,
        kind="decision",
        text="Fredrika tar kontakt med kunden",
        author=cast.leader,
    )
    live = leader.get(url).json()
    assert live["frozen"] is False and live["state"] == "open"
    rows = {r["title"]: r for r in live["key_results"]}
    assert set(rows) == {
        "Lansera översatt hemsida senast 15/2",
        "Generera 100 nya leads",
        "Fakturering nya kunder 4MSEK",
        "Merförsäljning 1,5MSEK",
        "20MSEK försäljning till nya kunder",
    }
    invoicing = rows["Fakturering nya kunder 4MSEK"]
    assert invoicing["key_result"] == str(world.krs["invoicing"].uuid)
    assert invoicing["objective"] == str(world.objectives["selling"].uuid)
    assert invoicing["team"] == str(world.sales.uuid)
    assert invoicing["owner"] == str(world.people["kari"].uuid)
    assert invoicing["progress"] == pytest.approx(0.5) and invoicing["value"] == "2"
    assert invoicing["confidence"] == "off_track"
    assert invoicing["previous_confidence"] == "on_track"
    assert rows["20MSEK försäljning till nya kunder"]["team"] is None
    assert rows["Lansera översatt hemsida senast 15/2"]["done"] is True
    teams = {t["name"]: t for t in live["teams"]}
    assert teams["Marknad"]["progress"] == pytest.approx(0.65)
    assert teams["Marknad"]["previous_progress"] == pytest.approx(0.15)
    assert teams["Strategic OKRs"]["team"] is None
    assert [e["text"] for e in live["entries"]] == ["Fredrika tar kontakt med kunden"]
    # Closing freezes it; a later check-in changes nothing.
    closed = leader.post(api("acme", f"reviews/{world.review.uuid}/close/"))
    assert closed.status_code == 200, closed.content
    frozen = closed.json()
    assert frozen["frozen"] is True and frozen["state"] == "closed"
    assert frozen["previous_date"] == "2026-02-02" and frozen["since"] is not None
    assert frozen["key_results"] == live["key_results"]
    assert frozen["teams"] == live["teams"]
    record(world.krs["invoicing"], world.people["kari"], date(2026, 2, 20), value=4)
    after = leader.get(url).json()
    assert after == frozen
    # Closing again changes nothing; a closed review takes no more changes (409).
    assert leader.post(api("acme", f"reviews/{world.review.uuid}/close/")).json() == frozen
    moved = leader.patch(url, {"date": "2026-02-17"})
    assert moved.status_code == 409 and moved.json()["code"] == "review_closed"
    late = leader.post(
        api("acme", f"reviews/{world.review.uuid}/entries/"), {"kind": "note", "text": "Sent"}
    )
    assert late.status_code == 409
    assert not ReviewEntry.objects.filter(text="Sent").exists()
    # Methods the endpoints do not have.
    assert leader.delete(url).status_code == 405
    assert leader.get(api("acme", f"reviews/{world.review.uuid}/close/")).status_code == 405


# --- Query counts ------------------------------------------------------------------------------------


def test_review_list_does_not_grow_with_the_page_size(cast):
    build(cast, extra_owners=8)
    for day in range(1, 14):
        Review.objects.create(organisation=cast.org, date=date(2026, 3, day), created_by=cast.admin)
    client = token_api(cast.admin, cast.org)
    client.get(api("acme", "reviews/"))  # the token's first use records last_used_at
    small = count_queries(client, api("acme", "reviews/"), {"page_size": 2})
    large = count_queries(client, api("acme", "reviews/"), {"page_size": 12})
    assert small == large, (small, large)
    assert large <= 6, large
    print("review list queries:", large)


@pytest.mark.parametrize("closed", [False, True])
def test_review_detail_queries_do_not_grow_with_the_organisation(cast, closed):
    def measure(w):
        review = Review.objects.create(organisation=cast.org, date=w.day)
        ReviewEntry.objects.create(
            organisation=cast.org, review=review, team=w.sales, text="Beslut", author=cast.admin
        )
        if closed:
            svc.review_close(review=review, user=cast.admin)
        return count_queries(client, api("acme", f"reviews/{review.uuid}/"), {})

    small = build(cast, extra_owners=1)
    client = token_api(cast.leader, cast.org)
    client.get(api("acme", "reviews/"))
    small.day = date(2026, 2, 16)
    before = measure(small)
    for i in range(12):
        kr = services.key_result_create(
            objective=small.objectives["selling"], title=f"Fler {i}", start_value=0, target_value=9
        )
        record(kr, cast.admin, date(2026, 2, 3), value=i % 9, note=f"Not {i}")
    small.day = date(2026, 3, 2)
    after = measure(small)
    assert after == before, (before, after)
    assert after <= 14, after
    print("review detail queries:", "closed" if closed else "open", after)


def test_new_operations_are_documented(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    expected = {
        "/api/v1/{org_slug}/reviews/": {"get", "post"},
        "/api/v1/{org_slug}/reviews/{code}/": {"get", "patch"},
        "/api/v1/{org_slug}/reviews/{code}/close/": {"post"},
        "/api/v1/{org_slug}/reviews/{code}/entries/": {"post"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) >= methods, path
