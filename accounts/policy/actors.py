"""The person as the policy sees them: their role, teams and what they are to an object."""

from __future__ import annotations

import enum

from django.db import connections
from django.db.models import CharField
from django.db.models.expressions import RawSQL

from accounts.models import Membership, Team, TeamMembership


class Rel(enum.StrEnum):
    """What the person is to the object: the facts the rules are written in."""

    MEMBER = "member"  # anyone in the organisation
    ADMIN = "admin"
    LEADERSHIP = "leadership"  # admins too
    LEAD = "lead"  # leads the object's team
    TEAM = "team"  # is in the object's team (leads too)
    OWNER = "owner"  # owns the objective, the key result or the initiative (or the token)


# --- The person -------------------------------------------------------------------------------


class Actor:
    """A person as the policy sees them. Their teams are read once (one query), and only
    when a rule first needs them: role-only answers (the menu, say) cost nothing."""

    def __init__(self, user_id, role, team_ids=frozenset(), lead_team_ids=frozenset(), *, of=None):
        self.user_id, self.role, self._of = user_id, role, of
        self._teams = None if of is not None else (frozenset(team_ids), frozenset(lead_team_ids))

    def _load(self) -> tuple[frozenset[int], frozenset[int]]:
        if self._teams is None:
            rows = TeamMembership.objects.filter(
                user_id=self.user_id, team__organisation_id=self._of.organisation_id
            ).values_list("team_id", "is_lead")
            rows = list(rows)
            self._teams = (
                frozenset(t for t, _lead in rows),
                frozenset(t for t, lead in rows if lead),
            )
        return self._teams

    @property
    def team_ids(self) -> frozenset[int]:
        return self._load()[0]

    @property
    def lead_team_ids(self) -> frozenset[int]:
        return self._load()[1]

    @property
    def is_admin(self) -> bool:
        return self.role == Membership.Role.ADMIN

    @property
    def is_leadership(self) -> bool:
        return self.role in (Membership.Role.ADMIN, Membership.Role.LEADERSHIP)


NOBODY = Actor(user_id=None, role="")
"""Not a member: may do nothing (the pages and the API answer 404 before asking)."""


def with_teams(memberships):
    """``memberships`` with each person's teams in the same query (``TEAMS``: "12*,15", a star
    for the teams they lead), so the request's ``Actor`` costs no query of its own.

    Every page's membership query carries it, so it is one SQL subquery (the only change
    between databases is the aggregate's name): built with the ORM's expressions it cost
    three times as much to compile per request (1 ms) as the query took to run.
    """
    db = connections[memberships.db]
    aggregate = "string_agg" if db.vendor == "postgresql" else "group_concat"
    table = {
        "team_membership": db.ops.quote_name(TeamMembership._meta.db_table),
        "team": db.ops.quote_name(Team._meta.db_table),
    }
    membership = db.ops.quote_name(Membership._meta.db_table)
    # Only constants go in: table names and the aggregate's; no value from outside.
    sql = _TEAMS_SQL.format(aggregate=aggregate, membership=membership, **table)  # noqa: S608
    return memberships.annotate(**{TEAMS: RawSQL(sql, (), output_field=CharField())})  # noqa: S611


_TEAMS_SQL = (
    "SELECT {aggregate}(CAST(tm.team_id AS TEXT) || CASE WHEN tm.is_lead THEN '*' ELSE '' END,"
    " ',') FROM {team_membership} tm JOIN {team} t ON t.id = tm.team_id"
    " WHERE tm.user_id = {membership}.user_id AND t.organisation_id = {membership}.organisation_id"
)

#: The annotation ``with_teams`` adds; a membership without it reads its teams when first asked.
TEAMS = "policy_teams"


def _read_teams(text: str | None) -> tuple[list[int], list[int]]:
    items = [item for item in (text or "").split(",") if item]
    return [int(item.rstrip("*")) for item in items], [
        int(item[:-1]) for item in items if item.endswith("*")
    ]


def actor_of(who) -> Actor:
    """The ``Actor`` of a membership (cached on it), an ``Actor`` as is, ``None`` as NOBODY."""
    if who is None:
        return NOBODY
    if isinstance(who, Actor):
        return who
    cached = getattr(who, "_policy_actor", None)
    if cached is None:
        if TEAMS in who.__dict__:  # read with the membership (``with_teams``)
            cached = Actor(who.user_id, who.role, *_read_teams(who.__dict__.pop(TEAMS)))
        else:
            cached = Actor(who.user_id, who.role, of=who)
        who._policy_actor = cached
    return cached


def standing(who) -> tuple:
    """What the rules know of a person apart from who they are: role, teams, teams led.

    Two people with the same standing get the same answer to every question
    that does not ask whether they own the object (``Rel.OWNER``). A part of a
    page cached for everyone who sees the same controls keys on this, so a
    lead never gets a copy rendered for leadership, nor the other way round.
    """
    actor = actor_of(who)
    if actor.user_id is None:
        return ("",)
    return (actor.role, tuple(sorted(actor.team_ids)), tuple(sorted(actor.lead_team_ids)))


def forget(membership) -> None:
    """Drop the cached teams (after the person's teams or role changed in this request)."""
    membership.__dict__.pop("_policy_actor", None)


def actor_for(user, organisation_id: int) -> Actor:
    """The ``Actor`` of a user in an organisation: what a service checks its ``author`` as.

    The request's membership (``accounts.access`` remembers it on the user) is used
    when it is for this organisation; else it is read (two queries).
    """
    membership = getattr(user, "_policy_membership", None)
    if membership is None or membership.organisation_id != organisation_id:
        membership = Membership.objects.filter(user=user, organisation_id=organisation_id).first()
    return actor_of(membership)


def person(user) -> Actor:
    """A signed-in user outside any organisation: enough for their own tokens."""
    return Actor(user_id=user.pk, role="")


def remember(user, membership) -> None:
    """Let the services find the request's membership from its user (``actor_for``)."""
    user._policy_membership = membership
