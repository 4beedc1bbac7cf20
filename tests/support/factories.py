"""The one builder set of the test suite: factory_boy factories and a few small builders.

Accounts rows (organisations, people, memberships, teams, invitations) are
plain model factories. OKR rows are created through okr.objectives.services,
as the pages do, so a test never holds a row the application could not make.
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
(else a new organisation); a key result's is its objective's. Owners must be
members of the organisation (the services check).

The small builders at the end (``year_and_quarter``, ``strategic_objective``,
``metric_kr``, ``milestone_kr``) are thin shorthands over these factories with
the DPAB example's titles, for tests that read better with positional arguments.
"""

from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import (
    Invitation,
    Membership,
    Organisation,
    Team,
    TeamMembership,
    User,
    hash_token,
)
from okr.lib import calendar
from okr.models import CheckIn, Cycle, Initiative, KeyResult, Objective
from okr.objectives import services

PASSWORD = "correct horse battery staple"  # noqa: S105


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("first_name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    vision = "Snabb och miljövänlig kommunikation"
    mission = "att vara den föredragna partnern"
    language = "en"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    is_lead = False


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Membership.Role.MEMBER
    token_hash = factory.Sequence(lambda n: hash_token(f"token-{n}"))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=14))


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
        today = calendar.today(organisation)
        if year is None:
            year = calendar.fiscal_year_of(today, organisation.fiscal_year_start_month)
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


# --- Small builders -------------------------------------------------------------------------


def year_and_quarter(org, day: date | None = None):
    """The fiscal year of ``day`` (today by default) and its quarter that contains ``day``."""
    day = day or calendar.today(org)
    year = CycleFactory(
        organisation=org, year=calendar.fiscal_year_of(day, org.fiscal_year_start_month)
    )
    return year, year.quarters.get(start_date__lte=day, end_date__gte=day)


def strategic_objective(
    org, year, title="Kommande år vårt starkaste tillväxtår någonsin", owner=None
):
    return ObjectiveFactory(
        organisation=org, cycle=year, level=Objective.Level.STRATEGIC, title=title, owner=owner
    )


def metric_kr(
    objective,
    title="20MSEK försäljning till nya kunder",
    owner=None,
    start=0,
    target=20,
    unit="MSEK",
    **extra,
):
    return KeyResultFactory(
        objective=objective,
        title=title,
        owner=owner,
        kind=KeyResult.Kind.METRIC,
        start_value=Decimal(start),
        target_value=None if target is None else Decimal(target),
        unit=unit,
        **extra,
    )


def milestone_kr(objective, title="Lansera översatt hemsida senast 15/2", owner=None, **extra):
    return KeyResultFactory(
        objective=objective, title=title, owner=owner, kind=KeyResult.Kind.MILESTONE, **extra
    )
