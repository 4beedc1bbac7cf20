"""The API of decisions that carry out: entries with owner, due date and key result; actions.

Owners are members' user ids, as for key results. Bad references and days are 400
with field errors; marking done is the owner's or leadership's (403 for others,
404 for non-members), at any time; the list of actions is bounded and filterable.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from conftest import client_for
from okr.models import Review, ReviewEntry
from okr.reviews import services as svc
from tests.support.api import api, count_queries, session_api, token_api
from tests.support.factories import KeyResultFactory, strategic_objective, year_and_quarter
from tests.support.fuzz import HOSTILE
from tests.support.reviews import build

pytestmark = pytest.mark.django_db

DAY = date(2026, 2, 2)
HIRE = "Produktionen anställer en person till"


@pytest.fixture
def world(cast):
    w = build(cast)
    w.per = w.people["per"]
    w.review = Review.objects.create(organisation=cast.org, date=DAY)
    return w


def entries_url(w):
    return api("acme", f"reviews/{w.review.uuid}/entries/")


def done_url(entry, org="acme"):
    return api(org, f"actions/{entry.uuid}/done/")


def action(w, owner, text=HIRE, due=None):
    return svc.review_entry_add(
        review=w.review,
        team=w.sales,
        kind="decision",
        text=text,
        author=None,
        owner=owner,
        due_date=due,
    )


def test_leadership_records_an_action(cast, world):
    response = session_api(cast.leader).post(
        entries_url(world),
        {
            "team": str(world.sales.uuid),
            "kind": "decision",
            "text": HIRE,
            "owner": str(world.per.uuid),
            "due_date": "2026-02-27",
            "key_result": str(world.krs["invoicing"].uuid),
        },
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["owner"] == str(world.per.uuid)
    assert data["due_date"] == "2026-02-27"
    assert data["key_result"] == str(world.krs["invoicing"].uuid)
    assert data["review"] == str(world.review.uuid)
    assert data["done_at"] is None and data["done_by"] is None
    detail = session_api(cast.member).get(api("acme", f"reviews/{world.review.uuid}/")).json()
    assert detail["entries"][0]["owner"] == str(world.per.uuid)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("owner", "outsider"),
        ("owner", "3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        ("key_result", "foreign"),
        ("due_date", "1999-12-31"),
        ("due_date", "2101-01-01"),
        ("due_date", "27/02/2026"),
        ("due_date", 20260227),
    ],
)
def test_bad_references_and_days_are_field_errors(cast, world, field, value):
    if value == "outsider":
        value = str(cast.outsider.uuid)
    if value == "foreign":
        other_year = year_and_quarter(cast.other_org)[0]
        value = str(
            KeyResultFactory(objective=strategic_objective(cast.other_org, other_year)).uuid
        )
    response = session_api(cast.leader).post(
        entries_url(world), {"kind": "decision", "text": HIRE, field: value}
    )
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"] if "errors" in response.json() else response.json()
    assert not ReviewEntry.objects.exists()


def test_a_note_with_an_owner_is_refused(cast, world):
    response = session_api(cast.leader).post(
        entries_url(world), {"kind": "note", "text": "Anteckning", "owner": str(world.per.uuid)}
    )
    assert response.status_code == 400
    assert "kind" in str(response.json())
    assert not ReviewEntry.objects.exists()


def test_hostile_values_are_400_never_500(cast, world):
    client = session_api(cast.leader)
    values = [*HOSTILE, "\ud800", 10**400, -1, 1.5, [], {}, True, None]
    for field in ("owner", "due_date", "key_result"):
        for value in values:
            data = {"kind": "decision", "text": HIRE, field: value}
            try:
                response = client.post(entries_url(world), data)
            except (UnicodeEncodeError, ValueError):
                continue
            assert response.status_code in (201, 400), (field, repr(value)[:30], response)
    assert not ReviewEntry.objects.exclude(owner__isnull=True).exists()
    for value in values:
        try:
            response = client.post(done_url(action(world, world.per)), {"done": value})
        except (UnicodeEncodeError, ValueError):
            continue
        assert response.status_code in (200, 400), (repr(value)[:30], response)


def test_the_owner_or_leadership_marks_done_at_any_time(cast, world):
    entry = action(world, world.per)
    svc.review_close(review=world.review, user=cast.leader)
    for user in (cast.member, cast.lead, world.people["kari"]):
        assert session_api(user).post(done_url(entry), {"done": True}).status_code == 403
    response = session_api(world.per).post(done_url(entry), {"done": True})
    assert response.status_code == 200, response.json()
    assert response.json()["done_by"] == str(world.per.uuid) and response.json()["done_at"]
    again = session_api(cast.leader).post(done_url(entry), {"done": False})
    assert again.status_code == 200 and again.json()["done_at"] is None
    assert session_api(cast.leader).post(done_url(entry), {}).status_code == 400


def test_a_note_is_not_an_action(cast, world):
    note = svc.review_entry_add(
        review=world.review, team=None, kind="note", text="Notis", author=None
    )
    response = session_api(cast.leader).post(done_url(note), {"done": True})
    assert response.status_code == 400
    assert session_api(cast.member).post(done_url(note), {"done": True}).status_code == 403


def test_non_members_get_404(cast, world):
    entry = action(world, world.per)
    for client in (session_api(cast.outsider), token_api(cast.outsider, cast.other_org)):
        assert client.get(api("acme", "actions/")).status_code == 404
        assert client.post(done_url(entry), {"done": True}).status_code == 404
    admin = session_api(cast.outsider)
    assert admin.post(done_url(entry, "other"), {"done": True}).status_code == 404
    assert session_api(cast.admin).post(done_url(entry, "other"), {}).status_code == 404
    entry.refresh_from_db()
    assert entry.done_at is None


def test_the_list_of_actions_open_by_default_and_by_owner(cast, world):
    first = action(world, world.per, due=date(2026, 3, 1))
    action(world, world.per, text="Tidigare", due=date(2026, 2, 20))
    action(world, world.people["kari"], text="Karis")
    svc.review_entry_add(review=world.review, team=None, kind="decision", text="X", author=None)
    svc.action_mark_done(entry=first, done=True, user=world.per)
    client = session_api(cast.member)
    texts = [a["text"] for a in client.get(api("acme", "actions/")).json()["results"]]
    assert texts == ["Tidigare", "Karis"]
    mine = client.get(api("acme", "actions/"), {"owner": str(world.per.uuid)}).json()
    assert [a["text"] for a in mine["results"]] == ["Tidigare"]
    done = client.get(api("acme", "actions/"), {"state": "done"}).json()
    assert [a["text"] for a in done["results"]] == [HIRE]
    assert len(client.get(api("acme", "actions/"), {"state": "all"}).json()["results"]) == 3
    for bad in ({"state": "maybe"}, {"owner": "not-a-uuid"}, {"owner": ""}):
        assert client.get(api("acme", "actions/"), bad).status_code == 400, bad


def test_the_list_runs_a_fixed_number_of_queries(cast, world):
    client = session_api(cast.member)
    for i in range(3):
        action(world, world.per, text=f"Åtgärd {i}")
    few = count_queries(client, api("acme", "actions/"), {})
    for i in range(40):
        action(world, world.per, text=f"Fler {i}", due=date(2026, 3, 1 + i % 28))
    assert count_queries(client, api("acme", "actions/"), {}) == few


def test_the_schema_documents_the_actions(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    assert "get" in paths["/api/v1/{org_slug}/actions/"]
    assert "post" in paths["/api/v1/{org_slug}/actions/{code}/done/"]
    create = schema["components"]["schemas"]["ReviewEntryCreateRequest"]["properties"]
    assert {"owner", "due_date", "key_result"} <= set(create)
    entry = schema["components"]["schemas"]["ReviewEntry"]["properties"]
    assert {"owner", "due_date", "key_result", "done_at", "done_by"} <= set(entry)


def test_the_page_and_the_api_agree_on_who_marks_done(cast, world):
    """Parity: each person, through the page and through the API, on fresh actions."""
    people = {
        "admin": cast.admin,
        "leadership": cast.leader,
        "lead": cast.lead,
        "member": cast.member,
        "owner": world.per,
        "other": world.people["kari"],
    }
    by_page, by_api = {}, {}
    for role, user in people.items():
        on_page, on_api = action(world, world.per, text=f"P {role}"), action(world, world.per)
        url = reverse("okr:review_action_done", args=["acme", on_page.uuid])
        status = client_for(user).post(url, {"done": "1"}).status_code
        by_page[role] = "ok" if status == 302 else str(status)
        status = session_api(user).post(done_url(on_api), {"done": True}).status_code
        by_api[role] = "ok" if status == 200 else str(status)
        on_page.refresh_from_db()
        on_api.refresh_from_db()
        assert (on_page.done_at is None) == (on_api.done_at is None), role
    assert by_page == by_api
    assert by_api == {
        "admin": "ok",  # admins lead too (accounts.policy)
        "leadership": "ok",
        "lead": "403",
        "member": "403",
        "owner": "ok",
        "other": "403",
    }
