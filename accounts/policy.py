"""Who may do what: the one module that decides, for pages, the API, services and jobs.

``may(who, action, obj)`` answers with a ``Decision``; ``require(...)`` raises
``PolicyDenied`` (403: the person never may do this to this object) or
``StateConflict`` (409: they may, but not while the object is in this state).
Both are ``PolicyError``, a ``PermissionDenied``, carrying one translated message
that pages and the API show alike.

It decides from the person's role in the organisation (admin, leadership,
member), the teams they are in and lead, whether they own the object, and the
object's status. Objects are duck-typed so accounts never imports okr:
objectives have ``level``, ``status``, ``team_id``, ``owner_id``; key results
``owner_id``, ``archived`` and ``objective``; initiatives ``owner_id`` and
``key_result``; dependencies ``needing_team_id`` and ``delivering_team_id``;
reviews ``is_closed``; tokens ``user_id``; teams ``pk``.

The rules (README, "Tenancy and access"): everyone in the organisation reads
everything. Leadership sets strategic OKRs, approves team OKRs, runs reviews
and the quarter close. A team drafts its own OKRs (its members, its lead and
the owners), the lead submits them; once proposed they wait for leadership;
once approved the owner, the lead and leadership refine them, and a material
change (``MATERIAL_FIELDS``) by anyone but leadership needs approval again
(``Decision.reapproval``, ``needs_reapproval``). Admins manage settings, teams,
members and invitations; everyone manages their own API tokens.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, TeamMembership


class Action(enum.StrEnum):
    # Objectives and key results. ``obj``: the objective or key result; for
    # creating an objective the team (``None``: a strategic objective); for
    # creating a key result its objective.
    OBJECTIVE_CREATE = "objective.create"
    OBJECTIVE_EDIT = "objective.edit"
    OBJECTIVE_CHANGE_PARENT = "objective.change_parent"
    OBJECTIVE_REORDER = "objective.reorder"
    OBJECTIVE_ARCHIVE = "objective.archive"
    KEY_RESULT_CREATE = "key_result.create"
    KEY_RESULT_EDIT = "key_result.edit"
    KEY_RESULT_CHANGE_TARGET = "key_result.change_target"
    KEY_RESULT_CHANGE_KIND = "key_result.change_kind"
    KEY_RESULT_CHANGE_DIRECTION = "key_result.change_direction"
    KEY_RESULT_CHANGE_COMMITMENT = "key_result.change_commitment"
    KEY_RESULT_REORDER = "key_result.reorder"
    KEY_RESULT_ARCHIVE = "key_result.archive"
    KEY_RESULT_SET_STEPS = "key_result.set_steps"
    CHECK_IN = "key_result.check_in"
    INITIATIVE_CREATE = "initiative.create"  # obj: the key result
    INITIATIVE_EDIT = "initiative.edit"
    # The workshop and the approval queue. ``obj``: the team, or the objective.
    WORKSHOP_PARK = "workshop.park"
    OBJECTIVES_SUBMIT = "objective.submit"
    OBJECTIVE_APPROVE = "objective.approve"
    OBJECTIVE_REQUEST_CHANGES = "objective.request_changes"
    OBJECTIVES_APPROVE_TEAM = "objective.approve_team"
    # Alignment.
    DEPENDENCY_CREATE = "dependency.create"
    DEPENDENCY_MANAGE = "dependency.manage"
    # Reviews. ``obj``: the review (none to start one).
    REVIEW_START = "review.start"
    REVIEW_MOVE = "review.move"
    REVIEW_NOTE = "review.note"
    REVIEW_CLOSE = "review.close"
    # Closing a quarter. ``obj``: the cycle, score or objective.
    QUARTER_CLOSE = "quarter.close"
    SCORE_OVERRIDE = "score.override"
    RETROSPECTIVE_ADD = "retrospective.add"
    CARRY_OVER = "objective.carry_over"
    EXPORT = "organisation.export"
    # The organisation. ``obj`` for tokens: the token (none to make one).
    SETTINGS_EDIT = "organisation.settings"
    TEAMS_MANAGE = "organisation.teams"
    MEMBERS_MANAGE = "organisation.members"
    INVITE = "organisation.invite"
    TOKENS_MANAGE = "tokens.manage"


class Rel(enum.StrEnum):
    """What the person is to the object: the facts the rules are written in."""

    MEMBER = "member"  # anyone in the organisation
    ADMIN = "admin"
    LEADERSHIP = "leadership"  # admins too
    LEAD = "lead"  # leads the object's team
    TEAM = "team"  # is in the object's team (leads too)
    OWNER = "owner"  # owns the objective, the key result or the initiative (or the token)


# --- The person -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """A person as the policy sees them; built once per membership (one query)."""

    user_id: int | None
    role: str
    team_ids: frozenset[int] = frozenset()
    lead_team_ids: frozenset[int] = frozenset()

    @property
    def is_admin(self) -> bool:
        return self.role == Membership.Role.ADMIN

    @property
    def is_leadership(self) -> bool:
        return self.role in (Membership.Role.ADMIN, Membership.Role.LEADERSHIP)


NOBODY = Actor(user_id=None, role="")
"""Not a member: may do nothing (the pages and the API answer 404 before asking)."""


def actor_of(who) -> Actor:
    """The ``Actor`` of a membership (cached on it), an ``Actor`` as is, ``None`` as NOBODY."""
    if who is None:
        return NOBODY
    if isinstance(who, Actor):
        return who
    cached = getattr(who, "_policy_actor", None)
    if cached is None:
        rows = list(
            TeamMembership.objects.filter(
                user_id=who.user_id, team__organisation_id=who.organisation_id
            ).values_list("team_id", "is_lead")
        )
        cached = Actor(
            user_id=who.user_id,
            role=who.role,
            team_ids=frozenset(team_id for team_id, _lead in rows),
            lead_team_ids=frozenset(team_id for team_id, lead in rows if lead),
        )
        who._policy_actor = cached
    return cached


def forget(membership) -> None:
    """Drop the cached teams (after the person's teams or role changed in this request)."""
    for name in ("_policy_actor", "_lead_team_ids"):
        if hasattr(membership, name):
            delattr(membership, name)


def lead_team_ids(membership) -> frozenset[int]:
    """The teams this member leads (one query, cached on the membership)."""
    return actor_of(membership).lead_team_ids


def team_ids(membership) -> frozenset[int]:
    """The teams this member is in (one query, cached on the membership)."""
    return actor_of(membership).team_ids


# --- Decisions and errors ------------------------------------------------------------------------


class PolicyError(PermissionDenied):
    """A refusal by the policy: one translated message, the same on every page and in the API."""

    status_code = 403
    code = "forbidden"

    def __init__(self, message="", *, action: Action | None = None):
        self.message = str(message)
        self.action = action
        super().__init__(self.message)


class PolicyDenied(PolicyError):
    """The person may never do this to this object (403)."""


class StateConflict(PolicyError):
    """The person may do this, but not while the object is in its current state (409)."""

    status_code = 409
    code = "conflict"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    action: Action
    message: str = ""  # lazily translated; why not (empty when allowed)
    conflict: bool = False  # refused for the object's state, not the person
    reapproval: bool = False  # allowed, but the approved objective goes back to proposed

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def status_code(self) -> int:
        return 200 if self.allowed else (409 if self.conflict else 403)

    def raise_if_denied(self) -> Decision:
        if not self.allowed:
            error = StateConflict if self.conflict else PolicyDenied
            raise error(self.message, action=self.action)
        return self


# --- The rules -------------------------------------------------------------------------------------

L, LEAD, TEAM, OWNER = Rel.LEADERSHIP, Rel.LEAD, Rel.TEAM, Rel.OWNER
DRAFTERS = frozenset({L, LEAD, TEAM, OWNER})  # a draft is the team's work
STEWARDS = frozenset({L, LEAD, OWNER})  # who looks after an approved objective
LEADERSHIP = frozenset({L})
NONE: frozenset[Rel] = frozenset()

STATUSES = ("draft", "proposed", "changes_requested", "approved", "archived")
DRAFT, PROPOSED, CHANGES_REQUESTED, APPROVED, ARCHIVED = STATUSES
LIVE = (DRAFT, PROPOSED, CHANGES_REQUESTED, APPROVED)
TEAM_LEVEL, STRATEGIC_LEVEL = "team", "strategic"


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
TEAM_ARCHIVE = {
    DRAFT: DRAFTERS,
    CHANGES_REQUESTED: DRAFTERS,
    PROPOSED: LEADERSHIP,
    APPROVED: LEADERSHIP,
}
STRATEGIC_EDIT = _live(LEADERSHIP)

#: Fields whose change is "material": the target, kind, direction, commitment or parent.
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
    },
}
MATERIAL_ACTIONS = frozenset(
    action for fields in MATERIAL_FIELDS.values() for action in fields.values()
)

