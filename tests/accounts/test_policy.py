"""The policy as a table: every role x status x action, written out by hand and checked.

Pure: the people are ``policy.Actor`` values and the objects plain namespaces
(the policy reads duck-typed attributes), so no database is needed except in
the last tests, which check that a membership's teams cost one query.

Outcomes: ``ok`` allowed; ``ok*`` allowed, but the approved objective needs
approval again; ``403`` never for this person; ``409`` not in this state.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from accounts import policy
from accounts.policy import Action

TEAM, OTHER_TEAM = 10, 20
ADMIN, LEADER, LEAD, MEMBER, OWNER, OTHER = 1, 2, 3, 4, 5, 6

PEOPLE = {
    "admin": policy.Actor(ADMIN, "admin"),
    "leader": policy.Actor(LEADER, "leadership"),
    "lead": policy.Actor(LEAD, "member", frozenset({TEAM}), frozenset({TEAM})),
    "team": policy.Actor(MEMBER, "member", frozenset({TEAM})),
    # Owns the objective, its key result and the initiative, but is in no team.
    "owner": policy.Actor(OWNER, "member"),
    # In another team: reads everything, changes nothing of this team's.
    "other": policy.Actor(OTHER, "member", frozenset({OTHER_TEAM}), frozenset({OTHER_TEAM})),
}


def objective(status: str, level: str = "team"):
    return SimpleNamespace(
        pk=100,
        level=level,
        status=status,
        team_id=None if level == "strategic" else TEAM,
        owner_id=OWNER,
        parent_objective_id=None,
        parent_key_result_id=7,
        alignment="direct",
    )


def key_result(status: str, level: str = "team", archived: bool = False):
    return SimpleNamespace(
        pk=200,
        objective=objective(status, level),
        owner_id=OWNER,
        archived=archived,
        kind="metric",
        direction="increase",
        commitment="committed",
        start_value=0,
        target_value=5,
        unit="kunder",
        due_date=None,
        steps_total=None,
        weight=1,
    )


def initiative(status: str, level: str = "team"):
    return SimpleNamespace(pk=300, owner_id=OWNER, key_result=key_result(status, level))


def outcome(decision: policy.Decision) -> str:
    if decision.allowed:
        return "ok*" if decision.reapproval else "ok"
    return "409" if decision.conflict else "403"


def parse(table: str) -> list[tuple[str, str, dict[str, str]]]:
    lines = [line.split() for line in table.strip().splitlines() if line.strip()]
    header = lines[0][2:]
    return [(row[0], row[1], dict(zip(header, row[2:], strict=True))) for row in lines[1:]]


# The team's quarterly objective, its key result and an initiative behind it.
TEAM_TABLE = """
action                         status             admin leader lead team owner other
objective.edit                 draft              ok    ok     ok   ok   ok    403
objective.edit                 changes_requested  ok    ok     ok   ok   ok    403
objective.edit                 proposed           ok    ok     409  409  409   403
objective.edit                 approved           ok    ok     ok   409  ok    403
objective.edit                 archived           409   409    409  409  409   403
objective.change_parent        draft              ok    ok     ok   ok   ok    403
objective.change_parent        changes_requested  ok    ok     ok   ok   ok    403
objective.change_parent        proposed           ok    ok     409  409  409   403
objective.change_parent        approved           ok    ok     ok*  409  ok*   403
objective.change_parent        archived           409   409    409  409  409   403
objective.reorder              draft              ok    ok     ok   ok   ok    403
objective.reorder              proposed           ok    ok     ok   ok   ok    403
objective.reorder              approved           ok    ok     ok   ok   ok    403
objective.reorder              archived           409   409    409  409  409   403
objective.archive              draft              ok    ok     ok   ok   ok    403
objective.archive              changes_requested  ok    ok     ok   ok   ok    403
objective.archive              proposed           ok    ok     409  409  409   403
objective.archive              approved           ok    ok     409  409  409   403
objective.archive              archived           409   409    409  409  409   403
key_result.create              draft              ok    ok     ok   ok   ok    403
key_result.create              proposed           ok    ok     409  409  409   403
key_result.create              approved           ok    ok     ok   409  ok    403
key_result.create              archived           409   409    409  409  409   403
key_result.edit                draft              ok    ok     ok   ok   ok    403
key_result.edit                changes_requested  ok    ok     ok   ok   ok    403
key_result.edit                proposed           ok    ok     409  409  409   403
key_result.edit                approved           ok    ok     ok   409  ok    403
key_result.edit                archived           409   409    409  409  409   403
key_result.change_target       draft              ok    ok     ok   ok   ok    403
key_result.change_target       proposed           ok    ok     409  409  409   403
key_result.change_target       approved           ok    ok     ok*  409  ok*   403
key_result.change_kind         approved           ok    ok     ok*  409  ok*   403
key_result.change_direction    approved           ok    ok     ok*  409  ok*   403
key_result.change_commitment   approved           ok    ok     ok*  409  ok*   403
key_result.change_commitment   changes_requested  ok    ok     ok   ok   ok    403
key_result.change_weight       draft              ok    ok     ok   ok   ok    403
key_result.change_weight       proposed           ok    ok     409  409  409   403
key_result.change_weight       approved           ok    ok     ok*  409  ok*   403
key_result.change_weight       archived           409   409    409  409  409   403
key_result.reorder             draft              ok    ok     ok   ok   ok    403
key_result.reorder             proposed           ok    ok     409  409  409   403
key_result.archive             draft              ok    ok     ok   ok   ok    403
key_result.archive             proposed           ok    ok     409  409  409   403
key_result.archive             approved           ok    ok     ok   409  ok    403
key_result.archive             archived           409   409    409  409  409   403
key_result.check_in            draft              ok    ok     ok   403  ok    403
key_result.check_in            proposed           ok    ok     ok   403  ok    403
key_result.check_in            approved           ok    ok     ok   403  ok    403
key_result.check_in            archived           409   409    409  403  409   403
initiative.create              draft              ok    ok     ok   ok   ok    403
initiative.create              proposed           ok    ok     ok   ok   ok    403
initiative.create              approved           ok    ok     ok   ok   ok    403
initiative.create              archived           409   409    409  409  409   403
initiative.edit                approved           ok    ok     ok   ok   ok    403
initiative.edit                archived           409   409    409  409  409   403
objective.approve              proposed           ok    ok     403  403  403   403
objective.approve              draft              409   409    403  403  403   403
objective.approve              approved           409   409    403  403  403   403
objective.request_changes      proposed           ok    ok     403  403  403   403
objective.request_changes      changes_requested  409   409    403  403  403   403
objective.carry_over           approved           ok    ok     403  403  403   403
"""

# The year's strategic objective: leadership's; the owner of a key result checks in on it.
STRATEGIC_TABLE = """
action                         status             admin leader lead team owner other
objective.edit                 approved           ok    ok     403  403  403   403
objective.edit                 archived           409   409    403  403  403   403
objective.change_parent        approved           ok    ok     403  403  403   403
objective.archive              approved           ok    ok     403  403  403   403
objective.reorder              approved           ok    ok     403  403  403   403
key_result.create              approved           ok    ok     403  403  403   403
key_result.edit                approved           ok    ok     403  403  403   403
key_result.change_target       approved           ok    ok     403  403  403   403
key_result.archive             approved           ok    ok     403  403  403   403
key_result.set_steps           approved           ok    ok     403  403  403   403
key_result.check_in            approved           ok    ok     403  403  ok    403
key_result.check_in            archived           409   409    403  403  409   403
initiative.create              approved           ok    ok     403  403  ok    403
objective.approve              approved           409   409    403  403  403   403
"""

# A person's own objective under the team's (the pilot): the owner's; leadership may archive it.
PERSONAL_TABLE = """
action                         status             admin leader lead team owner other
objective.edit                 approved           403   403    403  403  ok    403
objective.edit                 archived           403   403    403  403  409   403
objective.change_parent        approved           403   403    403  403  ok    403
objective.reorder              approved           403   403    403  403  ok    403
objective.archive              approved           ok    ok     403  403  ok    403
objective.archive              archived           409   409    403  403  409   403
key_result.create              approved           403   403    403  403  ok    403
key_result.edit                approved           403   403    403  403  ok    403
key_result.change_target       approved           403   403    403  403  ok    403
key_result.change_weight       approved           403   403    403  403  ok    403
key_result.archive             approved           403   403    403  403  ok    403
key_result.check_in            approved           403   403    403  403  ok    403
key_result.check_in            archived           403   403    403  403  409   403
initiative.create              approved           403   403    403  403  ok    403
objective.approve              approved           409   409    403  403  403   403
personal.create                approved           403   403    ok   ok   403   403
"""


def _object_for(action: str, status: str, level: str):
    if action == "personal.create":
        return TEAM_OBJ
    if action.startswith("initiative.edit"):
        return initiative(status, level)
    if action.startswith(("key_result.", "initiative.")) and action != "key_result.create":
        return key_result(status, level)
    return objective(status, level)


CASES = (
    [("team", *row) for row in parse(TEAM_TABLE)]
    + [("strategic", *row) for row in parse(STRATEGIC_TABLE)]
    + [("personal", *row) for row in parse(PERSONAL_TABLE)]
)


@pytest.mark.parametrize(
    ("level", "action", "status", "expected"),
    CASES,
    ids=[f"{level}-{action}-{status}" for level, action, status, _e in CASES],
)
def test_okr_matrix(level, action, status, expected):
    obj = _object_for(action, status, level)
    got = {who: outcome(policy.may(actor, action, obj)) for who, actor in PEOPLE.items()}
    assert got == expected


def test_the_tables_cover_every_okr_action_and_status():
    """No action of the OKR family is left out of the hand-written table."""
    team_rows = parse(TEAM_TABLE)
    actions = {action for action, _s, _e in team_rows}
    okr_actions = {a.value for a in policy.OKR_ACTIONS}
    assert okr_actions <= actions
    for name in ("objective.edit", "key_result.edit", "objective.archive"):
        assert {s for a, s, _e in team_rows if a == name} == set(policy.STATUSES)


# --- Team-wide, organisation-wide and personal actions -----------------------------------------

TEAM_OBJ = SimpleNamespace(pk=TEAM)
WIDE_TABLE = """
action                      object          admin leader lead team owner other
objective.create            team            ok    ok     ok   ok   403   403
objective.create            none            ok    ok     403  403  403   403
workshop.park               team            ok    ok     ok   ok   403   403
objective.submit            team            ok    ok     ok   403  403   403
objective.approve_team      team            ok    ok     403  403  403   403
review.start                none            ok    ok     403  403  403   403
review.move                 open_review     ok    ok     403  403  403   403
review.move                 closed_review   409   409    403  403  403   403
review.note                 closed_review   409   409    403  403  403   403
review.close                closed_review   ok    ok     403  403  403   403
review.action_done          owners_action   ok    ok     403  403  ok    403
review.action_done          action          ok    ok     403  403  403   403
quarter.close               none            ok    ok     403  403  403   403
score.override              none            ok    ok     403  403  403   403
retrospective.add           none            ok    ok     403  403  403   403
organisation.export         none            ok    ok     403  403  403   403
okr.import                  team            ok    ok     ok   ok   403   403
okr.import                  none            ok    ok     403  403  403   403
year.start_next             none            ok    ok     403  403  403   403
year.carry_on               none            ok    ok     403  403  403   403
year.publish                none            ok    ok     403  403  403   403
organisation.settings       none            ok    403    403  403  403   403
organisation.teams          none            ok    403    403  403  403   403
organisation.members        none            ok    403    403  403  403   403
organisation.invite         none            ok    403    403  403  403   403
organisation.sso            none            ok    403    403  403  403   403
organisation.audit          none            ok    403    403  403  403   403
organisation.webhooks       none            ok    403    403  403  403   403
organisation.delete         none            ok    403    403  403  403   403
organisation.export_all     none            ok    403    403  403  403   403
organisation.board_links    none            ok    403    403  403  403   403
organisation.chat_hooks     none            ok    403    403  403  403   403
organisation.chat_hooks     team            ok    403    ok   403  403   403
organisation.chat_hooks     team_hook       ok    403    ok   403  403   403
organisation.chat_hooks     org_hook        ok    403    403  403  403   403
dependency.create           none            ok    ok     ok   ok   ok    ok
dependency.manage           dependency      ok    ok     ok   403  403   ok
dependency.manage           own_dependency  ok    ok     ok   403  403   403
tokens.manage               none            ok    ok     ok   ok   ok    ok
tokens.manage               owners_token    403   403    403  403  ok    403
comment.create              none            ok    ok     ok   ok   ok    ok
comment.edit                owners_comment  403   403    403  403  ok    403
comment.edit                removed_comment 403   403    403  403  409   403
comment.delete              owners_comment  ok    403    403  403  ok    403
comment.delete              removed_comment 409   403    403  403  409   403
"""
OBJECTS = {
    "none": None,
    "team": TEAM_OBJ,
    # Chat hooks (okr.chat): a team's hook, the organisation's hook.
    "team_hook": SimpleNamespace(team_id=TEAM),
    "org_hook": SimpleNamespace(team_id=None),
    "open_review": SimpleNamespace(is_closed=False),
    "closed_review": SimpleNamespace(is_closed=True),
    # Needed by this team from the other team (whose lead is "other").
    "dependency": SimpleNamespace(needing_team_id=TEAM, delivering_team_id=OTHER_TEAM),
    "own_dependency": SimpleNamespace(needing_team_id=TEAM, delivering_team_id=TEAM),
    "owners_token": SimpleNamespace(user_id=OWNER),
    # A review decision someone carries out (its review open or closed: the same).
    "owners_action": SimpleNamespace(owner_id=OWNER),
    "action": SimpleNamespace(owner_id=None),
    "owners_comment": SimpleNamespace(author_id=OWNER, deleted=False),
    "removed_comment": SimpleNamespace(author_id=OWNER, deleted=True),
}


@pytest.mark.parametrize(("action", "obj", "expected"), parse(WIDE_TABLE))
def test_wide_matrix(action, obj, expected):
    got = {who: outcome(policy.may(actor, action, OBJECTS[obj])) for who, actor in PEOPLE.items()}
    assert got == expected


def _sample(action: Action):
    """An object the action is asked about, taken from the tables."""
    for _action, obj, _e in parse(WIDE_TABLE):
        if _action == action.value:
            return OBJECTS[obj]
    return _object_for(action.value, "draft", "team")


def test_the_tables_name_every_action():
    """Every action of the policy is written out in one of the tables above."""
    tables = (TEAM_TABLE, STRATEGIC_TABLE, PERSONAL_TABLE, WIDE_TABLE)
    named = {row[0] for table in tables for row in parse(table)}
    assert named == {action.value for action in Action}


@pytest.mark.parametrize("action", list(Action))
def test_not_a_member_may_do_nothing(action):
    decision = policy.may(None, action, _sample(action))
    assert not decision and not decision.conflict
    with pytest.raises(policy.PolicyDenied):
        policy.require(None, action, _sample(action))


# --- Owners of one part only -------------------------------------------------------------------


def test_the_owner_of_a_key_result_works_on_it_but_not_on_its_objective():
    kr = key_result("draft")
    kr.objective.owner_id = LEADER  # someone else owns the objective
    owner = PEOPLE["owner"]
    assert policy.can(owner, Action.KEY_RESULT_EDIT, kr)
    assert policy.can(owner, Action.CHECK_IN, kr)
    assert not policy.can(owner, Action.OBJECTIVE_EDIT, kr.objective)
    assert not policy.can(owner, Action.KEY_RESULT_CREATE, kr.objective)


def test_the_owner_of_an_initiative_changes_it_on_someone_elses_key_result():
    item = initiative("approved")
    item.key_result.owner_id = item.key_result.objective.owner_id = LEADER
    assert policy.can(PEOPLE["owner"], Action.INITIATIVE_EDIT, item)
    assert not policy.can(PEOPLE["owner"], Action.INITIATIVE_CREATE, item.key_result)


def test_an_archived_key_result_of_a_live_objective_is_read_only():
    kr = key_result("approved", archived=True)
    decision = policy.may(PEOPLE["leader"], Action.KEY_RESULT_EDIT, kr)
    assert decision.conflict
    assert "archived" in str(decision.message)
    assert policy.may(PEOPLE["owner"], Action.CHECK_IN, kr).conflict


# --- Material changes --------------------------------------------------------------------------


def test_material_changes_count_only_values_that_differ():
    kr = key_result("approved")
    edit = Action.KEY_RESULT_EDIT
    assert policy.material_changes(edit, kr, {"title": "Nytt namn", "target_value": 5}) == []
    assert policy.material_changes(edit, kr, {"target_value": 2, "kind": "metric"}) == [
        Action.KEY_RESULT_CHANGE_TARGET
    ]
    assert policy.material_changes(edit, kr, {"direction": "decrease", "commitment": "x"}) == [
        Action.KEY_RESULT_CHANGE_DIRECTION,
        Action.KEY_RESULT_CHANGE_COMMITMENT,
    ]


def test_a_change_of_weight_is_material():
    """The weights say what the objective means: the lead's change goes back to leadership."""
    kr = key_result("approved")
    edit = Action.KEY_RESULT_EDIT
    assert policy.material_changes(edit, kr, {"weight": 1}) == []
    assert policy.material_changes(edit, kr, {"weight": 2}) == [Action.KEY_RESULT_CHANGE_WEIGHT]
    assert policy.may_change(PEOPLE["lead"], edit, kr, {"weight": 2}).reapproval
    assert not policy.may_change(PEOPLE["leader"], edit, kr, {"weight": 2}).reapproval
    assert not policy.may_change(PEOPLE["lead"], edit, kr, {"title": "Nytt"}).reapproval


