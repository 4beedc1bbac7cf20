"""Schemathesis against the OpenAPI schema, in process through the WSGI app.

Every operation gets generated requests, valid and invalid (schemathesis'
default checks): no server errors, every response matches the schema, bad input
is answered with 4xx. Requests are sent as the organisation's admin (a Bearer
token), with path ids of real objects of the right kind, so most requests reach
the code behind the checks. A 400 for data the schema allows is accepted
(rules that cross fields and objects live in the services, not the schema), but
it must name the fields that are wrong.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation

from accounts import tokens
from accounts.models import Membership
from alignment.services import dependency_create
from okr.models import Review, Score
from tests.support.factories import (
    CheckInFactory,
    CycleFactory,
    InitiativeFactory,
    InvitationFactory,
    KeyResultFactory,
    ObjectiveFactory,
    TeamFactory,
    TeamMembershipFactory,
)

MAX_EXAMPLES = 20


@pytest.fixture
def in_process_wsgi(db):
    """Django's WSGI handler closes the database connection after each request (as a server
    should); here every request shares the test's transaction, so keep it open."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def load_schema():
    """The schema as the running app serves it (no database needed to build it)."""
    from okr.wsgi import application

    loaded = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    checks = loaded.config.checks
    checks.positive_data_acceptance.expected_statuses = [
        *checks.positive_data_acceptance.expected_statuses,
        "400",
    ]
    loaded.config.generation.max_examples = MAX_EXAMPLES
    return loaded


schema = load_schema()


@pytest.fixture
def api_world(cast):
    org = cast.org
    team = TeamFactory(organisation=org, name="Marknad")
    TeamMembershipFactory(team=team, user=cast.member, is_lead=True)
    year = CycleFactory(organisation=org)
    objective = ObjectiveFactory(organisation=org, cycle=year, owner=cast.leader)
    kr = KeyResultFactory(objective=objective, owner=cast.member, target_value=Decimal(50))
    team_objective = ObjectiveFactory(
        organisation=org, level="team", team=team, parent_key_result=kr
    )
    KeyResultFactory(objective=team_objective, kind="milestone", steps_total=3)
    check_in = CheckInFactory(key_result=kr, value=Decimal(10), author=cast.member)
    initiative = InitiativeFactory(key_result=kr, owner=cast.member)
    invitation = InvitationFactory(organisation=org)
    other_team_objective = ObjectiveFactory(
        organisation=org, level="team", team=TeamFactory(organisation=org, name="Sälj")
    )
    dependency = dependency_create(
        organisation=org,
        needing_objective=team_objective,
        delivering_objective=other_team_objective,
        description="Katalogen på norska",
        needed_by=year.start_date,
    )
    review = Review.objects.create(organisation=org, date=year.start_date)
    last_year = CycleFactory(organisation=org, year=year.year - 1)
    score = Score.objects.create(
        organisation=org,
        cycle=last_year,
        objective=ObjectiveFactory(organisation=org, cycle=last_year),
        progress=0.5,
        computed=0.5,
        computed_at=timezone.now(),
    )
    _token, raw = tokens.token_create(user=cast.admin, organisation=org, name="schemathesis")
    codes = {
        "teams": team.uuid,
        "members": Membership.objects.get(organisation=org, user=cast.member).uuid,
        "invitations": invitation.uuid,
        "cycles": year.uuid,
        "objectives": objective.uuid,
        "key-results": kr.uuid,
        "check-ins": check_in.uuid,
        "initiatives": initiative.uuid,
        "dependencies": dependency.uuid,
        "reviews": review.uuid,
        "scores": score.uuid,
    }
    return {"token": raw, "codes": codes}


def bad_request_names_the_fields(ctx, response, case):
    """A 400 answer is a JSON object of field (or parameter) names, each with its messages."""
    if response.status_code != 400:
        return None
    body = response.json()
    assert isinstance(body, dict) and body, f"400 without field errors: {body!r}"
    for field, messages in body.items():
        assert isinstance(field, str) and field
        assert messages, f"{field}: no message"
    return None


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_api_conforms_to_its_schema(case, api_world, in_process_wsgi):
    if not (case.meta and case.meta.is_negative_at(ParameterLocation.PATH)):
        # A valid path names the test organisation and a real object of the right kind
        # (an invalid one is left as generated: it must be refused).
        case.path_parameters = {**(case.path_parameters or {}), "org_slug": "acme"}
        if "code" in case.path_parameters:
            kind = case.path.split("/")[4]
            case.path_parameters["code"] = str(api_world["codes"][kind])
    case.call_and_validate(
        headers={"Authorization": f"Bearer {api_world['token']}"},
        additional_checks=[bad_request_names_the_fields],
    )