# Messages: who may (403), and why not now (409).
M_LEADERSHIP = _("Only leadership may do this.")
M_ADMIN = _("Only the organisation's admins may do this.")
M_NOT_MEMBER = _("You are not a member of this organisation.")
M_STRATEGIC = _("Only leadership may change strategic OKRs.")
M_TEAM_OBJECTIVE = _(
    "Only the team, the objective's owner and leadership may change this objective."
)
M_TEAM_KEY_RESULT = _("Only the team, the owners and leadership may change this key result.")
M_CREATE_TEAM = _("Only the team's members and leadership may add objectives to its quarter.")
M_CHECK_IN = _("Only the owner, the team lead and leadership check in on this key result.")
M_INITIATIVE = _("Only the team, the owners and leadership may change this initiative.")
M_WORKSHOP = _("Only the team's members and leadership may change its workshop.")
M_SUBMIT = _("Only the team lead and leadership submit the team's objectives.")
M_DEPENDENCY = _("Only leadership and the leads of either team may change this.")
M_TOKEN = _("You manage only your own tokens.")
S_PROPOSED = _(
    "This objective is proposed to leadership and read-only until leadership approves it "
    "or asks for changes."
)
S_APPROVED = _(
    "This objective is approved: now only its owner, the team lead and leadership change it."
)
S_APPROVED_ARCHIVE = _("This objective is approved: only leadership archives it now.")
S_ARCHIVED = _("This objective is archived: it can no longer be changed.")
S_KEY_RESULT_ARCHIVED = _("This key result is archived: it can no longer be changed.")
S_ONLY_TEAM_APPROVED = _("Only team objectives are approved.")
S_NOT_PROPOSED = _("The objective is %(status)s now; reload to see its latest state.")
S_REVIEW_CLOSED = _("This review is closed: its figures and decisions are frozen.")
S_STRATEGIC_STEPS = _("Only a strategic key result has quarterly steps.")