def test_a_parent_is_compared_by_its_id():
    obj = objective("approved")
    same, other = SimpleNamespace(pk=7), SimpleNamespace(pk=8)
    edit = Action.OBJECTIVE_EDIT
    assert policy.material_changes(edit, obj, {"parent_key_result": same}) == []
    assert policy.material_changes(edit, obj, {"parent_key_result": other}) == [
        Action.OBJECTIVE_CHANGE_PARENT
    ]
    assert policy.material_changes(edit, obj, {"parent_key_result": None})


@pytest.mark.parametrize(
    ("who", "status", "fields", "expected"),
    [
        ("owner", "approved", {"title": "Bättre ord"}, "ok"),  # a text fix stays approved
        ("owner", "approved", {"target_value": 2}, "ok*"),  # Per's 5 -> 2 goes back to leadership
        ("lead", "approved", {"commitment": "aspirational"}, "ok*"),
        ("leader", "approved", {"target_value": 2}, "ok"),  # leadership's own change
        ("team", "approved", {"title": "Bättre ord"}, "409"),
        ("team", "draft", {"target_value": 2}, "ok"),  # drafts are not approved yet
        ("lead", "proposed", {"title": "x"}, "409"),
        ("other", "draft", {"title": "x"}, "403"),
    ],
)
def test_may_change(who, status, fields, expected):
    kr = key_result(status)
    decision = policy.may_change(PEOPLE[who], Action.KEY_RESULT_EDIT, kr, fields)
    assert outcome(decision) == expected


