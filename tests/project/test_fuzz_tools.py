"""The fuzzers' own tools find what they are meant to find (tests.support.fuzz and .sweep).

A fuzzer that finishes with "0 server errors" says something only if it would have
counted one: these tests feed the judging, the form parser and the row snapshot
answers and pages with known faults.
"""

from __future__ import annotations

import pytest
from django.http import HttpResponse, HttpResponseRedirect

from accounts.models import Team
from tests.support.factories import OrganisationFactory, TeamFactory
from tests.support.fuzz import Tally, judged, off_site, refused, snapshot
from tests.support.sweep import encode, forms_on

PAGE = """
<form method="get" action="/search/"><input name="q"></form>
<form method="post" action="edit/" id="f1">
  <input type="hidden" name="csrfmiddlewaretoken" value="t">
  <input name="title" value="Öka &amp; växa">
  <select name="kind"><option value="metric">M</option><option value="milestone" selected>S</option></select>
  <select name="owner"><option value="">-</option><option value="5">Per</option></select>
  <input type="checkbox" name="done" value="on">
  <input type="radio" name="alignment" value="direct">
  <input type="radio" name="alignment" value="indirect" checked>
  <textarea name="why">Därför</textarea>
  <input name="ignored" disabled>
  <button type="submit" name="action" value="save">Save</button>
</form>
<input form="f1" name="outside" value="x">
<form hx-post="/acme/key-results/1/check-in/"><input name="value"></form>
"""


def test_forms_on_reads_what_a_browser_would_send():
    forms = forms_on("http://testserver/acme/objectives/1/", PAGE)
    assert [f.htmx for f in forms] == [False, True]
    edit, check_in = forms
    assert edit.action == "http://testserver/acme/objectives/1/edit/"
    assert edit.defaults() == {
        "csrfmiddlewaretoken": "t",
        "title": "Öka & växa",
        "kind": "milestone",
        "owner": "",
        "alignment": "indirect",
        "why": "Därför",
        "action": "save",
        "outside": "x",
    }
    assert next(c for c in edit.controls if c.name == "kind").options == ["metric", "milestone"]
    assert check_in.action == "http://testserver/acme/key-results/1/check-in/"
    assert check_in.names == ("value",)


def test_encode_sends_bytes_that_are_not_utf8_as_they_are():
    assert encode({"a": b"\xed\xa0\x80", "b": "ö", "c": ["1", "2"]}) == (
        b"a=%ED%A0%80&b=%C3%B6&c=1&c=2"
    )


def test_off_site_redirects():
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "http://a/"):
        assert off_site(target), target
    for target in ("/acme/", "/acme/?next=https://evil.example/", "", "acme/"):
        assert not off_site(target), target


@pytest.mark.django_db
def test_judged_counts_server_errors_half_writes_and_open_redirects():
    tally = Tally("self-test")
    org = OrganisationFactory()
    before = snapshot()
    judged(tally, "fine", HttpResponse(status=200), before)
    judged(tally, "refused, nothing written", HttpResponse(status=400), before)
    judged(tally, "broken", HttpResponse(status=500), before)
    judged(tally, "off site", HttpResponseRedirect("https://evil.example/"), before)
    TeamFactory(organisation=org, name="Half")
    judged(tally, "refused but written", HttpResponse(status=403), before)
    judged(tally, "accepted and written", HttpResponseRedirect("/acme/"), before)
    assert tally.requests == 6
    assert [p.split(":")[0] for p in tally.problems()] == [
        "broken",
        "refused but written",
        "off site",
    ]
    assert "accounts_team" in tally.half_written[0]


@pytest.mark.django_db
def test_snapshot_sees_a_changed_row_not_only_a_new_one():
    team = TeamFactory(organisation=OrganisationFactory(), name="Före")
    before = snapshot()
    Team.objects.filter(pk=team.pk).update(name="Efter")
    after = snapshot()
    assert {t for t in before if before[t] != after[t]} == {"accounts_team"}
    assert before["accounts_team"][0] == after["accounts_team"][0]


def test_refused_reads_error_markup_and_status():
    assert refused(HttpResponse(status=404))
    assert refused(HttpResponse('<ul class="errorlist"><li>No</li></ul>'))
    assert refused(HttpResponse('<input name="x" aria-invalid="true">'))
    assert not refused(HttpResponse("<p>Saved</p>"))
    assert not refused(HttpResponseRedirect("/acme/"))


def test_a_tally_reported_twice_is_counted_once(tmp_path, monkeypatch):
    import json

    from tests.support import fuzz

    monkeypatch.setattr(fuzz, "ARTIFACTS", tmp_path)
    monkeypatch.setattr(fuzz, "COUNTS_FILE", tmp_path / "counts.json")
    tally = Tally("twice")
    tally.requests, tally.statuses["4xx"] = 3, 3
    tally.report()
    tally.requests, tally.statuses["2xx"] = 5, 2
    tally.report()
    run = json.loads((tmp_path / "counts.json").read_text())["runs"][-1]
    assert run["fuzzers"]["twice"]["requests"] == 5
    assert run["fuzzers"]["twice"]["answers"] == {"4xx": 3, "2xx": 2}
    assert run["fuzzers"]["twice"]["server_errors"] == 0