@dataclass(frozen=True)
class Rule:
    """``who`` may ever do it (else 403); ``by_state`` who may in each state (else 409)."""

    who: frozenset[Rel]
    denied: str
    by_state: Mapping[str, frozenset[Rel]] | None = None  # None: the state does not matter
    state: str = ""
    conflicts: Mapping[str, str] = field(default_factory=dict)

    def decide(self, action: Action, rels: frozenset[Rel]) -> Decision:
        if not rels & self.who:
            return Decision(False, action, self.denied)
        if self.by_state is not None and not rels & self.by_state.get(self.state, NONE):
            message = self.conflicts.get(self.state) or self.conflicts.get("*", "")
            return Decision(False, action, message, conflict=True)
        return Decision(True, action)


def _status_label(status: str) -> str:
    labels = {
        DRAFT: _("Draft"),
        PROPOSED: _("Proposed"),
        CHANGES_REQUESTED: _("Changes requested"),
        APPROVED: _("Approved"),
        ARCHIVED: _("Archived"),
    }
    return str(labels.get(status, status)).lower()


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
    on_key_result = action != Action.KEY_RESULT_CREATE and action.value.startswith(
        ("key_result.", "initiative.")
    )
    if objective.level != TEAM_LEVEL:
        who, table, denied = LEADERSHIP, STRATEGIC_EDIT, M_STRATEGIC
        if action in (Action.CHECK_IN, Action.INITIATIVE_CREATE, Action.INITIATIVE_EDIT):
            who, table = STEWARDS, _live(STEWARDS)  # the owner works on a strategic key result
            denied = M_CHECK_IN if action == Action.CHECK_IN else M_INITIATIVE
        return Rule(who, denied, table, status, {ARCHIVED: archived})
    conflicts = {PROPOSED: S_PROPOSED, APPROVED: S_APPROVED, ARCHIVED: archived}
    denied = M_TEAM_KEY_RESULT if on_key_result else M_TEAM_OBJECTIVE
    if action == Action.OBJECTIVE_ARCHIVE:
        conflicts[APPROVED] = S_APPROVED_ARCHIVE
        return Rule(DRAFTERS, denied, TEAM_ARCHIVE, status, conflicts)
    if action == Action.OBJECTIVE_REORDER:
        return Rule(DRAFTERS, denied, _live(DRAFTERS), status, conflicts)
    if action == Action.CHECK_IN:
        return Rule(STEWARDS, M_CHECK_IN, _live(STEWARDS), status, conflicts)
    if action in (Action.INITIATIVE_CREATE, Action.INITIATIVE_EDIT):
        # Initiatives are the work behind a key result: the team adds them while it works.
        return Rule(DRAFTERS, M_INITIATIVE, _live(DRAFTERS), status, conflicts)
    return Rule(DRAFTERS, denied, TEAM_EDIT, status, conflicts)


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
    }
)
ADMIN_ACTIONS = frozenset(
    {Action.SETTINGS_EDIT, Action.TEAMS_MANAGE, Action.MEMBERS_MANAGE, Action.INVITE}
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
    if action == Action.WORKSHOP_PARK:
        return Rule(frozenset({L, LEAD, TEAM}), M_WORKSHOP), _relations(actor, team_id=obj.pk)
    if action == Action.OBJECTIVES_SUBMIT:
        return Rule(frozenset({L, LEAD}), M_SUBMIT), _relations(actor, team_id=obj.pk)
    if action in (Action.OBJECTIVE_APPROVE, Action.OBJECTIVE_REQUEST_CHANGES):
        rels = _relations(actor)
        if obj.level != TEAM_LEVEL:
            return Rule(LEADERSHIP, M_LEADERSHIP, {}, obj.status, {"*": S_ONLY_TEAM_APPROVED}), rels
        message = S_NOT_PROPOSED % {"status": _status_label(obj.status)}
        return Rule(
            LEADERSHIP, M_LEADERSHIP, {PROPOSED: LEADERSHIP}, obj.status, {"*": message}
        ), rels
    if action == Action.KEY_RESULT_SET_STEPS:
        level = obj.objective.level
        state = "live" if level == STRATEGIC_LEVEL and not obj.archived else "other"
        conflicts = {"other": S_KEY_RESULT_ARCHIVED if obj.archived else S_STRATEGIC_STEPS}
        return Rule(LEADERSHIP, M_LEADERSHIP, {"live": LEADERSHIP}, state, conflicts), _relations(
            actor
        )
    if action in (Action.REVIEW_MOVE, Action.REVIEW_NOTE):
        state = "closed" if obj.is_closed else "open"
        rule = Rule(LEADERSHIP, M_LEADERSHIP, {"open": LEADERSHIP}, state, {"*": S_REVIEW_CLOSED})
        return rule, _relations(actor)
    if action == Action.DEPENDENCY_CREATE:
        return Rule(frozenset({Rel.MEMBER}), M_NOT_MEMBER), _relations(actor)
    if action == Action.DEPENDENCY_MANAGE:
        rels = _relations(actor, team_id=obj.needing_team_id) | _relations(
            actor, team_id=obj.delivering_team_id
        )
        return Rule(frozenset({L, LEAD}), M_DEPENDENCY), rels
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


def flags(who, obj, **actions: Action) -> dict[str, bool]:
    """Several ``can`` answers for a template: ``flags(m, kr, can_edit=Action.KEY_RESULT_EDIT)``."""
    return {name: can(who, action, obj) for name, action in actions.items()}


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


def is_material_change(action: Action | str, obj, fields: Mapping) -> bool:
    return bool(material_changes(action, obj, fields))


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


def needs_reapproval(who, action: Action | str, obj, fields: Mapping) -> bool:
    """Does this allowed change send an approved team objective back to proposed?"""
    return may_change(who, action, obj, fields).reapproval


# --- The former helpers (kept until every caller asks ``may``) --------------------------------------


def can_edit_strategic(membership) -> bool:
    return membership.is_leadership


def can_edit_objective(membership, objective) -> bool:
    if membership.is_leadership:
        return True
    if objective.level == "strategic":
        return False
    return objective.owner_id == membership.user_id or objective.team_id in lead_team_ids(
        membership
    )


def can_edit_key_result(membership, key_result, objective=None) -> bool:
    """Owners, the objective's team lead, and leadership."""
    if membership.is_leadership or key_result.owner_id == membership.user_id:
        return True
    objective = objective or key_result.objective
    return objective.team_id is not None and objective.team_id in lead_team_ids(membership)


can_check_in = can_edit_key_result