# --- Errors ----------------------------------------------------------------------------------------


def test_require_raises_one_typed_error_with_the_status_it_maps_to():
    with pytest.raises(policy.PolicyDenied) as denied:
        policy.require(PEOPLE["other"], Action.OBJECTIVE_EDIT, objective("draft"))
    assert denied.value.status_code == 403 and denied.value.code == "forbidden"
    with pytest.raises(policy.StateConflict) as conflict:
        policy.require(PEOPLE["lead"], Action.OBJECTIVE_EDIT, objective("proposed"))
    assert conflict.value.status_code == 409
    for error in (denied.value, conflict.value):
        assert isinstance(error, policy.PolicyError)
        assert isinstance(error, PermissionDenied)  # unmapped, it is still a 403, never a 500
        assert error.action == Action.OBJECTIVE_EDIT
    assert "read-only" in conflict.value.message
    assert policy.require(PEOPLE["lead"], Action.OBJECTIVE_EDIT, objective("draft")).allowed


def test_a_state_conflict_names_the_status_in_the_request_language():
    with translation.override("en"):
        decision = policy.may(PEOPLE["leader"], Action.OBJECTIVE_APPROVE, objective("draft"))
        assert str(decision.message) == (
            "The objective is draft now; reload to see its latest state."
        )
    with translation.override("sv"):
        message = str(policy.may(PEOPLE["admin"], Action.SETTINGS_EDIT).message or "")
        assert message == ""  # allowed: nothing to say
        message = str(policy.may(PEOPLE["leader"], Action.SETTINGS_EDIT).message)
        assert message == "Bara organisationens administratörer får göra detta."


