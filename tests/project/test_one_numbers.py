"""One key result, one set of numbers: every surface shows the same progress, pace and verdict.

The numbers come from the progress engine (``okr.lib.progress``) on every
page, in the tree (page and API), the review page, "my check-ins", the
exports and the API. This test renders each surface on one frozen day and
reads the progress %, the expected % and the verdict of each key result
from it (``data-numbers-for`` in HTML, fields in JSON and CSV), then asserts
they are all the same, and the engine's.

The key results (15 May 2026, Europe/Stockholm):

* DPAB's committed "20MSEK" with quarterly steps 2, 6, 12, 20 and 3 MSEK in:
  15 %, expected 20 % through the steps (linear would say 37 % and behind);
* a committed metric without steps: linear pace, behind;
* an aspirational one at about 78 % of the pace: on track (a committed one would be behind);
* a pending target ("NPS på X"): no progress, no pace;
* a parent that sums its direct children (2 + 1 pilot customers of 10): 30 %,
  whatever its own stored value says.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from html.parser import HTMLParser
from unittest import mock

import pytest
from django.urls import reverse

from alignment.models import KeyResultStep
from conftest import client_for
from okr.lib import progress as engine
from okr.models import KeyResult
from okr.reviews import selectors as review_selectors
from tests.support.api import api, session_api
from tests.support.factories import (
    CheckInFactory,
    CycleFactory,
    KeyResultFactory,
    ObjectiveFactory,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 15, 10, tzinfo=UTC)
D = Decimal


@pytest.fixture
def frozen():
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        yield


@pytest.fixture
def world(cast, frozen):
    org = cast.org
    year = CycleFactory(organisation=org, year=2026)
    quarters = {q.quarter: q for q in year.quarters.all()}
    q2 = quarters[2]
    strategic = ObjectiveFactory(
        organisation=org, cycle=year, title="Kommande år vårt starkaste tillväxtår någonsin"
    )
    sales = KeyResultFactory(
        objective=strategic,
        title="20MSEK försäljning till nya kunder",
        unit="MSEK",
        start_value=D(0),
        target_value=D(20),
        commitment="committed",
        owner=cast.member,
    )
    for quarter, target in zip((1, 2, 3, 4), (2, 6, 12, 20), strict=True):
        KeyResultStep.objects.create(
            organisation=org, key_result=sales, quarter=quarters[quarter], target_value=target
        )
    CheckInFactory(key_result=sales, value=D(1), at=datetime(2026, 2, 20, 9, tzinfo=UTC))
    CheckInFactory(key_result=sales, value=D(3), at=datetime(2026, 5, 4, 9, tzinfo=UTC))
    norway = KeyResultFactory(
        objective=strategic,
        title="10 nya norska kunder",
        unit="kunder",
        start_value=D(0),
        target_value=D(10),
        commitment="committed",
        owner=cast.admin,
    )
    CheckInFactory(key_result=norway, value=D(1), confidence="at_risk")
    nps = KeyResultFactory(
        objective=strategic,
        title="Rullande 3-månaders NPS på X",
        unit="NPS",
        start_value=D(20),
        target_value=None,
        owner=cast.admin,
    )
    pilots = KeyResultFactory(
        objective=strategic,
        title="10 signerade pilotkunder",
        unit="kunder",
        start_value=D(0),
        target_value=D(10),
        commitment="committed",
        rollup="sum",
        owner=cast.admin,
    )
    # A team objective of the member's team, aspirational, aligned indirectly.
    content = ObjectiveFactory(
        organisation=org,
        level="team",
        team=cast.team,
        cycle=q2,
        title="Kraftigt ökad synlighet på tyska marknaden",
        parent_objective=strategic,
        status="approved",
    )
    views = KeyResultFactory(
        objective=content,
        title="100k organiska visningar av innehåll på XING",
        unit="k visningar",
        start_value=D(0),
        target_value=D(100),
        commitment="aspirational",
        owner=cast.member,
    )
    CheckInFactory(key_result=views, value=D(38))
    # A team objective linked directly to the summing key result: its two key results add in.
    piloting = ObjectiveFactory(
        organisation=org,
        level="team",
        team=cast.team,
        cycle=q2,
        title="Pilotkunder i Norden",
        parent_key_result=pilots,
        alignment="direct",
        status="approved",
    )
    norway_pilots = KeyResultFactory(
        objective=piloting, title="Pilotkunder i Norge", unit="kunder", target_value=D(5)
    )
    sweden_pilots = KeyResultFactory(
        objective=piloting, title="Pilotkunder i Sverige", unit="kunder", target_value=D(5)
    )
    CheckInFactory(key_result=norway_pilots, value=D(2))
    CheckInFactory(key_result=sweden_pilots, value=D(1))
    # A stale stored value on the parent: every surface must show the sum, not this.
    KeyResult.objects.filter(pk=pilots.pk).update(current_value=D(7))
    krs = {
        "stepped": sales,
        "linear": norway,
        "pending": nps,
        "summed": pilots,
        "aspirational": views,
        "child": norway_pilots,
    }
    return {"krs": krs, "strategic": strategic, "content": content, "piloting": piloting}


# --- Reading the numbers off a surface ---------------------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class NumbersParser(HTMLParser):
    """Every element with ``data-numbers-for``: its data and the texts it shows."""

    def __init__(self):
        super().__init__()
        self.found: list[dict] = []
        self.open: list[tuple[dict, int, str]] = []  # record, depth, class being read
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in VOID:
            return
        self.depth += 1
        if "data-numbers-for" in attrs:
            record = {k[5:]: v for k, v in attrs.items() if k.startswith("data-")}
            record["texts"] = {}
            self.found.append(record)
            self.open.append((record, self.depth, ""))
            return
        classes = (attrs.get("class") or "").split()
        for name in ("progress-value", "progress-expected"):
            if name in classes and self.open:
                record, depth, _reading = self.open[-1]
                self.open.append((record, self.depth, name))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.open and self.open[-1][1] == self.depth:
            self.open.pop()
        self.depth -= 1

    def handle_data(self, data):
        if self.open and self.open[-1][2]:
            record, _depth, name = self.open[-1]
            record["texts"][name] = record["texts"].get(name, "") + data


def html_numbers(html: str, code) -> list[tuple]:
    """(progress %, expected %, verdict) of every place that shows ``code``, checked against its text."""
    parser = NumbersParser()
    parser.feed(html)
    seen = []
    for record in parser.found:
        if record["numbers-for"] != str(code):
            continue
        progress = int(record["progress"]) if "progress" in record else None
        expected = int(record["expected"]) if "expected" in record else None
        texts = record["texts"]
        if "progress-value" in texts:  # what the reader sees is the same number
            assert texts["progress-value"].split() == [str(progress), "%"], texts
        if "progress-expected" in texts:
            assert f"{expected}\u00a0%" in texts["progress-expected"], texts
        seen.append((progress, expected, record["verdict"]))
    return seen


def percent(value) -> int | None:
    return None if value is None or value == "" else round(float(value) * 100)


def json_nodes(data, code) -> list[dict]:
    """Every dict in a JSON document whose ``id`` is ``code`` and that carries a verdict."""
    found = []
    if isinstance(data, dict):
        if data.get("id") == str(code) and "verdict" in data:
            found.append(data)
        for value in data.values():
            found.extend(json_nodes(value, code))
    elif isinstance(data, list):
        for value in data:
            found.extend(json_nodes(value, code))
    return found


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def surfaces(cast, world) -> dict[str, dict[str, list[tuple]]]:
    """Surface name -> key result name -> the numbers it shows (one tuple per place)."""
    member, admin = client_for(cast.member), client_for(cast.admin)
    krs = world["krs"]
    review_day = review_selectors.next_review(cast.org).date
    html_pages = {
        "home": page(member, reverse("okr:home", args=["acme"])),
        "strategic page": page(member, reverse("okr:strategic", args=["acme"])),
        "strategic objective page": page(
            member, reverse("okr:objective_detail", args=["acme", world["strategic"].uuid])
        ),
        "team objective pages": page(
            member, reverse("okr:objective_detail", args=["acme", world["content"].uuid])
        )
        + page(member, reverse("okr:objective_detail", args=["acme", world["piloting"].uuid])),
        "tree": page(member, reverse("alignment:tree", args=["acme"]) + "?year=2026&expand=all"),
        "review page": page(
            member, reverse("okr:reviews", args=["acme"]) + f"?date={review_day.isoformat()}"
        ),
        "my check-ins": page(member, reverse("okr:my_check_ins", args=["acme"])),
    }
    found: dict[str, dict[str, list[tuple]]] = {}
    for surface, html in html_pages.items():
        found[surface] = {name: html_numbers(html, kr.uuid) for name, kr in krs.items()}
    found["key result page"] = {
        name: html_numbers(
            page(member, reverse("okr:key_result_detail", args=["acme", kr.uuid])), kr.uuid
        )
        for name, kr in krs.items()
    }

    def from_json(nodes):
        return [(percent(n["progress"]), percent(n["expected"]), n["verdict"]) for n in nodes]

    client = session_api(cast.member)
    tree = client.get(api("acme", "alignment/tree/?year=2026")).json()
    found["tree API"] = {name: from_json(json_nodes(tree, kr.uuid)) for name, kr in krs.items()}
    found["key result API"] = {
        name: from_json([client.get(api("acme", f"key-results/{kr.uuid}/")).json()])
        for name, kr in krs.items()
    }
    listed = client.get(api("acme", "key-results/"), {"page_size": 100}).json()["results"]
    found["key result list API"] = {
        name: from_json(json_nodes(listed, kr.uuid)) for name, kr in krs.items()
    }

    rows = list(
        csv.DictReader(io.StringIO(page(admin, reverse("okr:export_okrs_csv", args=["acme"]))))
    )
    found["CSV export"] = {
        name: [
            (percent(r["progress"]), percent(r["expected"]), r["verdict"])
            for r in rows
            if r["key_result_id"] == str(kr.uuid)
        ]
        for name, kr in krs.items()
    }
    document = json.loads(page(admin, reverse("okr:export_okrs_json", args=["acme"])))
    found["JSON export"] = {
        name: [
            (percent(r["progress"]), percent(r["expected"]), r["verdict"])
            for r in document["okrs"]
            if r["key_result_id"] == str(kr.uuid)
        ]
        for name, kr in krs.items()
    }
    return found


# --- The test ------------------------------------------------------------------------------------

ENGINE = {
    # name: (progress %, expected %, verdict) as the engine computes them on 15 May 2026
    "stepped": (15, 20, "on_track"),
    "linear": (10, 37, "behind"),
    "pending": (None, None, "pending"),
    "summed": (30, 37, "on_track"),
    "aspirational": (38, 49, "on_track"),
    "child": (40, 49, "on_track"),
}

#: Where each key result must appear (the others may show it too).
MUST_SHOW = {
    "home": {"stepped", "linear", "pending", "summed", "aspirational"},
    "strategic page": {"stepped", "linear", "summed"},
    "strategic objective page": {"stepped", "linear", "pending", "summed"},
    "team objective pages": {"aspirational", "child"},
    "key result page": set(ENGINE),
    "tree": set(ENGINE),
    "tree API": set(ENGINE),
    "review page": set(ENGINE),
    "my check-ins": {"stepped", "aspirational"},
    "key result API": set(ENGINE),
    "key result list API": set(ENGINE),
    "CSV export": set(ENGINE),
    "JSON export": set(ENGINE),
}


def test_every_surface_shows_the_same_numbers(cast, world):
    found = surfaces(cast, world)
    problems = []
    for surface, by_kr in found.items():
        for name, seen in by_kr.items():
            if name in MUST_SHOW[surface] and not seen:
                problems.append(f"{surface}: {name} is not shown")
            for numbers in seen:
                progress, expected, verdict = ENGINE[name]
                got_progress, got_expected, got_verdict = numbers
                # Some places leave the pace out (a team key result in the tree); none differs.
                if (
                    got_progress != progress
                    or got_verdict != verdict
                    or (got_expected is not None and got_expected != expected)
                ):
                    problems.append(f"{surface}: {name} shows {numbers}, the engine {ENGINE[name]}")
    assert not problems, "\n".join(problems)


def test_the_objective_reads_the_same_everywhere(cast, world):
    """Its key results' weighted mean (equal weights; the pending one left out): 18 %, 31 %."""
    code = world["strategic"].uuid
    member = client_for(cast.member)
    seen = []
    for url in (
        reverse("okr:home", args=["acme"]),
        reverse("okr:strategic", args=["acme"]),
        reverse("okr:objective_detail", args=["acme", code]),
        reverse("alignment:tree", args=["acme"]) + "?year=2026",
    ):
        shown = html_numbers(page(member, url), code)
        assert shown, url
        seen.extend(shown)
    client = session_api(cast.member)
    for document in (
        client.get(api("acme", "alignment/tree/?year=2026")).json(),
        client.get(api("acme", f"objectives/{code}/")).json(),
    ):
        nodes = json_nodes(document, code)
        assert nodes
        seen.extend((percent(n["progress"]), percent(n["expected"]), n["verdict"]) for n in nodes)
    admin = client_for(cast.admin)
    rows = csv.DictReader(io.StringIO(page(admin, reverse("okr:export_okrs_csv", args=["acme"]))))
    seen.extend(
        (percent(r["objective_progress"]), percent(r["objective_expected"]), r["objective_verdict"])
        for r in rows
        if r["objective_id"] == str(code)
    )
    assert set(seen) == {(18, 31, "behind")}, seen


