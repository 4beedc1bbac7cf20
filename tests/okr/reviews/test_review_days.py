"""The review days (okr/reviews/days.py): which review was "the last one", and which are still to come.

* "Compared with the last review on 23 November" was shown though no review was held
  that day: the last review is the last one held (closed); a scheduled day on which
  none was held is named as such.
* A review closed early (before its day) stayed under "Upcoming": a closed review is
  behind us, whatever its date.
"""

from datetime import UTC, date, datetime
from unittest import mock

import pytest
from django.urls import reverse

from conftest import client_for
from okr.models import Review
from okr.reviews import days
from okr.reviews import selectors as sel
from okr.reviews import services as svc
from tests.support.reviews import at, build

pytestmark = pytest.mark.django_db


def page(client, name, *args, query=""):
    return client.get(reverse(f"okr:{name}", args=["acme", *args]) + query).content.decode()


def clock_at(moment: datetime):
    """The one clock (okr.lib.calendar.clock reads Django's) stopped at ``moment``."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_without_a_review_held_the_page_does_not_claim_one(cast):
    build(cast)  # reviews scheduled every second Monday; none was held
    board = sel.review_board(cast.org, date(2026, 3, 2), charts=False)
    assert board.period.previous_date == date(2026, 2, 16)
    assert not board.period.held and board.period.previous_review is None
    body = page(client_for(cast.member), "reviews", query="?date=2026-03-02")
    assert "Compared with Monday 16 February: no review was held that day." in body
    assert "Compared with the last review" not in body
    assert "On 16 February (no review held)" in body  # the chart's legend
    assert "no review was held then" in body  # the chart's description


def test_the_last_review_is_the_last_one_held_not_the_last_one_scheduled(cast):
    w = build(cast)
    held = Review.objects.create(organisation=cast.org, date=date(2026, 2, 2))
    svc.review_close(review=held, user=cast.leader, now=at(date(2026, 2, 2), 11))
    # 16 February was scheduled, a row was even made (reminders do), but it was never held.
    Review.objects.create(organisation=cast.org, date=date(2026, 2, 16))
    board = sel.review_board(cast.org, date(2026, 3, 2), charts=False)
    assert board.period.held and board.period.previous_date == date(2026, 2, 2)
    assert board.period.since == at(date(2026, 2, 2), 11)
    # The baseline is the snapshot frozen on 2 February: invoicing stood at 1 of 4 MSEK.
    invoicing = next(r for r in board.rows if r.title == w.krs["invoicing"].title)
    assert invoicing.before.progress == pytest.approx(0.25)
    body = page(client_for(cast.member), "reviews", query="?date=2026-03-02")
    assert "Compared with the last review on Monday 2 February." in body
    assert "16 February" not in body.split("review-flags", 1)[1].split("</ul>", 1)[0]
    # Closing it records the review it was compared with.
    march = Review.objects.create(organisation=cast.org, date=date(2026, 3, 2))
    svc.review_close(review=march, user=cast.leader, now=at(date(2026, 3, 2), 11))
    march.refresh_from_db()
    assert march.previous_date == date(2026, 2, 2) and march.since == at(date(2026, 2, 2), 11)


def test_a_review_closed_early_is_no_longer_upcoming(cast):
    build(cast)
    friday = datetime(2026, 2, 27, 12, tzinfo=UTC)
    early = Review.objects.create(organisation=cast.org, date=date(2026, 3, 2))
    svc.review_close(review=early, user=cast.leader, now=friday)
    overview = days.reviews_overview(cast.org, today=date(2026, 2, 27))
    assert [d.date for d in overview.upcoming] == [
        date(2026, 3, 16),
        date(2026, 3, 30),
        date(2026, 4, 13),
        date(2026, 4, 27),
    ]
    assert [d.date for d in overview.past] == [date(2026, 3, 2)]
    assert days.next_review(cast.org, today=date(2026, 2, 27)).date == date(2026, 3, 16)
    with clock_at(friday):
        body = page(client_for(cast.member), "reviews")
    upcoming, past = body.split('id="past-heading"', 1)
    assert "Monday 2 March 2026" not in upcoming and "Monday 16 March 2026" in upcoming
    assert reverse("okr:review", args=["acme", early.uuid]) in past


def test_an_open_review_before_its_day_is_still_upcoming(cast):
    build(cast)
    started = Review.objects.create(organisation=cast.org, date=date(2026, 3, 2))
    overview = days.reviews_overview(cast.org, today=date(2026, 2, 27))
    assert overview.upcoming[0].review == started and overview.past == []
