"""factory_boy factories for OKR rows, created through okr.objectives.services as the pages do.

Defaults give a valid row in the cycle that contains today:

    CycleFactory(organisation=org)                       # this fiscal year (and its quarters)
    CycleFactory(organisation=org, kind="quarter")       # the quarter that contains today
    CycleFactory(organisation=org, kind="quarter", quarter=2, year=2026)
    ObjectiveFactory(organisation=org)                   # strategic, on this year, approved
    ObjectiveFactory(organisation=org, level="team")     # on this quarter, a new team, draft
    ObjectiveFactory(organisation=org, level="team", team=team, parent_key_result=kr,
                     alignment="direct", status="approved")
    KeyResultFactory(objective=objective, owner=user)    # metric 0 -> 100
    KeyResultFactory(objective=objective, kind="milestone", due_date=date(2026, 2, 15))
    KeyResultFactory(objective=objective, target_value=None)   # pending target
    CheckInFactory(key_result=kr, author=user, value=Decimal(40), confidence="at_risk")
    CheckInFactory(key_result=milestone, done=True)
    InitiativeFactory(key_result=kr, owner=user)

An objective's ``organisation`` defaults to that of its cycle, team or parent
(else a new organisation); a key result's is its objective's. Owners must be members of the organisation (the services check).
"""

from __future__ import annotations

from decimal import Decimal

import factory
from django.utils import timezone

from okr.models import CheckIn, Cycle, Initiative, KeyResult, Objective
from okr.objectives import services
from tests.support.factories import OrganisationFactory, TeamFactory


class CycleFactory(factory.django.DjangoModelFactory):
    """A year (created with its four quarters) or one of its quarters."""

    class Meta:
        model = Cycle

    organisation = factory.SubFactory(OrganisationFactory)
    kind = Cycle.Kind.YEAR
    year = None  # the fiscal year that contains today
    quarter = None  # with kind="quarter": the quarter that contains today

    @classmethod
    def _create(
        cls,
        model_class,
        *args,
        organisation,
        kind=Cycle.Kind.YEAR,
        year=None,
        quarter=None,
        **kwargs,
    ):
        today = timezone.localdate()
        if year is None:
            year = services.fiscal_year_of(organisation, today)
        year_cycle = services.cycle_year_get_or_create(organisation=organisation, year=year)
        if kind == Cycle.Kind.YEAR:
            return year_cycle
        quarters = year_cycle.quarters.all()
        if quarter is not None:
            return quarters.get(quarter=quarter)
        return quarters.filter(start_date__lte=today, end_date__gte=today).first() or quarters.get(
            quarter=1
        )


def _default_organisation(objective):
    for related in (
        objective.cycle,
        objective.team,
        objective.parent_objective,
        objective.parent_key_result,
    ):
        if related is not None:
            return related.organisation
    return OrganisationFactory()


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Objective

    cycle = None  # this year (strategic) or this quarter (team)
    team = None  # a new team of the organisation for a team objective
    organisation = factory.LazyAttribute(_default_organisation)
    level = Objective.Level.STRATEGIC
    title = factory.Sequence(lambda n: f"Objective {n}")
    why = ""
    owner = None
    parent_objective = None
    parent_key_result = None
    alignment = Objective.Alignment.INDIRECT
    status = None  # the service's default: approved for strategic, draft for team

    @classmethod
    def _create(cls, model_class, *args, organisation, level, cycle=None, team=None, **kwargs):
        if cycle is None:
            kind = Cycle.Kind.YEAR if level == Objective.Level.STRATEGIC else Cycle.Kind.QUARTER
            cycle = CycleFactory(organisation=organisation, kind=kind)
        if team is None and level == Objective.Level.TEAM:
            team = TeamFactory(organisation=organisation)
        return services.objective_create(
            organisation=organisation, level=level, cycle=cycle, team=team, **kwargs
        )


class KeyResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyResult

    objective = factory.SubFactory(ObjectiveFactory)
    title = factory.Sequence(lambda n: f"Key result {n}")
    owner = None
    kind = KeyResult.Kind.METRIC
    unit = ""
    direction = KeyResult.Direction.INCREASE
    start_value = Decimal(0)
    target_value = Decimal(100)
    commitment = KeyResult.Commitment.ASPIRATIONAL

    @classmethod
    def _create(cls, model_class, *args, objective, title, owner=None, **fields):
        return services.key_result_create(objective=objective, title=title, owner=owner, **fields)


def _default_value(check_in):
    kr = check_in.key_result
    if kr.kind != KeyResult.Kind.METRIC:
        return None
    return kr.current_value if kr.current_value is not None else kr.start_value


class CheckInFactory(factory.django.DjangoModelFactory):
    """A check-in recorded through the service: the key result's current value follows."""

    class Meta:
        model = CheckIn

    key_result = factory.SubFactory(KeyResultFactory)
    author = None
    confidence = CheckIn.Confidence.ON_TRACK
    value = factory.LazyAttribute(_default_value)
    done = None
    steps_done = None
    note = ""
    at = None  # a datetime; now by default

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return services.check_in_record(**kwargs)


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    key_result = factory.SubFactory(KeyResultFactory)
    title = factory.Sequence(lambda n: f"Initiative {n}")
    owner = None
    status = None  # planned (the service's default)

    @classmethod
    def _create(cls, model_class, *args, status=None, **kwargs):
        initiative = services.initiative_create(**kwargs)
        if status is not None:
            services.initiative_set_status(initiative=initiative, status=status)
        return initiative
