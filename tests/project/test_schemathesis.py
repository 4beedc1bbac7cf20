"""Schemathesis against the OpenAPI schema, with all its checks, through the app's WSGI handler.

Every operation gets generated requests, valid and invalid, and every one of
schemathesis' checks runs on each answer: no server error, status codes, content
types, headers and bodies as documented, bad input refused, good input accepted,
required headers, unsupported methods with their Allow header, authentication
enforced (``object_level_authorization`` needs a second identity configured and has
nothing to say here; the tenancy sweep covers it). Requests go through the whole
app (middleware included) with a personal API token of the organisation's admin;
the organisation in the path is fixed to the test organisation (``path.org_slug``);
valid path ids, and half of the ids in valid bodies and queries, name real objects
of the kind the rest of the request fits. Each request is undone afterwards, so
every one meets the same rows. Valid data also obeys the few rules that compare two
fields, which a JSON Schema cannot state (``tests/support/valid_data.py``); every rule
it can state is in the schema (``accounts.api.schema``).

One exception, and only one: schemathesis counts a request that is valid by the
schema as "positive data", which must not be refused with 400. A reference is valid
by the schema whenever it is well formed (a UUID, a year, a day), but one that names
nothing in the organisation is rightly refused with 400 ("There is no such key
result in this organisation"): a schema cannot list the ids that exist. So a 400
whose every field error is about such a reference (an id of no row, a year with no
OKR year or no drafts to publish, a ``moved_from`` day with no scheduled review) is
allowed; any other 400 for valid data fails. The tally counts these as "excused".
"""

from __future__ import annotations

import functools
import re
import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.db import close_old_connections, transaction
from django.utils import timezone, translation
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.core.failures import Failure
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts import tokens
from accounts.models import Membership
from accounts.webhooks.services import endpoint_create as webhook_endpoint_create
from alignment.services import dependency_create
from okr.chat.services import hook_create as chat_hook_create
from okr.kiosk.services import board_link_create
from okr.lib import calendar
from okr.models import Comment, Notification, Review, ReviewEntry, Score
from okr.reviews.days import schedule_of
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
from tests.support.fuzz import Tally
from tests.support.valid_data import MILESTONE_STEPS, ORG, is_uuid, use_real_ids

MAX_EXAMPLES = 20


class CountingApp:
    """The WSGI app with a tally of the requests it answered and of its server errors."""

    def __init__(self, app):
        self.app = app
        self.tally = Tally("schemathesis")

    def __call__(self, environ, start_response):
        self.tally.requests += 1

        def start(status, headers, exc_info=None):
            self.tally.statuses[f"{status[0]}xx"] += 1
            if status.startswith("5"):
                self.tally.server_errors.append(
                    f"{environ['REQUEST_METHOD']} {environ.get('PATH_INFO')}: {status}"
                )
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def load_schema():
    """The schema as the running app serves it (no database needed to build it)."""
    from okr.wsgi import application

    loaded = schemathesis.openapi.from_wsgi("/api/schema/?format=json", CountingApp(application))
    loaded.config.generation.max_examples = MAX_EXAMPLES
    # Every operation is in the test organisation ("path.org_slug" is fixed, never generated).
    loaded.config.parameters = {**loaded.config.parameters, "path.org_slug": ORG}
    return loaded


schema = load_schema()
APP: CountingApp = schema.app
APP.tally.requests = 0  # the schema's own download is not a fuzzing request
APP.tally.statuses.clear()


@pytest.fixture(scope="module", autouse=True)
def report_counts():
    yield
    APP.tally.report()


