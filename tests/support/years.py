"""A fiscal year with its strategic OKRs, team quarters (one closed), notes and a carry-over.

``year_world(org, year, teams=2)`` builds, for the year's fiscal calendar (whatever
month it starts in): a strategic objective with a metric and a milestone key
result; per team an approved objective in Q1 and in Q2 with one metric key result
and a check-in; Q1 closed with its scores frozen; a retrospective note of Q1 for the
first team; and the first team's Q1 objective carried into Q2. Call it with the
calendar's clock in Q2 or later of ``year`` (``at_day``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from unittest import mock

from okr.closing import services as closing
from okr.lib import calendar
from okr.models import RetrospectiveNote
from okr.objectives import services
from tests.support.factories import (
    CheckInFactory,
    KeyResultFactory,
    ObjectiveFactory,
    TeamFactory,
)

STRATEGIC_TITLE = "Kommande år vårt starkaste tillväxtår någonsin"


def at_day(day: date, hour: int = 10):
    """The calendar's clock stopped at ``hour`` UTC on ``day`` (a context manager)."""
    return mock.patch.object(
        calendar, "clock", return_value=datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
    )


@dataclass
class YearWorld:
    org: object
    year: object
    quarters: dict
    strategic: object
    teams: list
    team_objectives: dict = field(default_factory=dict)  # (team index, quarter) -> objective
    carried: object = None


def year_world(org, year: int, *, teams: int = 2, close_q1: bool = True) -> YearWorld:
    year_cycle = services.cycle_year_get_or_create(organisation=org, year=year)
    quarters = {q.quarter: q for q in year_cycle.quarters.all()}
    strategic = ObjectiveFactory(
        organisation=org, cycle=year_cycle, level="strategic", title=STRATEGIC_TITLE
    )
    growth = KeyResultFactory(
        objective=strategic,
        title="20MSEK försäljning till nya kunder",
        kind="metric",
        start_value=Decimal(0),
        target_value=Decimal(20),
        unit="MSEK",
        commitment="committed",
    )
    KeyResultFactory(objective=strategic, title="Lansera i Norge", kind="milestone")
    CheckInFactory(
        key_result=growth,
        value=Decimal(12),
        at=datetime.combine(quarters[1].end_date - timedelta(days=5), datetime.min.time(), UTC),
    )
    world = YearWorld(org, year_cycle, quarters, strategic, [])
    for index in range(teams):
        team = TeamFactory(organisation=org, name=f"Team {index + 1:03d}", order=index)
        world.teams.append(team)
        for number in (1, 2):
            quarter = quarters[number]
            objective = ObjectiveFactory(
                organisation=org,
                cycle=quarter,
                level="team",
                team=team,
                status="approved",
                title=f"Mål {number} för {team.name}",
            )
            kr = KeyResultFactory(
                objective=objective, title="10 nya kunder", target_value=Decimal(10)
            )
            CheckInFactory(
                key_result=kr,
                value=Decimal(5 + index % 5),
                at=datetime.combine(
                    quarter.start_date + timedelta(days=20), datetime.min.time(), UTC
                ),
            )
            world.team_objectives[index, number] = objective
    if close_q1:
        closing.cycle_close(cycle=quarters[1], today=quarters[1].end_date + timedelta(days=8))
        RetrospectiveNote.objects.create(
            organisation=org, cycle=quarters[1], team=world.teams[0], text="Vi lärde oss mycket."
        )
        # Into the current quarter (the first open one after Q1).
        world.carried = closing.objective_carry(objective=world.team_objectives[0, 1])
    return world
