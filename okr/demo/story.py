"""Where DPAB's story stands on a given day: which years and quarters the demo lays out, and how.

The demo is told relative to today, so that on any date it shows an
organisation in the middle of its year (``load_demo``; ``--today`` fixes the
date):

* the strategic OKRs of the current fiscal year, checked in every second week;
* every quarter of the year already over, closed with scores and retrospectives;
* the current quarter's team OKRs, approved after a workshop with one round of
  "changes requested", checked in every second week up to today;
* the next quarter's workshop under way: drafts, and one proposal waiting for
  leadership (in the fourth quarter that is next year's first quarter, so next
  year's strategic OKRs are set already: leadership keeps the same three);
* leadership's biweekly reviews up to today with notes and decisions, the next
  one within two weeks.

In the first quarter no quarter of the year is over yet. Then the story starts
one quarter earlier: the previous fiscal year is there too, with its strategic
OKRs, its fourth quarter (closed with scores and retrospectives, its earlier
quarters closed empty), the year closed with leadership's look back, and the
reviews since that fourth quarter began. So a newcomer on 2 January still sees
past reviews, scores and recent check-ins.

Everything happens on the meeting days: the review cadence (every second
Monday), moved to the next working day when it falls on a public holiday.
Teams check in at 09:30 before the meeting; the review is closed at 11:00.

Idempotent: the loaders find every row by its natural key and only add what
is missing, so a second run changes nothing. The layout belongs to a quarter:
when today lies in another quarter than the one the demo was laid out for (or
the demo holds rows from after today, as after ``--today`` in the past), its
OKRs, reviews and scores are removed and laid out anew (``reset``); people and
teams stay.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum

from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation
from okr.demo import specs
from okr.lib import calendar, schedule
from okr.models import (
    CheckIn,
    Cycle,
    Initiative,
    KeyResult,
    Objective,
    ObjectiveEvent,
    ParkingLotItem,
    Review,
)

CHECK_IN_TIME = time(9, 30)  # before the meeting
REVIEW_CLOSED_TIME = time(11, 0)  # when the meeting ends
DAY_TIME = time(12, 0)  # ``--today``: the clock stops at noon

#: Who sends an objective back and approves: the demo's VD.
LEADER = "vilma@dpab.example"


class Role(StrEnum):
    PAST = "past"  # over: approved, checked in to the end, closed
    CURRENT = "current"  # approved, checked in up to today
    NEXT = "next"  # the workshop: drafts and one proposal


@contextmanager
def frozen(day: date | None, tz: tzinfo) -> Iterator[datetime]:
    """Django's clock (and with it ``okr.lib.calendar.clock``) stopped at noon of ``day`` in ``tz``.

    ``None`` leaves the clock running. Every row the demo writes "now" (and every
    page rendered inside) then agrees on the day.
    """
    if day is None:
        yield timezone.now()
        return
    instant = datetime.combine(day, DAY_TIME, tzinfo=tz)
    running = timezone.now
    timezone.now = lambda: instant
    try:
        yield instant
    finally:
        timezone.now = running


def at(day: date, moment: time, tz: tzinfo) -> datetime:
    return schedule.at_local(day, moment.hour, tz, moment.minute)


@dataclass(frozen=True)
class Plan:
    """The story for one instant: the years and quarters laid out and the meeting days."""

    now: datetime
    today: date
    tz: tzinfo
    start_month: int
    weekday: int
    every_weeks: int
    country: str

    @property
    def current(self) -> calendar.FiscalQuarter:
        return calendar.quarter_of(self.today, self.start_month)

    @property
    def next(self) -> calendar.FiscalQuarter:
        return calendar.next_quarter(*self.current)

    @property
    def years(self) -> list[int]:
        """The fiscal years with strategic OKRs, oldest first."""
        year, quarter = self.current
        return [
            *([year - 1] if quarter == 1 else []),
            year,
            *([year + 1] if quarter == 4 else []),
        ]

    @property
    def quarters(self) -> list[tuple[calendar.FiscalQuarter, Role]]:
        """The quarters with team OKRs, in order, with the part each plays."""
        year, quarter = self.current
        past = [calendar.FiscalQuarter(year, q) for q in range(1, quarter)]
        if quarter == 1:
            past = [calendar.FiscalQuarter(year - 1, 4)]
        return [
            *((q, Role.PAST) for q in past),
            (self.current, Role.CURRENT),
            (self.next, Role.NEXT),
        ]

    def bounds(self, quarter: calendar.FiscalQuarter) -> tuple[date, date]:
        return calendar.quarter_bounds(*quarter, self.start_month)

    @property
    def history_start(self) -> date:
        """The first day of the first quarter laid out: reviews are held from then on."""
        return self.bounds(self.quarters[0][0])[0]

    def meeting_day(self, scheduled: date) -> date:
        """The day a scheduled review is held: the next working day after a public holiday."""
        day = scheduled
        while schedule.public_holiday(day, self.country) or day.weekday() >= 5:
            day += timedelta(days=1)
        return day

    def meeting_days(self, start: date, end: date) -> list[tuple[date, date]]:
        """(scheduled day, day held) of every review scheduled from ``start`` to ``end``."""
        return [
            (d, self.meeting_day(d))
            for d in schedule.scheduled_between(start, end, self.weekday, self.every_weeks)
        ]

    def check_in_days(self, start: date, end: date) -> list[datetime]:
        """The moments teams checked in from ``start`` to ``end`` (both included), up to now."""
        moments = [at(held, CHECK_IN_TIME, self.tz) for _s, held in self.meeting_days(start, end)]
        return [
            m for m in moments if m <= self.now and start <= m.astimezone(self.tz).date() <= end
        ]


def plan_for(organisation: Organisation, now: datetime | None = None) -> Plan:
    now = now or calendar.clock()
    return Plan(
        now=now,
        today=calendar.today(organisation, now),
        tz=calendar.zone_of(organisation),
        start_month=organisation.fiscal_year_start_month,
        weekday=organisation.review_weekday,
        every_weeks=organisation.review_every_weeks,
        country=organisation.country,
    )


def laid_out_for(organisation: Organisation, plan: Plan) -> bool:
    """Whether the demo's rows tell the story of ``plan``'s quarter, and nothing after now.

    The mark of a layout is leadership's "changes requested" on one of the
    current quarter's objectives, with the comment the demo writes.
    """
    year, quarter = plan.current
    marked = ObjectiveEvent.objects.filter(
        organisation=organisation,
        to_status=Objective.Status.CHANGES_REQUESTED,
        comment=specs.sent_back(quarter)[1],
        author__email=LEADER,
        objective__cycle__kind=Cycle.Kind.QUARTER,
        objective__cycle__year=year,
        objective__cycle__quarter=quarter,
    ).exists()
    if not marked:
        return False
    later = Q(created_at__gt=plan.now)
    return not (
        CheckIn.objects.filter(later, organisation=organisation).exists()
        or ObjectiveEvent.objects.filter(later, organisation=organisation).exists()
        or Review.objects.filter(organisation=organisation, closed_at__gt=plan.now).exists()
        or Cycle.objects.filter(organisation=organisation, closed_at__gt=plan.now).exists()
    )


def reset(organisation: Organisation) -> bool:
    """Remove the organisation's OKRs, reviews, scores and their history; False if it had none."""
    if not Cycle.objects.filter(organisation=organisation).exists():
        return False
    Review.objects.filter(organisation=organisation).delete()
    ParkingLotItem.objects.filter(organisation=organisation).delete()
    # Objectives first: their cycle is protected. Their dependencies, key results, check-ins,
    # steps, events and scores go with them; retrospectives go with the cycles.
    Objective.objects.filter(organisation=organisation).delete()
    Cycle.objects.filter(organisation=organisation, kind=Cycle.Kind.QUARTER).delete()
    Cycle.objects.filter(organisation=organisation).delete()
    for model in (Objective, KeyResult, Initiative):
        model.history.filter(organisation_id=organisation.pk).delete()
    return True