@pytest.fixture
def in_process_wsgi(db):
    """Django's WSGI handler closes the database connection after each request (as a server
    should); here every request shares the test's transaction, so keep it open."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(cast):
    org = cast.org
    org.personal_okrs = True  # the pilot is on: personal objectives are valid data
    org.save(update_fields=["personal_okrs"])
    team = TeamFactory(organisation=org, name="Team Ett")
    department = TeamFactory(organisation=org, name="Avdelning Två")
    TeamMembershipFactory(team=team, user=cast.member, is_lead=True)
    year = CycleFactory(organisation=org)
    quarter = CycleFactory(organisation=org, kind="quarter")
    objective = ObjectiveFactory(organisation=org, cycle=year, owner=cast.leader)
    kr = KeyResultFactory(objective=objective, owner=cast.member, target_value=Decimal(50))
    team_objective = ObjectiveFactory(
        organisation=org, level="team", team=team, cycle=quarter, parent_key_result=kr
    )
    team_kr = KeyResultFactory(
        objective=team_objective, kind="milestone", steps_total=MILESTONE_STEPS
    )
    check_in = CheckInFactory(key_result=kr, value=Decimal(10), author=cast.member)
    initiative = InitiativeFactory(key_result=kr, owner=cast.member)
    invitation = InvitationFactory(organisation=org)
    other_team_objective = ObjectiveFactory(
        organisation=org, level="team", cycle=quarter, team=TeamFactory(organisation=org)
    )
    other_team_kr = KeyResultFactory(objective=other_team_objective)
    dependency = dependency_create(
        organisation=org,
        needing_objective=team_objective,
        delivering_objective=other_team_objective,
        description="Katalogen på norska",
        needed_by=year.start_date,
    )
    review = Review.objects.create(organisation=org, date=year.start_date)
    decision = ReviewEntry.objects.create(
        organisation=org,
        review=review,
        kind=ReviewEntry.Kind.DECISION,
        text="Boka leverantörsmötet",
        author=cast.admin,
        owner=cast.member,
        due_date=year.start_date + timedelta(days=14),
        key_result=kr,
    )
    comment = Comment.objects.create(
        organisation=org, author=cast.admin, objective=objective, text="Hur går det?"
    )
    notification = Notification.objects.create(
        organisation=org,
        recipient=cast.admin,
        kind=Notification.Kind.MENTION,
        actor=cast.member,
        objective=objective,
        comment=comment,
    )
    last_year = CycleFactory(organisation=org, year=year.year - 1)
    score = Score.objects.create(
        organisation=org,
        cycle=last_year,
        objective=ObjectiveFactory(organisation=org, cycle=last_year),
        progress=0.5,
        computed=0.5,
        computed_at=timezone.now(),
    )
    next_year = CycleFactory(organisation=org, year=calendar.current_fiscal_year(org) + 1)
    ObjectiveFactory(organisation=org, cycle=next_year, status="draft")  # to publish
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
        "actions": decision.uuid,
        "comments": comment.uuid,
        "notifications": notification.uuid,
        "scores": score.uuid,
        "board-links": board_link_create(organisation=org, author=cast.admin, label="Köket")[
            0
        ].uuid,
        "chat-hooks": chat_hook_create(
            organisation=org,
            kind="slack",
            url="https://hooks.slack.example/services/acme",
            author=cast.admin,
        ).uuid,
        # A host name, not the receivers' 127.0.0.1: the webhook service refuses an address
        # written as a loopback or private IP whatever the outbound guard allows.
        "webhooks": webhook_endpoint_create(
            organisation=org,
            url="https://hooks.example/acme",
            events=["member.added"],
            author=cast.admin,
        )[0].uuid,
    }
    # A real object for each reference a body or a query names (by the field's name).
    references = {
        "key_result": kr.uuid,
        "objective": objective.uuid,
        "check_in": check_in.uuid,
        "needing_objective": team_objective.uuid,
        "needing_key_result": team_kr.uuid,
        "delivering_objective": other_team_objective.uuid,
        "delivering_key_result": other_team_kr.uuid,
        "owner": cast.member.uuid,
        "author": cast.member.uuid,
        "team": team.uuid,
        "needing_team": team.uuid,
        "delivering_team": other_team_objective.team.uuid,
        "parent": department.uuid,
        "parent_objective": objective.uuid,
        "parent_key_result": kr.uuid,
        "cycle": year.uuid,
        "quarter": quarter.uuid,
        "year": year.uuid,
    }
    lists = {"leads": cast.member.uuid, "members": cast.lead.uuid, "teams": team.uuid}
    sched = schedule_of(org)
    scheduled_day = next(
        day
        for day in (year.start_date + timedelta(days=n) for n in range(1, 400))
        if sched.cadence.is_review(day) and sched.row_for(day) is None
    )
    return {
        "token": raw,
        "codes": codes,
        "references": references,
        "lists": lists,
        "quarter": quarter.uuid,
        "metric": kr.uuid,
        "next_year": next_year.year,
        "team_objective": team_objective.uuid,
        "team_key_result": team_kr.uuid,
        "objective": objective.uuid,
        "comment": comment.uuid,
        "milestone": team_kr.uuid,
        "scheduled_day": scheduled_day.isoformat(),
    }


# --- Checks ---------------------------------------------------------------------------------


def bad_request_names_the_fields(ctx, response, case):
    """A 400 answer is a JSON object of field (or parameter) names, each with its messages."""
    if response.status_code != 400:
        return None
    body = response.json()
    assert isinstance(body, dict) and body, f"400 without field errors: {body!r}"
    for name, messages in body.items():
        assert isinstance(name, str) and name
        assert messages, f"{name}: no message"
    return None


def _sent_values(case, name) -> list:
    """What the request sent under ``name``: in its body, else in its query (a list as a list)."""
    if isinstance(case.body, dict) and name in case.body:
        value = case.body[name]
    else:
        value = (case.query or {}).get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _messages(errors) -> list[str]:
    """Every message of a field's errors (a list, or a dict of list items' errors)."""
    if isinstance(errors, dict):
        return [m for item in errors.values() for m in _messages(item)]
    if isinstance(errors, list):
        return [m for item in errors for m in _messages(item)]
    return [str(errors)]


@functools.cache
def no_such_object() -> re.Pattern:
    """The API's "There is no such <kind> in this organisation." in every language."""
    source = "There is no such %(kind)s in this organisation."
    texts = set()
    for code, _name in django_settings.LANGUAGES:
        with translation.override(code):
            texts.add(translation.gettext(source))
    parts = (re.escape(t).replace(re.escape("%(kind)s"), ".+") for t in texts)
    return re.compile("|".join(f"^{p}$" for p in parts))


