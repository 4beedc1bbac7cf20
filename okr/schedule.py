"""Review dates from an organisation's cadence: every N weeks on a weekday. Pure.

Weeks are counted from a fixed Monday (1970-01-05) so that "every second
week" keeps its rhythm across year ends (ISO week parity does not: some
years have 53 weeks).
"""

from __future__ import annotations

from datetime import date, timedelta

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


def iso_week(day: date) -> int:
    return day.isocalendar().week
