"""Downloads: the organisation's OKRs and check-ins as streamed CSV and JSON (leadership)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from okr.exports import streams as export
from tests.support.factories import (
    CheckInFactory,
    CycleFactory,
    KeyResultFactory,
    ObjectiveFactory,
    TeamFactory,
)

pytestmark = pytest.mark.django_db

URLS = ("okr:export_okrs_csv", "okr:export_check_ins_csv", "okr:export_okrs_json")


def url(name, org="acme"):
    return reverse(name, args=[org])


def body(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def rows(response) -> list[dict]:
    text = body(response)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.fixture
def okrs(cast):
    year = CycleFactory(organisation=cast.org)
    growth = ObjectiveFactory(
        organisation=cast.org, cycle=year, title="Kommande år vårt starkaste tillväxtår någonsin"
    )
    sales = KeyResultFactory(
        objective=growth,
        title="20MSEK försäljning till nya kunder",
        unit="MSEK",
        start_value=Decimal(0),
        target_value=Decimal(20),
        owner=cast.member,
    )
    CheckInFactory(
        key_result=sales, value=Decimal("4.5"), note='=HYPERLINK("x")', author=cast.member
    )
    empty = ObjectiveFactory(organisation=cast.org, cycle=year, title="@Tom")
    # Another organisation's rows never appear.
    other = ObjectiveFactory(organisation=cast.other_org, title="Hemligt")
    CheckInFactory(
        key_result=KeyResultFactory(objective=other, title="Hemlig KR"), value=Decimal(1)
    )
    return {"growth": growth, "sales": sales, "empty": empty}


def test_okrs_csv(cast, okrs):
    response = client_for(cast.leader).get(url("okr:export_okrs_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="acme-okrs-')
    assert "no-store" in response["Cache-Control"]
    data = rows(response)
    assert [r["objective"] for r in data] == [
        "Kommande år vårt starkaste tillväxtår någonsin",
        "'@Tom",  # a spreadsheet would run it as a formula
    ]
    first = data[0]
    assert first["key_result"] == "20MSEK försäljning till nya kunder"
    assert (first["start_value"], first["target_value"], first["current_value"]) == (
        "0",
        "20",
        "4.5",
    )
    assert first["progress"] == "0.225" and first["key_result_owner"] == "member@acme.example"
    assert first["objective_id"] == str(okrs["growth"].uuid)
    assert data[1]["key_result_id"] == ""
    assert "Hemligt" not in body(client_for(cast.leader).get(url("okr:export_okrs_csv")))


def test_check_ins_csv(cast, okrs):
    data = rows(client_for(cast.admin).get(url("okr:export_check_ins_csv")))
    assert len(data) == 1
    assert data[0]["value"] == "4.5" and data[0]["note"] == '\'=HYPERLINK("x")'
    assert data[0]["key_result_id"] == str(okrs["sales"].uuid)
    assert data[0]["author"] == "member@acme.example"


def test_json(cast, okrs):
    response = client_for(cast.leader).get(url("okr:export_okrs_json"))
    assert response["Content-Type"] == "application/json"
    document = json.loads(body(response))
    assert document["organisation"]["slug"] == "acme"
    assert [r["objective"] for r in document["okrs"]] == [
        "Kommande år vårt starkaste tillväxtår någonsin",
        "@Tom",  # JSON keeps texts verbatim
    ]
    assert document["okrs"][0]["progress"] == 0.225
    assert [c["note"] for c in document["check_ins"]] == ['=HYPERLINK("x")']


def test_json_of_an_empty_organisation_is_valid(cast):
    document = json.loads(body(client_for(cast.leader).get(url("okr:export_okrs_json"))))
    assert document["okrs"] == [] and document["check_ins"] == []


@pytest.mark.parametrize("name", URLS)
def test_members_403_outsiders_404_anonymous_login(cast, client, name):
    assert client_for(cast.member).get(url(name)).status_code == 403
    assert client_for(cast.outsider).get(url(name)).status_code == 404
    response = client.get(url(name))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert client_for(cast.leader).post(url(name)).status_code == 405


def test_strategic_page_links_the_downloads_for_leadership(cast):
    page = client_for(cast.leader).get(reverse("okr:strategic", args=["acme"])).content.decode()
    assert url("okr:export_okrs_csv") in page and url("okr:export_okrs_json") in page
    page = client_for(cast.member).get(reverse("okr:strategic", args=["acme"])).content.decode()
    assert url("okr:export_okrs_csv") not in page


def _queries_for_export(cast, name) -> int:
    client = client_for(cast.leader)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url(name))
        b"".join(response.streaming_content)
    return len(captured)


def _grow(org, objectives: int, krs: int = 3):
    year = CycleFactory(organisation=org)
    team = TeamFactory(organisation=org)
    for i in range(objectives):
        objective = ObjectiveFactory(organisation=org, cycle=year, title=f"O{i}")
        for j in range(krs):
            kr = KeyResultFactory(objective=objective, title=f"K{i}.{j}")
            CheckInFactory(key_result=kr, value=Decimal(j))
    return team


@pytest.mark.parametrize("name", URLS)
def test_queries_stay_flat_as_the_organisation_grows(cast, name):
    _grow(cast.org, 3)
    small = _queries_for_export(cast, name)
    _grow(cast.org, 30)
    large = _queries_for_export(cast, name)
    assert small == large, (small, large)


def test_large_export_streams_in_chunks(cast, monkeypatch):
    """Rows come from the database in chunks (server-side cursor), not all at once."""
    monkeypatch.setattr(export, "CHUNK", 10)
    _grow(cast.org, 25, krs=2)
    client = client_for(cast.leader)
    response = client.get(url("okr:export_okrs_csv"))
    chunks = list(response.streaming_content)
    assert len(chunks) == 1 + 50  # header, then a line per key result
    assert len(rows(client.get(url("okr:export_check_ins_csv")))) == 50
