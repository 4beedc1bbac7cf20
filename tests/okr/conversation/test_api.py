"""The conversation's API: comments and notifications, errors as JSON, outsiders 404."""

from __future__ import annotations

import pytest

from okr.conversation import services
from okr.models import Comment, Notification
from tests.support.api import api, count_queries, session_api, token_api
from tests.support.factories import (
    CheckInFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def okr(cast):
    year, _q = year_and_quarter(cast.org)
    objective = strategic_objective(cast.org, year, title="Växa i Norge")
    kr = metric_kr(objective, title="10 nya kunder", owner=cast.lead, target=10)
    check_in = CheckInFactory(key_result=kr, author=cast.lead, value=3)
    return objective, kr, check_in


@pytest.mark.parametrize("where", ["objective", "key_result", "check_in"])
def test_comment_on_each_kind_and_list_the_thread(cast, okr, where):
    target = dict(zip(["objective", "key_result", "check_in"], okr, strict=True))[where]
    client = session_api(cast.member)
    response = client.post(
        api("acme", "comments/"), {where: str(target.uuid), "text": "Hej @Liam Lead <b>"}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body[where] == str(target.uuid) and body["text"] == "Hej @Liam Lead <b>"
    assert body["mentions"] == [str(cast.lead.uuid)] and body["author_name"] == "Max Member"
    listed = client.get(api("acme", "comments/"), {where: str(target.uuid)}).json()
    assert [c["id"] for c in listed["results"]] == [body["id"]]
    assert Notification.objects.get().recipient == cast.lead


def test_a_reply_edit_and_remove(cast, okr):
    first = services.comment_create(target=okr[0], author=cast.lead, text="Fråga")
    member = session_api(cast.member)
    reply = member.post(
        api("acme", "comments/"),
        {"objective": str(okr[0].uuid), "text": "Svar", "parent": str(first.uuid)},
    ).json()
    assert reply["parent"] == str(first.uuid)
    url = api("acme", f"comments/{reply['id']}/")
    assert session_api(cast.lead).patch(url, {"text": "Nej"}).status_code == 403
    edited = member.patch(url, {"text": "Svar @Lea Leader"})
    assert edited.status_code == 200 and edited.json()["edited_at"]
    assert session_api(cast.lead).delete(url).status_code == 403
    assert session_api(cast.admin).delete(url).status_code == 204
    gone = member.get(url).json()
    assert gone["removed"] is True and gone["text"] is None
    conflict = member.patch(url, {"text": "igen"})
    assert conflict.status_code == 409 and conflict.json()["code"] == "comment_removed"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text": "no target"}, "non_field_errors"),
        ({"objective": "OBJ", "key_result": "KR", "text": "two"}, "non_field_errors"),
        ({"objective": "OBJ", "text": ""}, "text"),
        ({"objective": "OBJ", "text": "a\x00b"}, "text"),
        ({"objective": "OBJ", "text": "\ud800"}, "text"),
        ({"objective": "OBJ", "text": "x" * 100_000}, "text"),
        ({"objective": "OBJ", "text": 5}, "text"),
        ({"objective": "OBJ", "text": None}, "text"),
        ({"objective": "not-a-uuid", "text": "x"}, "objective"),
        ({"objective": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "text": "x"}, "objective"),
        ({"objective": "OBJ", "text": "x", "parent": "nope"}, "parent"),
        ({"objective": "OBJ", "text": "x", "parent": 10**30}, "parent"),
    ],
)
def test_bad_input_is_a_field_error(cast, okr, data, field):
    data = {
        k: (str(okr[0].uuid) if v == "OBJ" else str(okr[1].uuid) if v == "KR" else v)
        for k, v in data.items()
    }
    response = session_api(cast.member).post(api("acme", "comments/"), data)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Comment.objects.exists()


def test_a_target_of_another_organisation_does_not_exist(cast, okr):
    year, _q = year_and_quarter(cast.other_org)
    theirs = strategic_objective(cast.other_org, year)
    response = session_api(cast.member).post(
        api("acme", "comments/"), {"objective": str(theirs.uuid), "text": "x"}
    )
    assert response.status_code == 400 and "objective" in response.json()


def test_outsiders_get_404_everywhere(cast, okr):
    comment = services.comment_create(target=okr[0], author=cast.lead, text="@Max Member")
    note = Notification.objects.get()
    outsider = session_api(cast.outsider)
    for method, path in [
        ("get", "comments/"),
        ("post", "comments/"),
        ("get", f"comments/{comment.uuid}/"),
        ("patch", f"comments/{comment.uuid}/"),
        ("delete", f"comments/{comment.uuid}/"),
        ("get", "notifications/"),
        ("get", "notifications/unread-count/"),
        ("post", "notifications/read/"),
        ("post", f"notifications/{note.uuid}/read/"),
    ]:
        response = getattr(outsider, method)(api("acme", path))
        assert response.status_code == 404, (method, path)
    # A token for the other organisation is 404 here too.
    token = token_api(cast.outsider, cast.other_org)
    assert token.get(api("acme", "comments/")).status_code == 404


def test_notifications_are_the_callers_own(cast, okr):
    services.comment_create(target=okr[0], author=cast.lead, text="@Max Member @Lea Leader")
    member = session_api(cast.member)
    listed = member.get(api("acme", "notifications/")).json()["results"]
    assert len(listed) == 1 and listed[0]["kind"] == "mention"
    assert listed[0]["url"].endswith(f"/acme/objectives/{okr[0].uuid}/#comments")
    assert member.get(api("acme", "notifications/unread-count/")).json() == {"unread": 1}
    leaders = Notification.objects.get(recipient=cast.leader)
    assert member.post(api("acme", f"notifications/{leaders.uuid}/read/")).status_code == 404
    mine = listed[0]["id"]
    read = member.post(api("acme", f"notifications/{mine}/read/"))
    assert read.status_code == 200 and read.json()["read_at"]
    assert member.get(api("acme", "notifications/"), {"unread": "true"}).json()["results"] == []
    assert member.get(api("acme", "notifications/"), {"unread": "maybe"}).status_code == 400
    leader = session_api(cast.leader)
    assert leader.post(api("acme", "notifications/read/")).json() == {"marked": 1}
    assert leader.get(api("acme", "notifications/unread-count/")).json() == {"unread": 0}


def test_the_lists_cost_the_same_however_many(cast, okr):
    client = session_api(cast.member).client

    def comments_and_notes(n):
        for i in range(n):
            services.comment_create(target=okr[1], author=cast.lead, text=f"@Max Member {i}")

    comments_and_notes(2)
    few = count_queries(client, api("acme", "comments/"), {"key_result": str(okr[1].uuid)})
    few_notes = count_queries(client, api("acme", "notifications/"), {})
    comments_and_notes(30)
    assert count_queries(client, api("acme", "comments/"), {"key_result": str(okr[1].uuid)}) == few
    assert count_queries(client, api("acme", "notifications/"), {}) == few_notes


def test_the_schema_documents_the_endpoints(client, db):
    schema = client.get("/api/schema/?format=json").content.decode()
    for path in (
        "/comments/",
        "/comments/{code}/",
        "/notifications/",
        "/notifications/unread-count/",
        "/notifications/{code}/read/",
    ):
        assert path in schema
