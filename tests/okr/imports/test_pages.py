"""The import page, the template downloads and the API (okr/imports/views.py, api.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import client_for
from okr.imports import reading
from okr.lib import calendar
from okr.models import KeyResult, Objective
from tests.okr.imports.sheets import csv_bytes, row, xlsx_bytes
from tests.okr.imports.test_checking import _quarter
from tests.support.api import api, token_api


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def _url(org, name="okr:import"):
    return reverse(name, args=[org.slug])


def _upload(data, name="okr.csv"):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def _counts():
    return Objective.objects.count(), KeyResult.objects.count()


def test_every_member_reaches_the_page_and_an_outsider_gets_404(
    cast, django_assert_max_num_queries
):
    with django_assert_max_num_queries(20):
        response = client_for(cast.member).get(_url(cast.org))
    assert response.status_code == 200
    assert b"Template (Excel, XLSX)" in response.content
    for name in ("okr:import", "okr:import_template_csv", "okr:import_template_xlsx"):
        assert client_for(cast.outsider).get(_url(cast.org, name)).status_code == 404
    assert client_for(cast.outsider).post(_url(cast.org), {}).status_code == 404
    response = token_api(cast.outsider, cast.other_org).client.post(
        api("acme", "import/"), {"file": _upload(csv_bytes([row()]))}
    )
    assert response.status_code in (401, 404)


def test_the_templates_read_back_as_an_import(cast):
    client = client_for(cast.leader)
    for name, filename in (
        ("okr:import_template_csv", "t.csv"),
        ("okr:import_template_xlsx", "t.xlsx"),
    ):
        response = client.get(_url(cast.org, name))
        assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
        sheet = reading.read(filename, response.content)
        assert set(sheet.header) == {key for key, _t in reading.COLUMNS}
        assert len(sheet.rows) == 2


def test_preview_writes_nothing_then_confirm_writes_everything(cast, django_assert_max_num_queries):
    quarter = _quarter(cast.org)
    rows = [row(f"Mål {i}", f"KR {i}", quarter=quarter, target="1 000") for i in range(40)]
    client = client_for(cast.lead)
    before = _counts()
    with django_assert_max_num_queries(30):  # whatever the number of rows
        response = client.post(_url(cast.org), {"file": _upload(csv_bytes(rows))})
    assert response.status_code == 200
    assert _counts() == before
    token = response.context["token"]
    assert token and "Import all rows" in response.content.decode()
    response = client.post(_url(cast.org), {"confirm": "1", "token": "wrong"})
    assert "The preview has expired" in response.content.decode()
    assert _counts() == before
    response = client.post(_url(cast.org), {"confirm": "1", "token": token})
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("okr:team_workshop", args=["acme", cast.team.uuid]) + "?quarter="
    )
    assert _counts() == (before[0] + 40, before[1] + 40)
    assert set(Objective.objects.filter(team=cast.team).values_list("status", flat=True)) == {
        "draft"
    }


def test_the_previews_queries_do_not_grow_with_its_rows(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    quarter = _quarter(cast.org)
    client = client_for(cast.lead)
    counts = []
    for n in (2, 200):
        rows = [row(f"M {i}", owner="member@acme.example", quarter=quarter) for i in range(n)]
        with CaptureQueriesContext(connection) as captured:
            client.post(_url(cast.org), {"file": _upload(csv_bytes(rows))})
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_preview_shows_row_errors_and_offers_no_confirmation(cast):
    response = client_for(cast.member).post(
        _url(cast.org), {"file": _upload(csv_bytes([row(team="Ingen"), row("Strat", team="")]))}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "No team called \u201cIngen\u201d." in text
    assert "Only leadership may import strategic objectives." in text
    assert response.context["token"] is None and "Import all rows" not in text


@pytest.mark.parametrize(
    "data, name",
    [
        (b"\x00\xff\xfe\x01" * 500, "x.csv"),
        (b"PK\x03\x04" + b"\x00" * 100, "x.xlsx"),
        (csv_bytes([row()] * 40000), "x.csv"),
        (b"", "x.csv"),
        ("Objective;Key result\nA\x00;B\udcff\n".encode("utf-8", "surrogatepass"), "x.csv"),
    ],
)
def test_hostile_files_get_a_form_error_never_a_500(cast, data, name):
    response = client_for(cast.member).post(_url(cast.org), {"file": _upload(data, name)})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_a_confirm_that_fails_the_second_check_writes_nothing(cast):
    quarter = _quarter(cast.org)
    client = client_for(cast.lead)
    response = client.post(
        _url(cast.org), {"file": _upload(csv_bytes([row("Ny", quarter=quarter)]))}
    )
    token = response.context["token"]
    cast.team.delete()  # the team is gone before the confirmation
    before = _counts()
    response = client.post(_url(cast.org), {"confirm": "1", "token": token})
    assert response.status_code == 200
    assert "No team called" in response.content.decode()
    assert _counts() == before


def test_api_dry_run_and_write(cast):
    quarter = _quarter(cast.org)
    client = token_api(cast.lead, cast.org)
    url = api("acme", "import/")
    before = _counts()
    data = xlsx_bytes([row(quarter=quarter), row(key_result="Två", quarter=quarter)])
    response = client.client.post(
        url + "?dry_run=true", {"file": _upload(data, "o.xlsx")}, **client.headers
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["dry_run"] and not body["written"] and body["errors"] == []
    assert [len(o["key_results"]) for o in body["objectives"]] == [2]
    assert _counts() == before
    bad = csv_bytes([row(quarter=quarter), row("B", target="x", quarter=quarter)])
    response = client.client.post(url, {"file": _upload(bad)}, **client.headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["row"] == 3
    assert _counts() == before
    response = client.client.post(url, {"file": _upload(data, "o.xlsx")}, **client.headers)
    assert response.status_code == 201 and response.json()["written"]
    assert _counts() == (before[0] + 1, before[1] + 2)


@pytest.mark.parametrize("data", [b"\x00" * 100, b"PK\x03\x04broken", None])
def test_api_refuses_bad_files_with_400(cast, data):
    client = token_api(cast.member, cast.org)
    body = {} if data is None else {"file": _upload(data)}
    response = client.client.post(api("acme", "import/"), body, **client.headers)
    assert response.status_code == 400
    assert "file" in response.json()


def test_the_strategic_and_workshop_pages_link_to_the_import(cast):
    url = _url(cast.org)
    assert (
        url in client_for(cast.leader).get(reverse("okr:strategic", args=["acme"])).content.decode()
    )
    workshop = reverse("okr:team_workshop", args=["acme", cast.team.uuid])
    assert url in client_for(cast.member).get(workshop).content.decode()
    assert calendar.today(cast.org)


def test_the_template_speaks_swedish_and_norwegian(cast):
    from django.utils import translation

    from okr.imports import template

    for language, word in (("sv", "Nyckelresultat"), ("nb", "Nøkkelresultat")):
        with translation.override(language):
            data = template.as_xlsx(cast.org)
        sheet = reading.read("t.xlsx", data)
        assert sheet.header["key_result"] == word
        assert set(sheet.header) == {key for key, _t in reading.COLUMNS}
