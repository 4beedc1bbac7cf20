"""Review dates from an organisation's cadence: every N weeks on a weekday. Pure.

Weeks are counted from a fixed Monday (1970-01-05) so that "every second
week" keeps its rhythm across year ends (ISO week parity does not: some
years have 53 weeks).

On top of the cadence, leadership may move a scheduled review or add one
(a Review row with a date, and the scheduled date it was moved from): the
*effective* review dates are the scheduled ones, minus those moved away,
plus the dates of the rows. Those are plain ``Override(day, moved_from)``
values here; the database is read by the selectors.

Times: a review is a calendar day in the organisation's time zone. The
moments derived from it (the start of a day, "two days before at 08:00")
are computed in that zone and returned as aware datetimes, so they keep
their wall-clock time across daylight-saving changes. Which day is today, and
a day's ISO week, come from ``okr.lib.calendar``.

Public holidays come from the ``holidays`` library (plain Python, no Django).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

EPOCH_MONDAY = date(1970, 1, 5)


def is_review_day(day: date, weekday: int, every_weeks: int) -> bool:
    if every_weeks < 1 or not 0 <= weekday <= 6:
        raise ValueError("every_weeks must be >= 1 and weekday 0..6")
    weeks = (day - EPOCH_MONDAY).days // 7
    return day.weekday() == weekday and weeks % every_weeks == 0


def next_review(after: date, weekday: int, every_weeks: int) -> date:
    """The first review day on or after ``after``."""
    day = after + timedelta(days=(weekday - after.weekday()) % 7)
    while not is_review_day(day, weekday, every_weeks):
        day += timedelta(days=7)
    return day


def previous_review(before: date, weekday: int, every_weeks: int) -> date:
    """The last scheduled review day strictly before ``before``."""
    day = before - timedelta(days=(before.weekday() - weekday - 1) % 7 + 1)
    while not is_review_day(day, weekday, every_weeks):
        day -= timedelta(days=7)
    return day


def scheduled_between(start: date, end: date, weekday: int, every_weeks: int) -> list[date]:
    """Every scheduled review day from ``start`` to ``end`` (both included)."""
    days = []
    if end < start:
        return days
    day = next_review(start, weekday, every_weeks)
    step = timedelta(weeks=every_weeks)
    while day <= end:
        days.append(day)
        day += step
    return days


# --- Moved and added reviews ----------------------------------------------------------


@dataclass(frozen=True)
class Override:
    """A review row: held on ``day``; ``moved_from`` is the scheduled day it replaces (if moved)."""

    day: date
    moved_from: date | None = None


@dataclass(frozen=True)
class Cadence:
    """An organisation's review schedule with its moved and added reviews."""

    weekday: int
    every_weeks: int
    overrides: tuple[Override, ...] = ()

    @classmethod
    def of(cls, weekday: int, every_weeks: int, overrides: Iterable = ()) -> Cadence:
        items = tuple(o if isinstance(o, Override) else Override(*o) for o in overrides)
        return cls(weekday, every_weeks, items)

    @functools.cached_property
    def _moved_away(self) -> frozenset[date]:
        # A scheduled day stays a review day when a row is held on it, even if another row was moved away from it.
        held = {o.day for o in self.overrides}
        return frozenset(
            o.moved_from
            for o in self.overrides
            if o.moved_from is not None and o.moved_from not in held
        )

    @functools.cached_property
    def _extra(self) -> tuple[date, ...]:
        return tuple(sorted({o.day for o in self.overrides}))

    def is_review(self, day: date) -> bool:
        if day in self._extra:
            return True
        return day not in self._moved_away and is_review_day(day, self.weekday, self.every_weeks)

    def between(self, start: date, end: date) -> list[date]:
        """The effective review days from ``start`` to ``end`` (both included), in order."""
        days = {
            d
            for d in scheduled_between(start, end, self.weekday, self.every_weeks)
            if d not in self._moved_away
        }
        days.update(d for d in self._extra if start <= d <= end)
        return sorted(days)

    def next_on_or_after(self, after: date) -> date:
        """The first effective review day on or after ``after``."""
        scheduled = next_review(after, self.weekday, self.every_weeks)
        step = timedelta(weeks=self.every_weeks)
        while scheduled in self._moved_away:  # finite: only so many rows were moved
            scheduled += step
        extra = next((d for d in self._extra if d >= after), None)
        return min(scheduled, extra) if extra is not None else scheduled

    def previous_before(self, before: date) -> date:
        """The last effective review day strictly before ``before``."""
        scheduled = previous_review(before, self.weekday, self.every_weeks)
        step = timedelta(weeks=self.every_weeks)
        while scheduled in self._moved_away:
            scheduled -= step
        extra = next((d for d in reversed(self._extra) if d < before), None)
        return max(scheduled, extra) if extra is not None else scheduled

    def upcoming(self, after: date, count: int) -> list[date]:
        days: list[date] = []
        day = after
        while len(days) < count:
            found = self.next_on_or_after(day)
            days.append(found)
            day = found + timedelta(days=1)
        return days


# --- Time zones -------------------------------------------------------------------------


def at_local(day: date, hour: int, tz: tzinfo, minute: int = 0) -> datetime:
    """``day`` at ``hour:minute`` wall-clock time in ``tz``, as an aware UTC datetime.

    A wall-clock time that does not exist (skipped by a daylight-saving change)
    is taken with the offset from before the change, as zoneinfo does (fold=0).
    """
    return datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(UTC)


def start_of_day(day: date, tz: tzinfo) -> datetime:
    """The first moment of ``day`` in ``tz`` (as UTC)."""
    return at_local(day, 0, tz)


def reminder_due_at(review_day: date, days_before: int, hour: int, tz: tzinfo) -> datetime:
    """When reminders for a review may go out: ``days_before`` the review at ``hour`` local time."""
    return at_local(review_day - timedelta(days=max(0, days_before)), hour, tz)


# --- Public holidays ------------------------------------------------------------------------

# The holidays library names its languages after locales; our languages are sv, nb and en.
_HOLIDAY_LANGUAGES = {"sv": ("sv",), "nb": ("no", "nb"), "en": ("en_GB", "en_US")}


@functools.lru_cache(maxsize=256)
def _holidays(country: str, year: int, language: str | None):
    import holidays

    try:
        cls = holidays.country_holidays(country, years=[]).__class__
    # The holidays library answers an unknown country code with NotImplementedError:
    # such an organisation simply gets no holiday flags.
    except (NotImplementedError, KeyError, AttributeError):
        return {}
    supported = getattr(cls, "supported_languages", ()) or ()
    chosen = next(
        (c for c in _HOLIDAY_LANGUAGES.get(language or "", (language,)) if c in supported), None
    )
    return dict(holidays.country_holidays(country, years=year, language=chosen))


def public_holiday(day: date, country: str, language: str | None = None) -> str | None:
    """The name of the public holiday on ``day`` in ``country`` (two letters), or None.

    An unknown country has no holidays. The name is in ``language`` when the
    library has it, else in the country's own language.
    """
    if not country or len(country) != 2:
        return None
    return _holidays(country.upper(), day.year, language).get(day)
