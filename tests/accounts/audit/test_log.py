"""The audit log is append-only, admins read and download it, and filters are checked.

Append-only in three layers: the model refuses save/delete of an existing row, its
queryset refuses update/delete, and PostgreSQL's trigger refuses UPDATE and DELETE
from any client (except the database's own cascades: the actor's account deleted, the
whole organisation deleted). No page or API method writes to it.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from accounts import audit
from accounts.models import AppendOnly, AuditEvent, Organisation, User
from conftest import client_for
from tests.support.api import api, session_api

pytestmark = pytest.mark.django_db
Kind = AuditEvent.Kind


def at(stamp: str):
    """Record as if it were ``stamp`` (the log's times are the database's ``now``)."""
    return mock.patch("django.utils.timezone.now", return_value=datetime.fromisoformat(stamp))


@pytest.fixture
def log(cast):
    """Three events: two by the admin, one by the system, on days apart."""
    with at("2026-03-01 10:00+01:00"):
        first = audit.record(
            cast.org,
            cast.admin,
            Kind.SETTINGS_CHANGED,
            cast.org,
            details={"name": {"old": "A", "new": "B"}},
        )
    with at("2026-03-31 23:30+00:00"):
        second = audit.record(
            cast.org,
            cast.admin,
            Kind.MEMBER_ROLE_CHANGED,
            details={"old": "member", "new": "admin"},
        )
    with at("2026-04-02 08:00+02:00"):
        third = audit.record(cast.org, None, Kind.QUARTER_CLOSED, details={"scores": 3})
    audit.record(cast.other_org, cast.outsider, Kind.SETTINGS_CHANGED, cast.other_org)
    return [first, second, third]


def page(client, **params):
    return client.get(reverse("settings:audit", args=["acme"]), params)


def actions(response) -> list[str]:
    return [event.action for event in response.context["page"].object_list]


# --- Append-only -------------------------------------------------------------------------------


def test_the_model_refuses_changes_and_deletes(cast, log):
    event = log[0]
    event.actor_label = "Someone else"
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        event.delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(actor_label="x")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(organisation=cast.org).delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_label == "Ada Admin <admin@acme.example>"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE accounts_auditevent SET actor_label = 'x' WHERE id = %s",
        "UPDATE accounts_auditevent SET details = '{}' WHERE id = %s",
        "UPDATE accounts_auditevent SET actor_id = NULL, action = 'token.created' WHERE id = %s",
        "DELETE FROM accounts_auditevent WHERE id = %s",
    ],
)
def test_the_database_refuses_any_other_client(cast, log, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [log[0].pk])
    assert AuditEvent.objects.filter(pk=log[0].pk, actor_label__startswith="Ada").exists()


def test_a_deleted_account_keeps_its_name_in_the_log(cast, log):
    User.objects.filter(pk=cast.admin.pk).delete()
    event = AuditEvent.objects.get(pk=log[0].pk)
    assert event.actor is None
    assert event.actor_label == "Ada Admin <admin@acme.example>"
    assert event.details == {"name": {"old": "A", "new": "B"}}


def test_a_deleted_organisation_takes_its_log_along(cast, log):
    Organisation.objects.filter(pk=cast.org.pk).delete()
    assert not AuditEvent.objects.filter(organisation_id=cast.org.pk).exists()
    assert AuditEvent.objects.filter(organisation=cast.other_org).count() == 1


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_api_method_writes(cast, log, method):
    response = getattr(session_api(cast.admin), method)(api("acme", "audit-log/"))
    assert response.status_code == 405
    assert AuditEvent.objects.filter(organisation=cast.org).count() == 3


@pytest.mark.parametrize("name", ["audit", "audit_csv", "audit_json"])
def test_no_page_accepts_a_post(cast, log, name):
    response = client_for(cast.admin).post(reverse(f"settings:{name}", args=["acme"]))
    assert response.status_code == 405
    assert AuditEvent.objects.filter(organisation=cast.org).count() == 3


# --- Who reads it --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["audit", "audit_csv", "audit_json"])
def test_admins_only(cast, log, name):
    url = reverse(f"settings:{name}", args=["acme"])
    assert client_for(cast.outsider).get(url).status_code == 404
    for user in (cast.leader, cast.member):
        assert client_for(user).get(url).status_code == 403
    assert client_for(cast.admin).get(url).status_code == 200


def test_the_api_is_for_admins_only(cast, log):
    assert session_api(cast.outsider).get(api("acme", "audit-log/")).status_code == 404
    assert session_api(cast.leader).get(api("acme", "audit-log/")).status_code == 403
    assert session_api(cast.member).get(api("acme", "audit-log/")).status_code == 403


def test_the_settings_navigation_links_the_log_for_admins(cast):
    html = client_for(cast.admin).get(reverse("settings:members", args=["acme"])).content.decode()
    assert reverse("settings:audit", args=["acme"]) in html


# --- The page ------------------------------------------------------------------------------------


def test_newest_first_with_who_and_details(cast, log):
    response = page(client_for(cast.admin))
    assert actions(response) == [
        Kind.QUARTER_CLOSED,
        Kind.MEMBER_ROLE_CHANGED,
        Kind.SETTINGS_CHANGED,
    ]
    html = response.content.decode()
    assert "Ada Admin &lt;admin@acme.example&gt;" in html
    assert "Member → Admin" in html
    assert "outsider@other.example" not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"action": "quarter.closed"}, [Kind.QUARTER_CLOSED]),
        ({"actor": "system"}, [Kind.QUARTER_CLOSED]),
        # Days in the organisation's time zone (Europe/Stockholm): 2026-03-31 23:30 UTC is
        # already 1 April there.
        ({"since": "2026-04-01"}, [Kind.QUARTER_CLOSED, Kind.MEMBER_ROLE_CHANGED]),
        ({"until": "2026-03-31"}, [Kind.SETTINGS_CHANGED]),
        ({"since": "2026-03-01", "until": "2026-03-01"}, [Kind.SETTINGS_CHANGED]),
    ],
)
def test_filters(cast, log, params, expected):
    assert actions(page(client_for(cast.admin), **params)) == expected


def test_the_actor_filter_offers_the_members(cast, log):
    client = client_for(cast.admin)
    response = page(client, actor=str(cast.admin.uuid))
    assert actions(response) == [Kind.MEMBER_ROLE_CHANGED, Kind.SETTINGS_CHANGED]
    assert str(cast.member.uuid) in response.content.decode()
    assert 'type="date"' not in response.content.decode()


HOSTILE = [
    {"action": "nope"},
    {"action": "x" * 10_000},
    {"actor": "\x00"},
    {"actor": "not-a-uuid"},
    {"since": "2026-13-01"},
    {"since": "99999-01-01"},
    {"since": "1-1-1"},
    {"until": "\x00"},
    {"since": "2026-04-02", "until": "2026-04-01"},
    {"since": "1900-01-01"},
    {"page": "\x00"},
    {"page": "9" * 40},
]


@pytest.mark.parametrize("params", HOSTILE)
def test_hostile_filters_are_form_errors_or_400_never_500(cast, log, params):
    client = client_for(cast.admin)
    response = page(client, **params)
    assert response.status_code == 200
    if "page" not in params:
        assert response.context["form"].errors
    answer = session_api(cast.admin).get(api("acme", "audit-log/"), params)
    assert answer.status_code == 400, answer.content
    assert answer.json()
    download = client.get(reverse("settings:audit_csv", args=["acme"]), params)
    assert download.status_code in (200, 400)


def test_the_page_runs_a_bounded_number_of_queries(cast, log, django_assert_max_num_queries):
    for n in range(120):
        audit.record(cast.org, cast.admin, Kind.TOKEN_CREATED, details={"n": n})
    client = client_for(cast.admin)
    page(client)
    with django_assert_max_num_queries(12):
        response = page(client, page="2", actor=str(cast.admin.uuid))
    assert len(response.context["page"].object_list) == 50


# --- Downloads -----------------------------------------------------------------------------------


def test_csv_download_streams_the_filtered_log_and_is_recorded(cast, log):
    response = client_for(cast.admin).get(
        reverse("settings:audit_csv", args=["acme"]), {"actor": str(cast.admin.uuid)}
    )
    assert response.status_code == 200 and response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["action"] for row in rows] == [
        "export.downloaded",
        "member.role_changed",
        "settings.changed",
    ]
    assert json.loads(rows[1]["details"]) == {"old": "member", "new": "admin"}
    assert rows[2]["created_at"] == "2026-03-01T10:00:00+01:00"
    export = AuditEvent.objects.get(organisation=cast.org, action=Kind.EXPORT_DOWNLOADED)
    assert export.details == {
        "export": "audit-log",
        "format": "csv",
        "filters": {"actor": str(cast.admin.uuid)},
    }


def test_csv_cells_that_would_be_formulas_are_quoted(cast):
    audit.record(cast.org, cast.admin, Kind.WEBHOOK_CREATED, details={"url": "x"})
    AuditEvent.objects.create(
        organisation=cast.org, actor_label="=cmd|' /C calc'!A0", action=Kind.TOKEN_CREATED
    )
    response = client_for(cast.admin).get(reverse("settings:audit_csv", args=["acme"]))
    text = b"".join(response.streaming_content).decode()
    assert "'=cmd" in text


def test_json_download(cast, log):
    response = client_for(cast.admin).get(
        reverse("settings:audit_json", args=["acme"]), {"action": "quarter.closed"}
    )
    document = json.loads(b"".join(response.streaming_content))
    assert document["organisation"]["slug"] == "acme"
    assert document["filters"] == {"action": "quarter.closed"}
    assert [e["action"] for e in document["events"]] == ["quarter.closed"]
    assert document["events"][0]["actor"] == "" and document["events"][0]["actor_id"] is None


# --- The API -------------------------------------------------------------------------------------


def test_the_api_lists_with_the_same_filters(cast, log):
    client = session_api(cast.admin)
    body = client.get(api("acme", "audit-log/")).json()
    assert [e["action"] for e in body["results"]] == [
        "quarter.closed",
        "member.role_changed",
        "settings.changed",
    ]
    first = body["results"][1]
    assert first["actor_id"] == str(cast.admin.uuid)
    assert first["details"] == {"old": "member", "new": "admin"}
    since = client.get(api("acme", "audit-log/"), {"since": "2026-04-01", "actor": "system"})
    assert [e["action"] for e in since.json()["results"]] == ["quarter.closed"]


def test_the_schema_documents_the_log(cast):
    schema = client_for(cast.admin).get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/{org_slug}/audit-log/"]
    assert set(operation) == {"get"}
    names = {p["name"] for p in operation["get"]["parameters"]}
    assert {"action", "actor", "since", "until", "page"} <= names


def test_recorded_times_are_now(cast):
    event = audit.record(cast.org, None, Kind.QUARTER_CLOSED)
    assert abs(event.created_at - datetime.now(tz=event.created_at.tzinfo)) < timedelta(minutes=1)