def names_a_scheduled_review(value) -> bool:
    """Whether ``value`` is the day of a scheduled review not held yet (what ``moved_from``
    names: the review to move, by its day)."""
    from accounts.models import Organisation

    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    sched = schedule_of(Organisation.objects.get(slug=ORG))
    return sched.cadence.is_review(day) and sched.row_for(day) is None


def has_drafts(year) -> bool:
    """Whether fiscal year ``year`` has draft strategic objectives (what publishing names)."""
    from okr.models import Objective

    return Objective.objects.filter(
        organisation__slug=ORG,
        cycle__kind="year",
        cycle__year=year,
        level="strategic",
        status="draft",
    ).exists()


def about_unknown_ids_only(response, case) -> bool:
    """Whether every field error of this 400 is about an id that names nothing: its message
    says there is no such object, or all it sent there are well-formed ids of no row."""
    from tests.support.fuzz import all_uuids

    errors = response.json()
    if not isinstance(errors, dict) or not errors:
        return False
    known = None
    for name, field_errors in errors.items():
        if all(no_such_object().match(m) for m in _messages(field_errors)):
            continue
        sent_body = case.body if isinstance(case.body, dict) else {}
        if name == "moved_from" and not names_a_scheduled_review(sent_body.get(name)):
            continue
        publishes = name == "year" and case.path.endswith("/years/publish/")
        if publishes and not has_drafts(sent_body.get(name)):
            continue
        values = _sent_values(case, name)
        known = all_uuids() if known is None else known
        if not values or not all(is_uuid(v) and uuid.UUID(str(v)) not in known for v in values):
            return False
    return True


def positive_data_accepted(ctx, response, case):
    """schemathesis' positive-data check, except for a 400 about ids that name nothing."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if response.status_code == 400 and about_unknown_ids_only(response, case):
            APP.tally.excused += 1
            return None
        if response.status_code == 400 and about_a_spreadsheets_content(response, case):
            APP.tally.excused += 1
            return None
        raise


def about_a_spreadsheets_content(response, case) -> bool:
    """The import's 400 for a file no schema describes: unreadable, or rows with errors."""
    if not case.path.endswith("/import/"):
        return False
    body = response.json()
    return isinstance(body, dict) and (set(body) == {"file"} or bool(body.get("errors")))


def all_checks():
    """Every check schemathesis has, with positive data judged as above."""
    load_all_checks()
    checks = [
        check for check in CHECKS.get_all() if callable(check) and not isinstance(check, type)
    ]
    assert positive_data_acceptance in checks
    return [
        *(c for c in checks if c is not positive_data_acceptance),
        positive_data_accepted,
        bad_request_names_the_fields,
    ]


CHECK_FUNCTIONS = all_checks()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_api_conforms_to_its_schema(case, api_world, in_process_wsgi):
    use_real_ids(case, api_world)
    errors_before = len(APP.tally.server_errors)
    # Each request meets the same rows: what one example creates or deletes is undone.
    with transaction.atomic():
        case.call_and_validate(
            headers={"Authorization": f"Bearer {api_world['token']}"}, checks=CHECK_FUNCTIONS
        )
        transaction.set_rollback(True)
    assert len(APP.tally.server_errors) == errors_before, APP.tally.server_errors[errors_before:]


def test_every_check_runs():
    names = {getattr(check, "__name__", "") for check in CHECK_FUNCTIONS}
    load_all_checks()
    assert set(CHECKS.get_all_names()) - {"positive_data_acceptance"} <= names
    assert {"positive_data_accepted", "not_a_server_error", "ignored_auth"} <= names
    assert issubclass(RejectedPositiveData, Failure)
