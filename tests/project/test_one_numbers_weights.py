"""Unequal key result weights drive the objective's progress and score everywhere.

A sibling of test_one_numbers.py: one team objective of Growth (15 May 2026) with
two metrics at 80 % and 20 %. Equal weights: 50 %. The lead weighs the first 3
through the API (as "3"): (0.8 x 3 + 0.2) / 4 = 65 %, and every surface says so
(home, objective page, tree page and API, objective API, the closed review's
snapshot and API, the quarter-close score), stored numbers included.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from conftest import client_for
from okr.closing import services as closing
from okr.lib import progress as engine
from okr.lib.progress.weights import weight_of
from okr.models import Objective, Review, ReviewTeam, Score
from okr.reviews import services as reviews
from tests.support.api import api, session_api
from tests.support.factories import CheckInFactory, CycleFactory, KeyResultFactory, ObjectiveFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 15, 10, tzinfo=UTC)


@pytest.fixture
def world(cast):
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        year = CycleFactory(organisation=cast.org, year=2026)
        q2 = year.quarters.get(quarter=2)
        strategic = ObjectiveFactory(
            organisation=cast.org, cycle=year, level="strategic", title="Nöjda kunder"
        )
        objective = ObjectiveFactory(
            parent_objective=strategic,
            organisation=cast.org,
            cycle=q2,
            level="team",
            team=cast.team,
            status="approved",
            title="Produktionen levererar i tid",
        )
        krs = []
        for title, value in (("Leveranser i tid 10", 8), ("Nya maskiner 10", 2)):
            kr = KeyResultFactory(
                objective=objective,
                title=title,
                start_value=Decimal(0),
                target_value=Decimal(10),
                owner=cast.lead,
            )
            CheckInFactory(key_result=kr, author=cast.lead, value=Decimal(value))
            krs.append(kr)
        yield {"q2": q2, "objective": objective, "krs": krs}


def shown_progress(html: str, code) -> set[int]:
    tags = re.findall(rf'<[^>]*data-numbers-for="{code}"[^>]*>', html)
    return {int(m) for tag in tags for m in re.findall(r'data-progress="(\d+)"', tag)}


def html_surfaces(cast, code) -> dict[str, set[int]]:
    member = client_for(cast.member)
    urls = {
        "home": reverse("okr:home", args=["acme"]),
        "objective page": reverse("okr:objective_detail", args=["acme", code]),
        "tree": reverse("alignment:tree", args=["acme"]) + "?year=2026&expand=all",
    }
    return {
        name: shown_progress(member.get(url).content.decode(), code) for name, url in urls.items()
    }


def api_progress(cast, code) -> dict[str, set[int]]:
    client = session_api(cast.member)

    def found(data) -> set[int]:
        seen = set()
        if isinstance(data, dict):
            if data.get("id") == str(code) and data.get("progress") is not None:
                seen.add(round(float(data["progress"]) * 100))
            for value in data.values():
                seen |= found(value)
        elif isinstance(data, list):
            for value in data:
                seen |= found(value)
        return seen

    return {
        "objective API": found(client.get(api("acme", f"objectives/{code}/")).json()),
        "tree API": found(client.get(api("acme", "alignment/tree/?year=2026")).json()),
    }


def test_equal_weights_then_unequal_move_every_surface(cast, world):
    code = world["objective"].uuid
    with mock.patch("django.utils.timezone.now", return_value=NOW):
        before = {**html_surfaces(cast, code), **api_progress(cast, code)}
        assert all(seen == {50} for seen in before.values()), before
        heavy = world["krs"][0]
        response = session_api(cast.lead).patch(
            api("acme", f"key-results/{heavy.uuid}/"), {"version": heavy.version, "weight": "3"}
        )
        assert response.status_code == 200, response.json()
        assert response.json()["weight"] == "3"
        after = {**html_surfaces(cast, code), **api_progress(cast, code)}
    missing = [name for name, seen in after.items() if not seen]
    assert not missing, after
    assert all(seen == {65} for seen in after.values()), after
    objective = Objective.objects.get(pk=world["objective"].pk)
    assert round(objective.stored_progress * 100) == 65  # the stored numbers moved too
    assert objective.status == "proposed"  # a material change by the lead: back to leadership
    # The engine agrees, and so does the share shown beside each weight.
    assert engine.maths.objective_progress([(0.8, 3), (0.2, 1)]) == pytest.approx(0.65)
    assert weight_of(3, [3, 1]).share == pytest.approx(0.75)


def test_the_review_snapshot_and_the_quarter_score_use_the_weights(cast, world):
    heavy = world["krs"][0]
    session_api(cast.leader).patch(
        api("acme", f"key-results/{heavy.uuid}/"), {"version": heavy.version, "weight": "3"}
    )
    review = Review.objects.create(organisation=cast.org, date=date(2026, 5, 11))
    reviews.review_close(review=review, user=cast.leader, now=NOW)
    team_row = ReviewTeam.objects.get(review=review, team=cast.team)
    assert round(team_row.progress * 100) == 65
    detail = session_api(cast.member).get(api("acme", f"reviews/{review.uuid}/")).json()
    growth = [t for t in detail["teams"] if t["team"] == str(cast.team.uuid)]
    assert [round(t["progress"] * 100) for t in growth] == [65]
    page = client_for(cast.member).get(reverse("okr:review", args=["acme", review.uuid]))
    assert "65\u00a0%" in page.content.decode()
    closing.cycle_close(cycle=world["q2"], now=NOW, force=True)
    score = Score.objects.get(objective=world["objective"])
    assert round(score.progress * 100) == 65
    # The score: the weighted mean of the key results' scores (0.8 and 0.2), one decimal.
    assert score.computed == pytest.approx(round((0.8 * 3 + 0.2) / 4 + 1e-9, 1))
