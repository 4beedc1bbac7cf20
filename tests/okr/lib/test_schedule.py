"""okr.lib.schedule: review dates from the cadence, moved and added reviews, time zones, holidays. Pure."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from okr.lib import calendar, schedule
from okr.lib.schedule import Cadence, Override

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
weekdays = st.integers(min_value=0, max_value=6)
every = st.integers(min_value=1, max_value=8)
NORDIC = ["Europe/Stockholm", "Europe/Oslo", "Europe/Copenhagen", "Europe/Helsinki"]
zones = st.sampled_from([*NORDIC, "Europe/London", "America/New_York", "Australia/Sydney", "UTC"])


# --- The cadence ------------------------------------------------------------------------


def test_every_second_monday_keeps_its_rhythm_across_a_53_week_year():
    # 2026 has 53 ISO weeks: "even ISO weeks" would put two reviews in a row a week apart.
    days = schedule.scheduled_between(date(2026, 11, 1), date(2027, 2, 28), 0, 2)
    assert days[:4] == [
        date(2026, 11, 9),
        date(2026, 11, 23),
        date(2026, 12, 7),
        date(2026, 12, 21),
    ]
    assert date(2027, 1, 4) in days and date(2026, 12, 28) not in days
    assert {b - a for a, b in zip(days, days[1:], strict=False)} == {timedelta(weeks=2)}
    assert calendar.iso_week(date(2026, 12, 21)) == 52
    assert calendar.iso_week(date(2027, 1, 4)) == 1


@given(days, weekdays, every)
def test_next_review_is_the_first_review_day_on_or_after(after, weekday, every_weeks):
    found = schedule.next_review(after, weekday, every_weeks)
    assert found >= after
    assert found.weekday() == weekday
    assert schedule.is_review_day(found, weekday, every_weeks)
    assert (found - after).days < 7 * every_weeks
    day = after
    while day < found:
        assert not schedule.is_review_day(day, weekday, every_weeks)
        day += timedelta(days=1)


@given(days, weekdays, every)
def test_previous_review_is_the_last_review_day_before(before, weekday, every_weeks):
    found = schedule.previous_review(before, weekday, every_weeks)
    assert found < before
    assert schedule.is_review_day(found, weekday, every_weeks)
    assert schedule.next_review(found + timedelta(days=1), weekday, every_weeks) >= before


@given(days, st.integers(min_value=0, max_value=400), weekdays, every)
def test_scheduled_days_are_evenly_spaced(start, length, weekday, every_weeks):
    found = schedule.scheduled_between(start, start + timedelta(days=length), weekday, every_weeks)
    assert all(start <= d <= start + timedelta(days=length) for d in found)
    assert all(
        b - a == timedelta(weeks=every_weeks) for a, b in zip(found, found[1:], strict=False)
    )
    assert all(schedule.is_review_day(d, weekday, every_weeks) for d in found)


# --- Moved and added reviews ----------------------------------------------------------------


def test_moving_a_review_replaces_its_scheduled_day():
    # Reviews every second Monday: 30 March, 13 and 27 April 2026.
    cadence = Cadence.of(0, 2, [Override(date(2026, 4, 14), moved_from=date(2026, 4, 13))])
    days = cadence.between(date(2026, 3, 20), date(2026, 4, 30))
    assert days == [date(2026, 3, 30), date(2026, 4, 14), date(2026, 4, 27)]
    assert not cadence.is_review(date(2026, 4, 13))
    assert cadence.next_on_or_after(date(2026, 4, 1)) == date(2026, 4, 14)
    assert cadence.previous_before(date(2026, 4, 27)) == date(2026, 4, 14)


def test_an_added_review_sits_beside_the_schedule():
    cadence = Cadence.of(0, 2, [(date(2026, 4, 16), None)])
    assert cadence.between(date(2026, 4, 1), date(2026, 4, 28)) == [
        date(2026, 4, 13),
        date(2026, 4, 16),
        date(2026, 4, 27),
    ]
    assert cadence.upcoming(date(2026, 4, 14), 2) == [date(2026, 4, 16), date(2026, 4, 27)]


def test_a_review_moved_far_ahead_skips_its_slot():
    cadence = Cadence.of(0, 2, [Override(date(2026, 6, 1), moved_from=date(2026, 4, 13))])
    assert cadence.next_on_or_after(date(2026, 4, 1)) == date(2026, 4, 27)


overrides = st.lists(
    st.tuples(days, st.one_of(st.none(), days)), max_size=6, unique_by=lambda item: item[0]
)


@given(days, weekdays, every, overrides)
@settings(max_examples=200)
def test_next_and_previous_agree_with_the_effective_days(day, weekday, every_weeks, rows):
    cadence = Cadence.of(weekday, every_weeks, rows)
    upcoming = cadence.next_on_or_after(day)
    assert upcoming >= day and cadence.is_review(upcoming)
    previous = cadence.previous_before(day)
    assert previous < day and cadence.is_review(previous)
    window = cadence.between(previous, upcoming)
    assert window[0] == previous and window[-1] == upcoming
    # Nothing effective lies strictly between the previous review and the day, or the day and the next.
    assert [d for d in window if previous < d < day] == []
    assert [d for d in window if day <= d < upcoming] == []
    # Every row's day is a review day; a day moved away from is not (unless a row sits on it).
    held = {d for d, _ in rows}
    for held_day, moved_from in rows:
        assert cadence.is_review(held_day)
        if moved_from is not None and moved_from not in held:
            assert not cadence.is_review(moved_from)


# --- Time zones: wall-clock times survive daylight saving --------------------------------------


def test_reminders_two_days_before_at_eight_across_the_spring_change():
    stockholm = ZoneInfo("Europe/Stockholm")
    # Review on Monday 30 March 2026; clocks went forward on Sunday 29 March.
    due = schedule.reminder_due_at(date(2026, 3, 30), 2, 8, stockholm)
    assert due == datetime(2026, 3, 28, 7, tzinfo=UTC)  # Saturday 08:00 CET
    due = schedule.reminder_due_at(date(2026, 4, 13), 2, 8, stockholm)
    assert due == datetime(2026, 4, 11, 6, tzinfo=UTC)  # Saturday 08:00 CEST
    # The autumn change (25 October 2026).
    assert schedule.reminder_due_at(date(2026, 10, 26), 1, 8, stockholm) == datetime(
        2026, 10, 25, 7, tzinfo=UTC
    )


def test_start_of_day_and_local_date_near_midnight():
    oslo = ZoneInfo("Europe/Oslo")
    assert schedule.start_of_day(date(2026, 7, 1), oslo) == datetime(2026, 6, 30, 22, tzinfo=UTC)
    assert calendar.local_date(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), oslo) == date(2027, 1, 1)


@given(days, st.integers(min_value=0, max_value=7), st.integers(min_value=5, max_value=20), zones)
def test_reminder_time_is_the_local_hour_on_the_local_day(review, before, hour, zone):
    tz = ZoneInfo(zone)
    due = schedule.reminder_due_at(review, before, hour, tz)
    local = due.astimezone(tz)
    assert due.tzinfo is not None
    assert local.date() == review - timedelta(days=before)
    assert local.hour == hour and local.minute == 0


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)), zones)
def test_a_moment_lies_within_its_local_day(naive, zone):
    tz = ZoneInfo(zone)
    moment = naive.replace(tzinfo=UTC)
    day = calendar.local_date(moment, tz)
    start = schedule.start_of_day(day, tz)
    following = schedule.start_of_day(day + timedelta(days=1), tz)
    assume(start < following)
    assert start <= moment < following


# --- Public holidays --------------------------------------------------------------------------


def test_a_review_on_a_public_holiday_is_flagged_in_the_readers_language():
    assert schedule.public_holiday(date(2026, 4, 6), "SE", "sv") == "Annandag påsk"
    assert schedule.public_holiday(date(2026, 4, 6), "SE", "en") == "Easter Monday"
    assert schedule.public_holiday(date(2026, 4, 6), "NO", "nb") == "Andre påskedag"
    assert schedule.public_holiday(date(2026, 12, 28), "SE", "sv") is None  # a plain Monday
    assert schedule.public_holiday(date(2026, 4, 6), "se", "sv") == "Annandag påsk"


def test_an_unknown_country_has_no_holidays():
    assert schedule.public_holiday(date(2026, 12, 25), "XX", "en") is None
    assert schedule.public_holiday(date(2026, 12, 25), "", "en") is None
