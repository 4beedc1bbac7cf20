"""A closed quarter's team objectives show their frozen score in the tree, not a live "behind".

Once a quarter is closed its scores are what counts: the tree reads the frozen Score rows
(overrides included) and colours them as the method teaches, with no pace and no "behind".
"""

import re
from datetime import UTC, date, datetime
from unittest import mock

import pytest
from django.urls import reverse

from conftest import client_for
from okr.closing import services as closing
from okr.models import Score
from tests.support.factories import KeyResultFactory, ObjectiveFactory
from tests.support.reviews import build

pytestmark = pytest.mark.django_db

DECEMBER = datetime(2026, 12, 6, 10, tzinfo=UTC)
NORWAY = "Leverera marknadsmaterial för Norge"
SELLING = "Aggressiv försäljningstillväxt"


def tree_html(client) -> str:
    with mock.patch("django.utils.timezone.now", return_value=DECEMBER):
        response = client.get(reverse("alignment:tree", args=["acme"]) + "?year=2026&expand=all")
    assert response.status_code == 200
    return response.content.decode()


def node_row(html: str, objective) -> str:
    """The team objective's own row (title, progress or score, badges), not its key results."""
    start = html.index(f'id="n-{objective.uuid}"')
    return html[start : html.index("</div>", start)]


def node_key_results(html: str, objective) -> str:
    start = html.index(f'id="n-{objective.uuid}"')
    children = html.index('<ul class="node-children">', start)
    return html[children : html.index("</ul>", children)]


def test_a_closed_quarters_objective_shows_its_frozen_score_not_behind(cast):
    w = build(cast)
    closing.cycle_close(cycle=w.q1, today=date(2026, 4, 8))
    html = tree_html(client_for(cast.member))
    norway = node_row(html, w.objectives["norway"])
    # (website 1.0 + leads 0.3) / 2 = 0.65, half up: 0.7, green.
    assert re.search(r'class="score score-green"[^>]*>.*?0\.7\b', norway, re.S), norway
    assert "Behind pace" not in norway and "is-behind" not in norway
    selling = node_row(html, w.objectives["selling"])
    # (invoicing 0.5 + upsell 0.0) / 2 = 0.25, half up: 0.3, red.
    assert re.search(r'class="score score-red"[^>]*>.*?0\.3\b', selling, re.S), selling
    assert "Behind pace" not in selling
    krs = node_key_results(html, w.objectives["selling"])
    assert re.search(r'class="score score-yellow"[^>]*>.*?0\.5\b', krs, re.S), krs
    assert "Behind pace" not in krs


def test_an_override_is_what_the_tree_shows(cast):
    w = build(cast)
    closing.cycle_close(cycle=w.q1, today=date(2026, 4, 8))
    score = Score.objects.get(objective=w.objectives["selling"])
    closing.score_override(
        score=score, value=0.8, reason="Stora kunden betalade i förskott", user=cast.leader
    )
    selling = node_row(tree_html(client_for(cast.member)), w.objectives["selling"])
    assert re.search(r'class="score score-green"[^>]*>.*?0\.8\b', selling, re.S), selling


def test_an_open_quarter_still_shows_live_progress_and_pace(cast):
    w = build(cast)
    closing.cycle_close(cycle=w.q1, today=date(2026, 4, 8))
    q4 = w.year.quarters.get(quarter=4)
    late = ObjectiveFactory(
        organisation=cast.org,
        cycle=q4,
        level="team",
        team=w.sales,
        title="Julkampanj",
        status="approved",
        parent_objective=w.objectives["strategic"],
    )
    KeyResultFactory(objective=late, title="50 nya kunder", start_value=0, target_value=50)
    html = tree_html(client_for(cast.member))
    row = node_row(html, late)
    assert 'class="score ' not in row
    assert "progress-expected" in row  # live progress against the pace of Q4


def test_before_the_close_the_quarter_reads_live(cast):
    w = build(cast)
    row = node_row(tree_html(client_for(cast.member)), w.objectives["norway"])
    assert 'class="score ' not in row
    assert "65\u00a0%" in row and "progress-expected" in row  # live until Q1 is closed
