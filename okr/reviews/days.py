"""Reads for the review days: the schedule, the next review, the list, and the period a review covers.

Every function takes the organisation (or its ``Schedule``) and runs a fixed
number of queries. Reading never writes: a scheduled review without a row is
shown from the schedule. ``okr.reviews.selectors`` re-exports these names.

A review is *held* once it is closed. A closed review is behind us whatever
its date: one closed early, before its day, is listed with the past reviews,
and the next review is the first scheduled day after it that is not closed.

"The last review" of a review on day D is the latest review held (closed)
before D; the period reviewed begins (``since``) when it was closed, and the
baseline ("at the last review") is its frozen snapshot. When no review was
held before D, the period begins at the start of the previous scheduled day P
in the organisation's time zone, the baseline is each key result as it stood
then (its latest check-in before), and the pages say that no review was held
on P rather than "the last review".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import translation

from okr.lib import calendar, schedule
from okr.models import Review

UPCOMING_COUNT = 4


@dataclass
class Schedule:
    """An organisation's cadence with its review rows (one query)."""

    organisation: object
    cadence: schedule.Cadence
    rows: dict[date, Review]

    def row_for(self, day: date) -> Review | None:
        return self.rows.get(day)

    def is_held(self, day: date) -> bool:
        row = self.rows.get(day)
        return row is not None and row.is_closed

    def next_open(self, today: date) -> date:
        """The first review day on or after ``today`` not held yet (closed ones are behind us)."""
        day = self.cadence.next_on_or_after(today)
        while self.is_held(day):  # finite: only so many rows are closed
            day = self.cadence.next_on_or_after(day + timedelta(days=1))
        return day

    def last_held_before(self, day: date) -> Review | None:
        """The latest review held (closed) on a day before ``day``."""
        held = [d for d, row in self.rows.items() if d < day and row.is_closed]
        return self.rows[max(held)] if held else None


def schedule_of(organisation) -> Schedule:
    rows = {
        r.date: r
        for r in Review.objects.filter(organisation=organisation).only(
            "id", "uuid", "organisation_id", "date", "moved_from", "state", "closed_at"
        )
    }
    cadence = schedule.Cadence.of(
        organisation.review_weekday,
        organisation.review_every_weeks,
        [schedule.Override(d, r.moved_from) for d, r in rows.items()],
    )
    return Schedule(organisation, cadence, rows)


@dataclass
class ReviewDay:
    """A review date as the pages show it."""

    date: date
    week: int
    holiday: str | None
    moved_from: date | None
    review: Review | None
    scheduled: bool

    @property
    def is_closed(self) -> bool:
        return self.review is not None and self.review.is_closed


def review_day(sched: Schedule, day: date, language: str | None = None) -> ReviewDay:
    organisation = sched.organisation
    row = sched.row_for(day)
    return ReviewDay(
        date=day,
        week=calendar.iso_week(day),
        holiday=schedule.public_holiday(
            day, organisation.country, language or translation.get_language()
        ),
        moved_from=row.moved_from if row else None,
        review=row,
        scheduled=schedule.is_review_day(
            day, organisation.review_weekday, organisation.review_every_weeks
        ),
    )


def next_review(
    organisation, today: date | None = None, sched: Schedule | None = None
) -> ReviewDay:
    """The next review on or after today (in the organisation's time zone) not held yet."""
    sched = sched or schedule_of(organisation)
    today = today or calendar.today(organisation)
    return review_day(sched, sched.next_open(today))


@dataclass
class Overview:
    upcoming: list[ReviewDay]
    past: list[ReviewDay]


def reviews_overview(organisation, today: date | None = None) -> Overview:
    """The next review days not held yet, and every review held or started, newest first."""
    sched = schedule_of(organisation)
    today = today or calendar.today(organisation)
    upcoming: list[ReviewDay] = []
    day = today
    while len(upcoming) < UPCOMING_COUNT:
        found = sched.next_open(day)
        upcoming.append(review_day(sched, found))
        day = found + timedelta(days=1)
    shown = {d.date for d in upcoming}
    past = [
        review_day(sched, d)
        for d in sorted(sched.rows, reverse=True)
        if d not in shown and (d < today or sched.rows[d].is_closed)
    ]
    return Overview(upcoming=upcoming, past=past)


@dataclass
class Period:
    previous_date: date
    since: datetime
    previous_review: Review | None

    @property
    def baseline_is_snapshot(self) -> bool:
        return self.previous_review is not None and self.previous_review.is_closed

    @property
    def held(self) -> bool:
        """Whether a review was held on ``previous_date`` ("the last review"), or only scheduled."""
        return self.baseline_is_snapshot


def period_of(sched: Schedule, day: date) -> Period:
    """The period the review on ``day`` covers: since the last review held (module docstring)."""
    held = sched.last_held_before(day)
    if held is not None:
        return Period(previous_date=held.date, since=held.closed_at, previous_review=held)
    previous = sched.cadence.previous_before(day)
    return Period(
        previous_date=previous,
        since=schedule.start_of_day(previous, sched.organisation.tz),
        previous_review=sched.row_for(previous),
    )
