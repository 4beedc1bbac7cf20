"""The calendar: an organisation's today, its fiscal years and quarters, adding months. Pure.

Every page, selector, API view, job and template tag asks this module what day
it is and which quarter a date falls in, so that they all agree. Nothing here
reads the database; the only Django import is the clock.

Conventions
-----------
* **Today** is the calendar day in the organisation's own time zone
  (``organisation.tz``), never the server's: just after midnight UTC it is
  already tomorrow in Auckland and still today in Stockholm. The instant comes
  from :func:`clock`, which reads ``django.utils.timezone.now`` when called, so a
  test freezes time by patching either of them once.
* A **fiscal year** starts on the 1st of ``start_month`` (1..12, the
  organisation's ``fiscal_year_start_month``) and is labelled by the calendar
  year in which it starts, as ``Cycle.year`` is: with July as the first month,
  fiscal year 2026 runs 1 Jul 2026 - 30 Jun 2027 and reads "2026/27"; with
  January it reads "2026".
* A fiscal year has four **quarters** of three whole months each, Q1 starting
  on the fiscal year's first day. Every date lies in exactly one quarter of
  exactly one fiscal year. Quarters are ``FiscalQuarter(year, quarter)``
  tuples, so they compare and sort like ``(year, quarter)``.
* :func:`add_months` keeps the day of the month and **clamps** it to the end
  of a shorter month: 31 Jan + 1 month = 28 Feb (29 Feb in a leap year). That
  is what a person means by "a month later", and it never skips a month. The
  price: it is not always invertible (31 Jan + 1 - 1 = 28 Jan); from the 1st
  to the 28th of a month it is.
* Weeks are ISO weeks (Monday first, week 1 holds the first Thursday), as
  Nordic calendars print them.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import NamedTuple
from zoneinfo import ZoneInfo

from django.utils import timezone

__all__ = [
    "FiscalQuarter",
    "add_months",
    "clock",
    "current_fiscal_year",
    "current_quarter",
    "fiscal_year_bounds",
    "fiscal_year_end",
    "fiscal_year_label",
    "fiscal_year_of",
    "fiscal_year_start",
    "first_of_month",
    "iso_week",
    "MAX_YEAR",
    "MIN_YEAR",
    "local_date",
    "local_now",
    "next_quarter",
    "parse_int",
    "parse_year",
    "previous_quarter",
    "quarter_bounds",
    "quarter_end",
    "quarter_of",
    "quarter_start",
    "quarters_of_year",
    "today",
    "zone_of",
]


class FiscalQuarter(NamedTuple):
    """Quarter ``quarter`` (1..4) of the fiscal year labelled ``year``."""

    year: int
    quarter: int


# --- The clock and today ----------------------------------------------------------------


def clock() -> datetime:
    """The current instant (aware). The one place the calendar reads the time."""
    # Looked up on the module at call time, so patching django.utils.timezone.now works too.
    return timezone.now()


def zone_of(organisation) -> tzinfo:
    """The organisation's time zone; UTC when there is no organisation (a page outside one)."""
    if organisation is None:
        return UTC
    tz = getattr(organisation, "tz", None)
    return tz if tz is not None else ZoneInfo(organisation.timezone)


def local_date(moment: datetime, tz: tzinfo) -> date:
    """The calendar day of an aware ``moment`` in ``tz``."""
    return moment.astimezone(tz).date()


def local_now(organisation, now: datetime | None = None) -> datetime:
    """``now`` (default: the clock) as wall-clock time in the organisation's zone."""
    return (now or clock()).astimezone(zone_of(organisation))


def today(organisation, now: datetime | None = None) -> date:
    """The organisation's local date at ``now`` (default: the clock)."""
    return local_date(now or clock(), zone_of(organisation))


def current_fiscal_year(organisation, now: datetime | None = None) -> int:
    """The label year of the organisation's fiscal year that contains its today."""
    return fiscal_year_of(today(organisation, now), organisation.fiscal_year_start_month)


def current_quarter(organisation, now: datetime | None = None) -> FiscalQuarter:
    """The organisation's fiscal quarter that contains its today."""
    return quarter_of(today(organisation, now), organisation.fiscal_year_start_month)


