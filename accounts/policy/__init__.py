"""Who may do what: the one module that decides, for pages, the API, services and jobs.

``may(who, action, obj)`` answers with a ``Decision``; ``require`` raises ``PolicyDenied``
(403: this person never may) or ``StateConflict`` (409: not in the object's state),
both ``PolicyError`` (a ``PermissionDenied``) with one translated message that pages
and the API show alike. Services call ``enforce(author, ...)``; pages ask ``can``.

It decides from the role (admin, leadership, member), the teams a person is in and
leads, ownership and the object's status. Objects are duck-typed, so accounts never
imports okr: objectives have ``level``, ``status``, ``team_id``, ``owner_id``; key
results ``owner_id``, ``archived``, ``objective``; initiatives ``owner_id``,
``key_result``; dependencies ``needing_team_id``, ``delivering_team_id``; reviews
``is_closed``; tokens ``user_id``; teams ``pk``.

The rules (README, "Tenancy and access"): everyone reads everything. Leadership sets
strategic OKRs, approves team OKRs, runs reviews and the quarter close. A team drafts
its OKRs (its members, lead and the owners) and the lead submits them; proposed, they
wait for leadership; approved, the owner, the lead and leadership refine them, and a
material change (``MATERIAL_FIELDS``) by anyone but leadership needs approval again
(``Decision.reapproval``). Admins manage settings, teams, members and invitations;
everyone manages their own API tokens. Personal OKRs (the pilot, okr/personal): a
person writes them under their own teams' OKRs; only the owner changes them and checks
in, leadership may archive them; never approved.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

from accounts.policy.actions import Action
from accounts.policy.actors import (
    NOBODY,
    Actor,
    Rel,
    actor_for,
    actor_of,
    forget,
    person,
    remember,
    standing,
    with_teams,
)
from accounts.policy.decisions import Decision, PolicyDenied, PolicyError, StateConflict
from accounts.policy.messages import (
    M_ACTION_DONE,
    M_ADMIN,
    M_CHAT_HOOK,
    M_CHECK_IN,
    M_COMMENT_DELETE,
    M_COMMENT_EDIT,
    M_CREATE_PERSONAL,
    M_CREATE_TEAM,
    M_DEPENDENCY,
    M_IMPORT_STRATEGIC,
    M_IMPORT_TEAM,
    M_INITIATIVE,
    M_LEADERSHIP,
    M_NOT_MEMBER,
    M_PERSONAL,
    M_STRATEGIC,
    M_SUBMIT,
    M_TEAM_KEY_RESULT,
    M_TEAM_OBJECTIVE,
    M_TOKEN,
    M_WORKSHOP,
    S_APPROVED,
    S_APPROVED_ARCHIVE,
    S_ARCHIVED,
    S_COMMENT_REMOVED,
    S_KEY_RESULT_ARCHIVED,
    S_NOT_PROPOSED,
    S_ONLY_TEAM_APPROVED,
    S_PROPOSED,
    S_REVIEW_CLOSED,
)

__all__ = [
    "NOBODY",
    "Action",
    "Actor",
    "Decision",
    "PolicyDenied",
    "PolicyError",
    "Rel",
    "StateConflict",
    "actor_for",
    "actor_of",
    "forget",
    "person",
    "remember",
    "standing",
    "with_teams",
]


# --- The rules -------------------------------------------------------------------------------------

L, LEAD, TEAM, OWNER = Rel.LEADERSHIP, Rel.LEAD, Rel.TEAM, Rel.OWNER
DRAFTERS = frozenset({L, LEAD, TEAM, OWNER})  # a draft is the team's work
STEWARDS = frozenset({L, LEAD, OWNER})  # who looks after an approved objective
LEADERSHIP = frozenset({L})
NONE: frozenset[Rel] = frozenset()

STATUSES = ("draft", "proposed", "changes_requested", "approved", "archived")
DRAFT, PROPOSED, CHANGES_REQUESTED, APPROVED, ARCHIVED = STATUSES
LIVE = (DRAFT, PROPOSED, CHANGES_REQUESTED, APPROVED)
TEAM_LEVEL = "team"
PERSONAL_LEVEL = "personal"  # a person's own OKR (okr/personal): the owner's, never approved


def _live(who: frozenset[Rel]) -> dict[str, frozenset[Rel]]:
    """Every status but archived."""
    return {status: who for status in LIVE}


#: Who may change a team objective (its text, parent, key results), by status.
TEAM_EDIT = {
    DRAFT: DRAFTERS,
    CHANGES_REQUESTED: DRAFTERS,
    PROPOSED: LEADERSHIP,  # frozen while leadership decides
    APPROVED: STEWARDS,
}
TEAM_ARCHIVE = {**TEAM_EDIT, APPROVED: LEADERSHIP}  # an approved objective is leadership's
STRATEGIC_EDIT = _live(LEADERSHIP)

#: Fields whose change is "material": the target, kind, direction, commitment, weight or parent.
MATERIAL_FIELDS: Mapping[Action, Mapping[str, Action]] = {
    Action.OBJECTIVE_EDIT: {
        "parent_objective": Action.OBJECTIVE_CHANGE_PARENT,
        "parent_key_result": Action.OBJECTIVE_CHANGE_PARENT,
        "alignment": Action.OBJECTIVE_CHANGE_PARENT,  # direct or indirect: how it feeds the parent
    },
    Action.KEY_RESULT_EDIT: {
        "start_value": Action.KEY_RESULT_CHANGE_TARGET,
        "target_value": Action.KEY_RESULT_CHANGE_TARGET,
        "unit": Action.KEY_RESULT_CHANGE_TARGET,
        "due_date": Action.KEY_RESULT_CHANGE_TARGET,
        "steps_total": Action.KEY_RESULT_CHANGE_TARGET,
        "kind": Action.KEY_RESULT_CHANGE_KIND,
        "direction": Action.KEY_RESULT_CHANGE_DIRECTION,
        "commitment": Action.KEY_RESULT_CHANGE_COMMITMENT,
        # Material: the weights say how much each key result counts towards the objective,
        # so changing one changes what the approved objective means and how it will score
        # (moving weight onto the key result that happens to go well is the change
        # leadership should see). The engine reads them everywhere (okr.lib.progress).
        "weight": Action.KEY_RESULT_CHANGE_WEIGHT,
    },
}
MATERIAL_ACTIONS = frozenset(
    action for fields in MATERIAL_FIELDS.values() for action in fields.values()
)


@dataclass(frozen=True)
class Rule:
    """``who`` may ever do it (else 403); ``by_state`` who may in each state (else 409)."""

    who: frozenset[Rel]
    denied: str
    by_state: Mapping[str, frozenset[Rel]] | None = None  # None: the state does not matter
    state: str = ""
    conflicts: Mapping[str, str] = field(default_factory=dict)
    code: str = "conflict"  # the API's name for the state that refuses

    def decide(self, action: Action, rels: frozenset[Rel]) -> Decision:
        if not rels & self.who:
            return Decision(False, action, self.denied, code=PolicyDenied.code)
        if self.by_state is not None and not rels & self.by_state.get(self.state, NONE):
            message = self.conflicts.get(self.state) or self.conflicts.get("*", "")
            return Decision(False, action, message, conflict=True, code=self.code)
        return Decision(True, action)


def _relations(actor: Actor, *, team_id=None, owner_ids=()) -> frozenset[Rel]:
    if actor.user_id is None:
        return NONE
    rels = {Rel.MEMBER}
    if actor.is_admin:
        rels.add(Rel.ADMIN)
    if actor.is_leadership:
        rels.add(Rel.LEADERSHIP)
    if team_id is not None:
        if team_id in actor.lead_team_ids:
            rels.add(Rel.LEAD)
        if team_id in actor.team_ids or team_id in actor.lead_team_ids:
            rels.add(Rel.TEAM)
    if actor.user_id in owner_ids:
        rels.add(Rel.OWNER)
    return frozenset(rels)


def _okr_rule(action: Action, objective, *, archived_kr: bool = False) -> Rule:
    """The rules for changing an objective or one of its key results."""
    status = ARCHIVED if archived_kr else objective.status
    archived = S_KEY_RESULT_ARCHIVED if archived_kr else S_ARCHIVED
    code = "key_result_archived" if archived_kr else f"objective_{status}"
    on_key_result = action != Action.KEY_RESULT_CREATE and action.value.startswith(
        ("key_result.", "initiative.")
    )
    if objective.level == PERSONAL_LEVEL:
        # Its owner writes, checks in and archives it; leadership may archive it too.
        owner = frozenset({OWNER})
        who = owner | LEADERSHIP if action == Action.OBJECTIVE_ARCHIVE else owner
        return Rule(who, M_PERSONAL, _live(who), status, {ARCHIVED: archived}, code)
    if objective.level != TEAM_LEVEL:
        who, table, denied = LEADERSHIP, STRATEGIC_EDIT, M_STRATEGIC
        if action in (Action.CHECK_IN, Action.INITIATIVE_CREATE, Action.INITIATIVE_EDIT):
            who, table = STEWARDS, _live(STEWARDS)  # the owner works on a strategic key result
            denied = M_CHECK_IN if action == Action.CHECK_IN else M_INITIATIVE
        return Rule(who, denied, table, status, {ARCHIVED: archived}, code)
    conflicts = {PROPOSED: S_PROPOSED, APPROVED: S_APPROVED, ARCHIVED: archived}
    denied = M_TEAM_KEY_RESULT if on_key_result else M_TEAM_OBJECTIVE
    if action == Action.OBJECTIVE_ARCHIVE:
        conflicts[APPROVED] = S_APPROVED_ARCHIVE
        return Rule(DRAFTERS, denied, TEAM_ARCHIVE, status, conflicts, code)
    if action == Action.OBJECTIVE_REORDER:
        return Rule(DRAFTERS, denied, _live(DRAFTERS), status, conflicts, code)
    if action == Action.CHECK_IN:
        return Rule(STEWARDS, M_CHECK_IN, _live(STEWARDS), status, conflicts, code)
    if action in (Action.INITIATIVE_CREATE, Action.INITIATIVE_EDIT):
        # Initiatives are the work behind a key result: the team adds them while it works.
        return Rule(DRAFTERS, M_INITIATIVE, _live(DRAFTERS), status, conflicts, code)
    return Rule(DRAFTERS, denied, TEAM_EDIT, status, conflicts, code)


def _okr_facts(action: Action, obj):
    """(objective, owner ids, is the key result archived) of the object of an OKR action."""
    if action == Action.INITIATIVE_EDIT:
        kr, objective = obj.key_result, obj.key_result.objective
        return objective, (obj.owner_id, kr.owner_id, objective.owner_id), bool(kr.archived)
    if action == Action.KEY_RESULT_CREATE or not action.value.startswith(
        ("key_result.", "initiative.")
    ):
        return obj, (obj.owner_id,), False  # the objective (for a new key result: its parent)
    objective = obj.objective  # a key result (for a new initiative: its key result)
    return objective, (obj.owner_id, objective.owner_id), bool(obj.archived)


#: The actions on an objective, a key result or an initiative, decided by ``_okr_rule``.
OKR_ACTIONS = frozenset(
    action
    for action in Action
    if action.value.startswith(("objective.", "key_result.", "initiative."))
) - {
    Action.OBJECTIVE_CREATE,
    Action.OBJECTIVES_SUBMIT,
    Action.OBJECTIVE_APPROVE,
    Action.OBJECTIVE_REQUEST_CHANGES,
    Action.OBJECTIVES_APPROVE_TEAM,
    Action.CARRY_OVER,
    Action.KEY_RESULT_SET_STEPS,
}
LEADERSHIP_ACTIONS = frozenset(
    {
        Action.OBJECTIVES_APPROVE_TEAM,
        Action.REVIEW_START,
        Action.REVIEW_CLOSE,  # closing twice changes nothing
        Action.QUARTER_CLOSE,
        Action.SCORE_OVERRIDE,
        Action.RETROSPECTIVE_ADD,
        Action.CARRY_OVER,  # which objectives may be carried is the service's validation
        Action.EXPORT,
        Action.KEY_RESULT_SET_STEPS,  # which key results have steps: the service's validation
        Action.YEAR_START_NEXT,  # which year is next: the service's validation
        Action.YEAR_CARRY_ON,
        Action.YEAR_PUBLISH,
    }
)
ADMIN_ACTIONS = frozenset(
    {
        Action.SETTINGS_EDIT,
        Action.TEAMS_MANAGE,
        Action.MEMBERS_MANAGE,
        Action.INVITE,
        Action.BOARD_LINKS_MANAGE,  # the kitchen board's secret links
        Action.SSO_MANAGE,  # single sign-on: read and change the provider
        Action.AUDIT_READ,  # the audit log: read and download (nobody changes it)
        Action.WEBHOOKS_MANAGE,  # signed webhooks: endpoints, secrets, delivery log
        Action.ORGANISATION_DELETE,  # ask for the organisation's deletion, or undo it
        Action.EXPORT_ORGANISATION,  # everything of the organisation in one document
    }
)


def _rule(actor: Actor, action: Action, obj) -> tuple[Rule, frozenset[Rel]]:
    if action in OKR_ACTIONS:
        objective, owners, archived_kr = _okr_facts(action, obj)
        rels = _relations(actor, team_id=objective.team_id, owner_ids=owners)
        return _okr_rule(action, objective, archived_kr=archived_kr), rels
    if action == Action.OBJECTIVE_CREATE:
        team_id = getattr(obj, "pk", None)
        if team_id is None:
            return Rule(LEADERSHIP, M_STRATEGIC), _relations(actor)
        return Rule(frozenset({L, LEAD, TEAM}), M_CREATE_TEAM), _relations(actor, team_id=team_id)
    if action == Action.OKR_IMPORT:  # as creating the objectives the rows hold
        team_id = getattr(obj, "pk", None)
        if team_id is None:
            return Rule(LEADERSHIP, M_IMPORT_STRATEGIC), _relations(actor)
        return Rule(frozenset({L, LEAD, TEAM}), M_IMPORT_TEAM), _relations(actor, team_id=team_id)
    if action == Action.PERSONAL_OKR_CREATE:
        # Under one of the person's own teams' OKRs (whether the pilot is on: okr.personal).
        rels = _relations(actor, team_id=getattr(obj, "pk", None))
        return Rule(frozenset({TEAM}), M_CREATE_PERSONAL), rels
    if action == Action.WORKSHOP_PARK:
        return Rule(frozenset({L, LEAD, TEAM}), M_WORKSHOP), _relations(actor, team_id=obj.pk)
    if action == Action.OBJECTIVES_SUBMIT:
        return Rule(frozenset({L, LEAD}), M_SUBMIT), _relations(actor, team_id=obj.pk)
    if action in (Action.OBJECTIVE_APPROVE, Action.OBJECTIVE_REQUEST_CHANGES):
        rels = _relations(actor)
        if obj.level != TEAM_LEVEL:
            conflicts = {"*": S_ONLY_TEAM_APPROVED}
            return Rule(LEADERSHIP, M_LEADERSHIP, {}, "", conflicts, "not_team_objective"), rels
        label = getattr(obj, "get_status_display", lambda: obj.status)().lower()
        conflicts = {"*": S_NOT_PROPOSED % {"status": label}}
        table = {PROPOSED: LEADERSHIP}
        code = f"objective_{obj.status}"
        return Rule(LEADERSHIP, M_LEADERSHIP, table, obj.status, conflicts, code), rels
    if action in (Action.REVIEW_MOVE, Action.REVIEW_NOTE):
        state = "closed" if obj.is_closed else "open"
        conflicts = {"*": S_REVIEW_CLOSED}
        rule = Rule(
            LEADERSHIP, M_LEADERSHIP, {"open": LEADERSHIP}, state, conflicts, "review_closed"
        )
        return rule, _relations(actor)
    if action == Action.REVIEW_ACTION_DONE:
        # Carrying a decision out outlives the review: its owner or leadership, at any time.
        return Rule(frozenset({L, OWNER}), M_ACTION_DONE), _relations(
            actor, owner_ids=(obj.owner_id,)
        )
    if action == Action.DEPENDENCY_CREATE:
        return Rule(frozenset({Rel.MEMBER}), M_NOT_MEMBER), _relations(actor)
    if action == Action.DEPENDENCY_MANAGE:
        rels = _relations(actor, team_id=obj.needing_team_id) | _relations(
            actor, team_id=obj.delivering_team_id
        )
        return Rule(frozenset({L, LEAD}), M_DEPENDENCY), rels
    if action == Action.COMMENT_CREATE:
        return Rule(frozenset({Rel.MEMBER}), M_NOT_MEMBER), _relations(actor)
    if action in (Action.COMMENT_EDIT, Action.COMMENT_DELETE):
        # The author edits and removes their own; admins remove any (moderation).
        deleting = action == Action.COMMENT_DELETE
        who = frozenset({OWNER, Rel.ADMIN} if deleting else {OWNER})
        denied = M_COMMENT_DELETE if deleting else M_COMMENT_EDIT
        state = "removed" if obj.deleted else "live"
        conflicts = {"*": S_COMMENT_REMOVED}
        rule = Rule(who, denied, {"live": who}, state, conflicts, "comment_removed")
        return rule, _relations(actor, owner_ids=(obj.author_id,))
    if action == Action.CHAT_HOOKS_MANAGE:
        # A team's hook: its leads too; the organisation's hooks (obj without a team): admins.
        team_id = getattr(obj, "team_id", getattr(obj, "pk", None)) if obj is not None else None
        if team_id is None:
            return Rule(frozenset({Rel.ADMIN}), M_ADMIN), _relations(actor)
        return Rule(frozenset({Rel.ADMIN, LEAD}), M_CHAT_HOOK), _relations(actor, team_id=team_id)
    if action == Action.TOKENS_MANAGE:
        owner = actor.user_id if obj is None else obj.user_id
        return Rule(frozenset({OWNER}), M_TOKEN), _relations(actor, owner_ids=(owner,))
    if action in LEADERSHIP_ACTIONS:
        return Rule(LEADERSHIP, M_LEADERSHIP), _relations(actor)
    if action in ADMIN_ACTIONS:
        return Rule(frozenset({Rel.ADMIN}), M_ADMIN), _relations(actor)
    raise ValueError(f"No rule for {action!r}")


# --- Asking --------------------------------------------------------------------------------------


def may(who, action: Action | str, obj=None) -> Decision:
    """May ``who`` (a membership, an ``Actor`` or ``None``) do ``action`` to ``obj``?"""
    action = Action(action)
    actor = actor_of(who)
    if actor.user_id is None:
        return Decision(False, action, M_NOT_MEMBER)
    rule, rels = _rule(actor, action, obj)
    decision = rule.decide(action, rels)
    if decision.allowed and action in MATERIAL_ACTIONS and _reapproval(rels, obj, action):
        return Decision(True, action, reapproval=True)
    return decision


def can(who, action: Action | str, obj=None) -> bool:
    """For pages: show the control?"""
    return may(who, action, obj).allowed


def require(who, action: Action | str, obj=None) -> Decision:
    """``may``, raising ``PolicyDenied`` (403) or ``StateConflict`` (409) when it is no."""
    return may(who, action, obj).raise_if_denied()


# --- Material changes ------------------------------------------------------------------------------


def _current(obj, name: str):
    if hasattr(obj, f"{name}_id"):
        return getattr(obj, f"{name}_id")
    return getattr(obj, name, None)


def _new(obj, name: str, value):
    if hasattr(obj, f"{name}_id"):
        return getattr(value, "pk", value)
    return value


def material_changes(action: Action | str, obj, fields: Mapping) -> list[Action]:
    """The material actions a change of ``fields`` on ``obj`` amounts to (only values that differ).

    ``action`` is ``OBJECTIVE_EDIT`` or ``KEY_RESULT_EDIT``.
    """
    found: list[Action] = []
    for name, material in MATERIAL_FIELDS.get(Action(action), {}).items():
        changed = name in fields and _new(obj, name, fields[name]) != _current(obj, name)
        if changed and material not in found:
            found.append(material)
    return found


def _reapproval(rels: frozenset[Rel], obj, action: Action) -> bool:
    objective = obj.objective if action.value.startswith("key_result.") else obj
    return (
        objective.level == TEAM_LEVEL
        and objective.status == APPROVED
        and Rel.LEADERSHIP not in rels
    )


def may_change(who, action: Action | str, obj, fields: Mapping) -> Decision:
    """May ``who`` save ``fields`` on ``obj`` (``OBJECTIVE_EDIT`` or ``KEY_RESULT_EDIT``)?

    Checks the edit and each material change it amounts to; ``reapproval`` is
    set when an approved team objective must go back to leadership.
    """
    decision = may(who, action, obj)
    if not decision:
        return decision
    for material in material_changes(action, obj, fields):
        decision = may(who, material, obj)
        if not decision or decision.reapproval:
            return decision
    return decision


def require_change(who, action: Action | str, obj, fields: Mapping) -> Decision:
    return may_change(who, action, obj, fields).raise_if_denied()


# --- In the services -------------------------------------------------------------------------------


def _organisation_id(obj, organisation) -> int:
    if organisation is not None:
        return getattr(organisation, "pk", organisation)
    return obj.organisation_id  # every tenant row carries its organisation


_SYSTEM = contextvars.ContextVar("policy_system", default=False)


@contextmanager
def as_system() -> Iterator[None]:
    """The system itself writes (the demo loader replaying history): ``enforce`` checks no one.

    The authors it records are history, not the people acting now.
    """
    token = _SYSTEM.set(True)
    try:
        yield
    finally:
        _SYSTEM.reset(token)


def enforce(author, action: Action | str, obj=None, *, organisation=None) -> Decision:
    """What a service does first: ``require`` for the person who acts (``author``).

    ``author`` ``None`` (or inside ``as_system``) is the system itself (jobs, the
    demo, imports): nothing is checked. ``organisation`` (or its id) when ``obj``
    does not carry it.
    """
    if author is None or _SYSTEM.get():
        return Decision(True, Action(action))
    actor = actor_for(author, _organisation_id(obj, organisation))
    return require(actor, action, obj)


def enforce_change(author, action: Action | str, obj, fields: Mapping) -> Decision:
    """``require_change`` for a service's author; ``.reapproval`` says what the change means."""
    if author is None or _SYSTEM.get():
        return Decision(True, Action(action))
    return require_change(actor_for(author, _organisation_id(obj, None)), action, obj, fields)