# --- The person from a membership ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_membership_costs_one_query_then_none(cast, django_assert_num_queries):
    from tests.support.factories import (
        MembershipFactory,
        TeamFactory,
        TeamMembershipFactory,
        UserFactory,
    )

    person = UserFactory(email="tove@acme.example")
    membership = MembershipFactory(organisation=cast.org, user=person)
    team, other = TeamFactory(organisation=cast.org), TeamFactory(organisation=cast.org)
    elsewhere = TeamFactory(organisation=cast.other_org)
    TeamMembershipFactory(team=team, user=person, is_lead=True)
    TeamMembershipFactory(team=other, user=person)
    TeamMembershipFactory(team=elsewhere, user=person, is_lead=True)
    with django_assert_num_queries(1):
        assert policy.actor_of(membership).lead_team_ids == {team.pk}
        assert policy.actor_of(membership).team_ids == {team.pk, other.pk}
        assert policy.can(membership, Action.OBJECTIVES_SUBMIT, team)
        assert not policy.can(membership, Action.OBJECTIVES_SUBMIT, other)
    policy.forget(membership)
    with django_assert_num_queries(0):  # role-only answers never read the teams
        assert policy.can(membership, Action.EXPORT) is False
        assert policy.can(membership, Action.DEPENDENCY_CREATE)
    with django_assert_num_queries(1):
        assert policy.actor_of(membership).team_ids == {team.pk, other.pk}


