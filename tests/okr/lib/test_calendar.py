"""okr.lib.calendar: an organisation's today, fiscal years and quarters, adding months. Pure."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okr.lib import calendar
from okr.lib.calendar import FiscalQuarter

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
start_months = st.integers(min_value=1, max_value=12)
month_steps = st.integers(min_value=-600, max_value=600)
zones = st.sampled_from(
    ["Europe/Stockholm", "Pacific/Auckland", "America/Los_Angeles", "Pacific/Kiritimati", "UTC"]
)
moments = st.datetimes(
    min_value=datetime(1990, 1, 1), max_value=datetime(2090, 12, 31), timezones=st.just(UTC)
)


def org(tz="Europe/Stockholm", start_month=1):
    return SimpleNamespace(tz=ZoneInfo(tz), timezone=tz, fiscal_year_start_month=start_month)


# --- Today ------------------------------------------------------------------------------


def test_today_is_the_organisations_local_date_not_utcs():
    moment = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    assert calendar.today(org("Europe/Stockholm"), moment) == date(2026, 4, 1)  # 01:30 CEST
    assert calendar.today(org("Pacific/Auckland"), moment) == date(2026, 4, 1)  # 12:30 NZDT
    assert calendar.today(org("America/Los_Angeles"), moment) == date(2026, 3, 31)
    noon = datetime(2026, 6, 30, 12, 5, tzinfo=UTC)
    assert calendar.today(org("Europe/Stockholm"), noon) == date(2026, 6, 30)
    assert calendar.today(org("Pacific/Auckland"), noon) == date(2026, 7, 1)  # 00:05 NZST


def test_today_reads_the_clock_which_reads_django_timezone_now():
    frozen = datetime(2026, 12, 31, 11, 30, tzinfo=UTC)  # 00:30 on 1 Jan 2027 in Auckland
    with mock.patch("django.utils.timezone.now", return_value=frozen):
        assert calendar.clock() == frozen
        assert calendar.today(org("Pacific/Auckland")) == date(2027, 1, 1)
        assert calendar.today(org("Europe/Stockholm")) == date(2026, 12, 31)
        assert calendar.current_quarter(org("Pacific/Auckland")) == (2027, 1)
        assert calendar.current_fiscal_year(org("Pacific/Auckland", 7)) == 2026


def test_patching_the_calendar_clock_moves_every_helper():
    frozen = datetime(2026, 6, 30, 12, 5, tzinfo=UTC)
    with mock.patch.object(calendar, "clock", return_value=frozen):
        auckland = org("Pacific/Auckland", 7)
        assert calendar.today(auckland) == date(2026, 7, 1)
        assert calendar.local_now(auckland).hour == 0
        assert calendar.current_quarter(auckland) == FiscalQuarter(2026, 1)
        assert calendar.current_quarter(org("Europe/Stockholm", 7)) == FiscalQuarter(2025, 4)


def test_without_an_organisation_today_is_utcs():
    moment = datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    assert calendar.today(None, moment) == date(2026, 3, 31)


def test_zone_falls_back_to_the_timezone_name():
    bare = SimpleNamespace(timezone="Pacific/Auckland")
    assert calendar.zone_of(bare) == ZoneInfo("Pacific/Auckland")


@given(moments, zones)
def test_today_is_the_wall_clock_date_in_the_zone(moment, zone):
    tz = ZoneInfo(zone)
    day = calendar.today(org(zone), moment)
    assert day == moment.astimezone(tz).date()
    # East of Greenwich the local date is never behind UTC's, west never ahead; at most a day off.
    offset = moment.astimezone(tz).utcoffset()
    shift = (day - moment.date()).days
    assert shift in (
        (0, 1) if offset > timedelta(0) else (-1, 0) if offset < timedelta(0) else (0,)
    )


# --- Adding months ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 5, 31), 1, date(2026, 6, 30)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),
        (date(2026, 2, 15), -3, date(2025, 11, 15)),
        (date(2026, 12, 1), 1, date(2027, 1, 1)),
        (date(2026, 1, 1), -1, date(2025, 12, 1)),
        (date(2026, 7, 1), 12, date(2027, 7, 1)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2026, 4, 30), 0, date(2026, 4, 30)),
    ],
)
def test_add_months_clamps_to_the_end_of_a_shorter_month(day, months, expected):
    assert calendar.add_months(day, months) == expected


def test_add_months_is_not_invertible_from_the_31st():
    # Documented: clamping loses the day; from the 1st..28th it round-trips.
    assert calendar.add_months(calendar.add_months(date(2026, 1, 31), 1), -1) == date(2026, 1, 28)


@given(days, month_steps)
def test_add_months_moves_the_month_index_and_keeps_the_day_when_it_can(day, months):
    moved = calendar.add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day == day.day or (moved.day < day.day and (moved + timedelta(days=1)).day == 1)


@given(days, month_steps)
def test_add_months_round_trips_up_to_the_clamp(day, months):
    back = calendar.add_months(calendar.add_months(day, months), -months)
    assert (back.year, back.month) == (day.year, day.month)
    assert back <= day
    if day.day <= 28:
        assert back == day


@given(days, days, month_steps)
def test_add_months_is_monotone_in_the_date(a, b, months):
    a, b = min(a, b), max(a, b)
    assert calendar.add_months(a, months) <= calendar.add_months(b, months)


@given(days, month_steps, month_steps)
def test_add_months_is_monotone_in_the_months(day, m, n):
    m, n = min(m, n), max(m, n)
    assert calendar.add_months(day, m) <= calendar.add_months(day, n)
    if m < n:
        assert calendar.add_months(day, m) < calendar.add_months(day, n)


@given(days, month_steps, month_steps)
def test_month_starts_compose_exactly(day, m, n):
    first = calendar.first_of_month(day)
    assert calendar.add_months(calendar.add_months(first, m), n) == calendar.add_months(
        first, m + n
    )


# --- Fiscal years and quarters ----------------------------------------------------------


def test_calendar_year_quarters():
    assert calendar.quarter_of(date(2026, 3, 31), 1) == (2026, 1)
    assert calendar.quarter_of(date(2026, 4, 1), 1) == (2026, 2)
    assert calendar.quarter_bounds(2026, 4, 1) == (date(2026, 10, 1), date(2026, 12, 31))
    assert calendar.fiscal_year_bounds(2026, 1) == (date(2026, 1, 1), date(2026, 12, 31))
    assert calendar.fiscal_year_label(2026, 1) == "2026"


def test_a_fiscal_year_from_july_is_named_after_the_year_it_starts():
    assert calendar.fiscal_year_of(date(2027, 6, 30), 7) == 2026
    assert calendar.fiscal_year_of(date(2026, 7, 1), 7) == 2026
    assert calendar.fiscal_year_of(date(2026, 6, 30), 7) == 2025
    assert calendar.fiscal_year_bounds(2026, 7) == (date(2026, 7, 1), date(2027, 6, 30))
    assert calendar.fiscal_year_label(2026, 7) == "2026/27"
    assert calendar.fiscal_year_label(2099, 9) == "2099/00"
    assert calendar.quarter_of(date(2027, 1, 15), 7) == (2026, 3)
    assert calendar.quarter_bounds(2026, 3, 7) == (date(2027, 1, 1), date(2027, 3, 31))
    assert calendar.quarter_bounds(2026, 4, 7) == (date(2027, 4, 1), date(2027, 6, 30))


def test_a_fiscal_year_from_february_ends_on_the_last_day_of_january_and_leap_days_fit():
    assert calendar.fiscal_year_end(2027, 2) == date(2028, 1, 31)
    assert calendar.quarter_bounds(2027, 1, 12) == (date(2027, 12, 1), date(2028, 2, 29))
    assert calendar.quarter_of(date(2028, 2, 29), 12) == (2027, 1)


def test_next_and_previous_quarter_cross_the_year():
    assert calendar.next_quarter(2026, 4) == FiscalQuarter(2027, 1)
    assert calendar.next_quarter(2026, 2) == (2026, 3)
    assert calendar.previous_quarter(2027, 1) == (2026, 4)
    assert calendar.previous_quarter(2026, 3) == (2026, 2)


@pytest.mark.parametrize("bad", [0, 13, -1])
def test_a_start_month_outside_1_12_is_refused(bad):
    with pytest.raises(ValueError):
        calendar.fiscal_year_of(date(2026, 1, 1), bad)
    with pytest.raises(ValueError):
        calendar.fiscal_year_start(2026, bad)


@pytest.mark.parametrize("bad", [0, 5])
def test_a_quarter_outside_1_4_is_refused(bad):
    with pytest.raises(ValueError):
        calendar.quarter_bounds(2026, bad, 1)
    with pytest.raises(ValueError):
        calendar.next_quarter(2026, bad)


@given(days, start_months)
def test_every_date_is_in_exactly_one_quarter_of_one_fiscal_year(day, start_month):
    year, quarter = calendar.quarter_of(day, start_month)
    assert year == calendar.fiscal_year_of(day, start_month)
    assert year in (day.year, day.year - 1)
    first, last = calendar.fiscal_year_bounds(year, start_month)
    assert first <= day <= last
    containing = [
        (y, q)
        for y in (year - 1, year, year + 1)
        for q in range(1, 5)
        if calendar.quarter_start(y, q, start_month)
        <= day
        <= calendar.quarter_end(y, q, start_month)
    ]
    assert containing == [(year, quarter)]


@given(st.integers(min_value=1900, max_value=2200), start_months)
def test_quarters_tile_the_fiscal_year(year, start_month):
    quarters = calendar.quarters_of_year(year, start_month)
    first, last = calendar.fiscal_year_bounds(year, start_month)
    assert [q for q, _s, _e in quarters] == [(year, 1), (year, 2), (year, 3), (year, 4)]
    assert quarters[0][1] == first == date(year, start_month, 1)
    assert quarters[-1][2] == last
    for (_q, _s, end), (_n, start, _e) in zip(quarters, quarters[1:], strict=False):
        assert end + timedelta(days=1) == start
    for q, start, end in quarters:
        assert start.day == 1
        assert calendar.add_months(start, 3) == end + timedelta(days=1)  # three whole months
        assert calendar.quarter_of(start, start_month) == q
        assert calendar.quarter_of(end, start_month) == q
    # Fiscal years tile time, too.
    assert last + timedelta(days=1) == calendar.fiscal_year_start(year + 1, start_month)
    assert sum((e - s).days + 1 for _q, s, e in quarters) == (last - first).days + 1


@given(days, start_months)
def test_next_quarter_starts_the_day_after_this_one_ends(day, start_month):
    this = calendar.quarter_of(day, start_month)
    following = calendar.next_quarter(*this)
    assert calendar.quarter_end(*this, start_month) + timedelta(days=1) == calendar.quarter_start(
        *following, start_month
    )
    assert calendar.previous_quarter(*following) == this


# --- Weeks ------------------------------------------------------------------------------


def test_iso_weeks_as_nordic_calendars_print_them():
    assert calendar.iso_week(date(2026, 2, 16)) == 8
    assert calendar.iso_week(date(2027, 1, 1)) == 53  # a Friday still in 2026's last week
    assert calendar.iso_week(date(2024, 12, 30)) == 1  # a Monday already in 2025's first week
