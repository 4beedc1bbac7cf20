"""The review page once a key result was added after the last review was closed.

It has no value at the last review: the page reads "new since the last review" in that
column (it answered 500 before: ``could not convert string to float: ''``).
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import client_for
from okr.models import Review
from okr.reviews import selectors as sel
from okr.reviews import services as svc
from tests.support.factories import KeyResultFactory
from tests.support.reviews import at, build, record

pytestmark = pytest.mark.django_db

NEW = "20 nya kunder i Bergen"


def world_with_a_new_key_result(cast):
    w = build(cast)
    first = Review.objects.create(organisation=cast.org, date=date(2026, 2, 16))
    svc.review_close(review=first, user=cast.leader, now=at(date(2026, 2, 16), 10))
    bergen = KeyResultFactory(
        objective=w.objectives["selling"],
        title=NEW,
        owner=w.people["kari"],
        kind="metric",
        start_value=Decimal(0),
        target_value=Decimal(20),
    )
    return w, bergen


def row_of(html: str, title: str) -> str:
    """The key result's row in its team's table (the chart above names it too)."""
    start = html.index(f">{title}</a>")
    return html[start : html.index("</tr>", start)]


def test_the_live_review_page_reads_new_since_the_last_review(cast):
    w, bergen = world_with_a_new_key_result(cast)
    record(bergen, w.people["kari"], date(2026, 2, 25), value=4, confidence="on_track")
    second = Review.objects.create(organisation=cast.org, date=date(2026, 3, 2))
    response = client_for(cast.member).get(reverse("okr:review", args=["acme", second.uuid]))
    assert response.status_code == 200
    row = row_of(response.content.decode(), NEW)
    assert "new since the last review" in row
    assert "20\u00a0%" in row  # its progress now: 4 of 20


def test_a_scheduled_review_date_reads_the_same(cast):
    world_with_a_new_key_result(cast)
    response = client_for(cast.leader).get(
        reverse("okr:reviews", args=["acme"]) + "?date=2026-03-02"
    )
    assert response.status_code == 200
    assert "new since the last review" in row_of(response.content.decode(), NEW)


def test_meeting_mode_and_the_board_data(cast):
    w, _bergen = world_with_a_new_key_result(cast)
    board = sel.review_board(cast.org, date(2026, 3, 2), charts=True)
    row = next(r for r in board.rows if r.title == NEW)
    assert row.before is None and row.delta is None
    # The other key results still compare with the frozen snapshot.
    leads = next(r for r in board.rows if r.title == "Generera 100 nya leads")
    assert leads.before is not None
    second = Review.objects.create(organisation=cast.org, date=date(2026, 3, 2))
    meeting = reverse("okr:review", args=["acme", second.uuid]) + f"?team={w.sales.uuid}"
    response = client_for(cast.member).get(meeting)
    assert response.status_code == 200
    assert "new since the last review" in row_of(response.content.decode(), NEW)


def test_closing_the_review_keeps_the_new_key_result_readable(cast):
    w, bergen = world_with_a_new_key_result(cast)
    second = Review.objects.create(organisation=cast.org, date=date(2026, 3, 2))
    svc.review_close(review=second, user=cast.leader, now=at(date(2026, 3, 2), 10))
    response = client_for(cast.member).get(reverse("okr:review", args=["acme", second.uuid]))
    assert response.status_code == 200
    assert "new since the last review" in row_of(response.content.decode(), NEW)