@pytest.mark.django_db
def test_a_membership_read_with_its_teams_costs_no_query(cast, django_assert_num_queries):
    """``with_teams``: the request's membership brings the person's teams (a star for led ones),
    only this organisation's; ``forget`` reads them again after a change in the request."""
    from accounts.models import Membership, TeamMembership
    from tests.support.factories import (
        MembershipFactory,
        TeamFactory,
        TeamMembershipFactory,
        UserFactory,
    )

    person = UserFactory(email="tove@acme.example")
    MembershipFactory(organisation=cast.org, user=person)
    elsewhere = MembershipFactory(organisation=cast.other_org, user=person)
    team, other, third = (TeamFactory(organisation=cast.org) for _ in range(3))
    TeamMembershipFactory(team=team, user=person, is_lead=True)
    TeamMembershipFactory(team=other, user=person)
    theirs = TeamFactory(organisation=cast.other_org)
    TeamMembershipFactory(team=theirs, user=person)
    with django_assert_num_queries(1):
        membership = policy.with_teams(Membership.objects).get(organisation=cast.org, user=person)
        actor = policy.actor_of(membership)
        assert (actor.team_ids, actor.lead_team_ids) == ({team.pk, other.pk}, {team.pk})
        assert policy.can(membership, Action.OBJECTIVES_SUBMIT, team)
        assert not policy.can(membership, Action.OBJECTIVES_SUBMIT, other)
        assert policy.standing(membership) == (
            membership.role,
            tuple(sorted((team.pk, other.pk))),
            (team.pk,),
        )
    TeamMembershipFactory(team=third, user=person, is_lead=True)
    policy.forget(membership)
    with django_assert_num_queries(1):
        assert policy.actor_of(membership).lead_team_ids == {team.pk, third.pk}
    with django_assert_num_queries(1):
        there = policy.with_teams(Membership.objects).get(pk=elsewhere.pk)
        assert (policy.actor_of(there).team_ids, policy.actor_of(there).lead_team_ids) == (
            {theirs.pk},
            set(),
        )
    TeamMembership.objects.filter(team=theirs).delete()  # in no team at all
    with django_assert_num_queries(1):
        there = policy.with_teams(Membership.objects).get(pk=elsewhere.pk)
        assert policy.actor_of(there).team_ids == frozenset()


