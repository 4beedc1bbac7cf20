"""A small world for personal OKRs: the pilot on, Growth's objective and key result this quarter."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest

from okr.models import Objective
from okr.personal import services
from tests.support.factories import (
    CheckInFactory,
    ObjectiveFactory,
    metric_kr,
    strategic_objective,
    year_and_quarter,
)


@dataclass
class World:
    cast: object
    year: object
    quarter: object
    strategic: object
    strategic_kr: object
    team_objective: object
    team_kr: object


@pytest.fixture
def world(cast):
    cast.org.personal_okrs = True
    cast.org.save(update_fields=["personal_okrs"])
    year, quarter = year_and_quarter(cast.org)
    strategic = strategic_objective(cast.org, year)
    strategic_kr = metric_kr(strategic, rollup="sum", unit="MSEK", target=20)
    team_objective = ObjectiveFactory(
        organisation=cast.org,
        cycle=quarter,
        level=Objective.Level.TEAM,
        team=cast.team,
        title="Fler kunder i Norge",
        parent_key_result=strategic_kr,
        alignment=Objective.Alignment.DIRECT,
        status=Objective.Status.APPROVED,
    )
    team_kr = metric_kr(
        team_objective,
        title="4MSEK försäljning i Norge",
        owner=cast.lead,
        target=4,
        unit="MSEK",
    )
    CheckInFactory(key_result=team_kr, value=Decimal(1))
    team_kr.refresh_from_db()
    return World(cast, year, quarter, strategic, strategic_kr, team_objective, team_kr)


@pytest.fixture
def personal(world):
    """Max's own objective under Growth's key result, with one key result of his."""
    objective = services.personal_objective_create(
        organisation=world.cast.org,
        author=world.cast.member,
        title="Bli bättre på att boka möten med norska kunder",
        parent_key_result=world.team_kr,
    )
    services.personal_key_result_create(
        objective=objective,
        author=world.cast.member,
        title="10 bokade möten",
        kind="metric",
        start_value=Decimal(0),
        target_value=Decimal(10),
        unit="möten",
    )
    return objective