# --- Months -----------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` (may be negative), the day clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, _stdlib_calendar.monthrange(year, month)[1]))


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def _check_month(start_month: int) -> None:
    if not 1 <= start_month <= 12:
        raise ValueError(f"a fiscal year starts in month 1..12, not {start_month!r}")


# --- Fiscal years -----------------------------------------------------------------------


def fiscal_year_of(day: date, start_month: int) -> int:
    """The label year (the calendar year it starts in) of the fiscal year containing ``day``."""
    _check_month(start_month)
    return day.year if day.month >= start_month else day.year - 1


def fiscal_year_start(year: int, start_month: int) -> date:
    _check_month(start_month)
    return date(year, start_month, 1)


def fiscal_year_end(year: int, start_month: int) -> date:
    """The last day of fiscal year ``year``: the day before the next one starts."""
    return add_months(fiscal_year_start(year, start_month), 12) - timedelta(days=1)


def fiscal_year_bounds(year: int, start_month: int) -> tuple[date, date]:
    """First and last day (both included) of fiscal year ``year``."""
    return fiscal_year_start(year, start_month), fiscal_year_end(year, start_month)


def fiscal_year_label(year: int, start_month: int) -> str:
    """ "2026" for a calendar fiscal year, "2026/27" for one that starts later in 2026."""
    _check_month(start_month)
    return str(year) if start_month == 1 else f"{year}/{(year + 1) % 100:02d}"


# --- Quarters ---------------------------------------------------------------------------


def _check_quarter(quarter: int) -> None:
    if not 1 <= quarter <= 4:
        raise ValueError(f"a quarter is 1..4, not {quarter!r}")


def quarter_of(day: date, start_month: int) -> FiscalQuarter:
    """The fiscal quarter that contains ``day``."""
    year = fiscal_year_of(day, start_month)
    months_in = (day.year - year) * 12 + day.month - start_month
    return FiscalQuarter(year, months_in // 3 + 1)


def quarter_start(year: int, quarter: int, start_month: int) -> date:
    _check_quarter(quarter)
    return add_months(fiscal_year_start(year, start_month), 3 * (quarter - 1))


def quarter_end(year: int, quarter: int, start_month: int) -> date:
    _check_quarter(quarter)
    return add_months(fiscal_year_start(year, start_month), 3 * quarter) - timedelta(days=1)


def quarter_bounds(year: int, quarter: int, start_month: int) -> tuple[date, date]:
    """First and last day (both included) of quarter ``quarter`` of fiscal year ``year``."""
    return quarter_start(year, quarter, start_month), quarter_end(year, quarter, start_month)


def quarters_of_year(year: int, start_month: int) -> list[tuple[FiscalQuarter, date, date]]:
    """The four quarters of fiscal year ``year`` with their first and last days, in order."""
    return [(FiscalQuarter(year, q), *quarter_bounds(year, q, start_month)) for q in range(1, 5)]


def next_quarter(year: int, quarter: int) -> FiscalQuarter:
    _check_quarter(quarter)
    return FiscalQuarter(year, quarter + 1) if quarter < 4 else FiscalQuarter(year + 1, 1)


def previous_quarter(year: int, quarter: int) -> FiscalQuarter:
    _check_quarter(quarter)
    return FiscalQuarter(year, quarter - 1) if quarter > 1 else FiscalQuarter(year - 1, 4)


# --- Weeks ------------------------------------------------------------------------------


def iso_week(day: date) -> int:
    """The ISO week number ("vecka 8"); 1 Jan 2027, a Friday, is still week 53 of 2026."""
    return day.isocalendar().week


# --- A year asked for in a URL --------------------------------------------------------------

#: The years the app plans in (forms and the API take no other).
MIN_YEAR, MAX_YEAR = 2000, 2100


def parse_int(raw, default: int, low: int, high: int) -> int:
    """``raw`` (a query parameter) as a whole number in ``low..high``, else ``default``.

    Missing, not a number or out of range all give ``default``: a hand-edited URL shows
    a page, never an error. The kick-off presentation reads its slide number with it.
    """
    try:
        value = int(str(raw).strip())
    except (TypeError, ValueError):
        return default
    return value if low <= value <= high else default


def parse_year(raw, default: int) -> int:
    """A year asked for in a URL (``?year=2027``), within MIN_YEAR..MAX_YEAR; else ``default``."""
    return parse_int(raw, default, MIN_YEAR, MAX_YEAR)