@pytest.mark.django_db
def test_a_page_asks_the_policy_of_the_team_without_reading_the_teams(cast, lead_client):
    """The membership query of ``get_organisation_for_user`` brings the teams: a lead's
    workshop, which asks the policy about the team, reads no team memberships of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = lead_client.get(f"/{cast.org.slug}/workshop/{cast.team.uuid}/")
    assert response.status_code == 200
    sql = [q["sql"] for q in queries.captured_queries]
    assert any('FROM "accounts_teammembership"' in q for q in sql)  # inside the membership's
    assert not [q for q in sql if q.startswith('SELECT "accounts_teammembership"."team_id"')]


@pytest.mark.parametrize("language", ["sv", "nb"])
def test_every_message_of_the_policy_is_translated(language):
    messages = [value for name, value in vars(policy).items() if name.startswith(("M_", "S_"))]
    assert len(messages) >= 20
    for message in messages:
        english = str(message)
        with translation.override(language):
            assert str(message) != english, english


def test_standing_is_what_the_rules_know_apart_from_who_someone_is():
    same_a = policy.Actor(OWNER, "member", frozenset({TEAM}))
    same_b = policy.Actor(OTHER, "member", frozenset({TEAM}))
    assert policy.standing(same_a) == policy.standing(same_b)  # different people, same answers
    assert policy.standing(PEOPLE["lead"]) != policy.standing(PEOPLE["team"])
    assert policy.standing(PEOPLE["admin"]) != policy.standing(PEOPLE["leader"])
    assert policy.standing(None) == policy.standing(policy.NOBODY)
    # Same standing: the same answer to every rule that does not ask about ownership.
    dependency = SimpleNamespace(needing_team_id=TEAM, delivering_team_id=OTHER_TEAM)
    assert policy.can(same_a, Action.DEPENDENCY_MANAGE, dependency) == policy.can(
        same_b, Action.DEPENDENCY_MANAGE, dependency
    )