def test_the_chart_pace_line_follows_the_steps(cast, world):
    stepped, linear = world["krs"]["stepped"], world["krs"]["linear"]
    member = client_for(cast.member)
    html = page(member, reverse("okr:key_result_detail", args=["acme", stepped.uuid]))
    assert 'class="chart-expected chart-expected-steps"' in html
    html = page(member, reverse("okr:key_result_detail", args=["acme", linear.uuid]))
    assert 'class="chart-expected"' in html and "chart-expected-steps" not in html


def test_the_engine_says_so(world):
    """The expected values above are the engine's, not numbers typed to match the pages."""
    krs = world["krs"]
    sales = krs["stepped"]
    year = sales.objective.cycle
    facts = engine.KeyResultFacts(
        period_start=year.start_date,
        period_end=year.end_date,
        start=sales.start_value,
        target=sales.target_value,
        current=D(3),
        commitment="committed",
        steps=tuple(engine.Step(s.quarter.end_date, s.target_value) for s in sales.steps.all()),
    )
    numbers = engine.key_result_status(facts, on=date(2026, 5, 15))
    assert (percent(numbers.progress), percent(numbers.expected), numbers.verdict) == ENGINE[
        "stepped"
    ]
    linear = engine.key_result_status(replace(facts, steps=()), on=date(2026, 5, 15))
    # Without the steps the same key result would read 37 % expected and behind.
    assert (percent(linear.expected), linear.verdict) == (37, "behind")
