"""The rows one team's workshop shows: its objectives of a quarter, their key results,
initiatives and status history, and the strategic objectives of the year (4 queries, none
while the organisation's revision has not moved).

The related rows are plain lists, not querysets: ``objective.krs`` (live key results,
in order), ``kr.initiative_list`` and ``objective.event_list``
(``approval.attach_events``). They are grouped here rather than by ``prefetch_related``,
which builds a queryset for every row. Only the team's objectives get initiatives and
history (the strategic ones are shown by title and picked as parents), and only the
fields the workshop reads are loaded. The workshop shows no progress, so no numbers are
computed.

All of it is the same for everyone who opens the workshop, and is read far more often
than written: it is kept per revision of the organisation (``accounts.revision``: every
save of an objective, key result, initiative, status event, cycle, team, membership or a
person's name moves it). Nothing about the person is kept (their rights are asked of the
policy afterwards, on these rows), nor what reads in their language (the changes an
event lists: ``approval.attach_events``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import django
from django.db.models import Q

from accounts import revision
from accounts.models import Team
from okr.models import Cycle, Initiative, KeyResult, Objective, ObjectiveEvent
from okr.objectives import approval

#: What the workshop reads of its objectives and key results (their stored numbers, times
#: and check-in state are for other pages); the services a conversion or a move calls get
#: these rows too, and read only these (a field left out would cost a query, not a mistake).
_PEOPLE = ("name", "email")
_OBJECTIVE_FIELDS = (
    *("organisation", "cycle", "level", "team", "owner", "uuid", "title", "why", "status"),
    *("parent_objective", "parent_key_result", "alignment", "order", "version"),
    *(f"owner__{name}" for name in _PEOPLE),
    "parent_objective__title",
    "parent_key_result__title",
)
_KEY_RESULT_FIELDS = (
    *("organisation", "objective", "uuid", "title", "kind", "unit", "direction"),
    *("start_value", "target_value", "due_date", "steps_total", "commitment", "owner"),
    *("weight", "rollup", "order", "archived", "version"),
    *(f"owner__{name}" for name in _PEOPLE),
)
_EVENT_FIELDS = (
    *("uuid", "organisation", "objective", "kind", "from_status", "to_status", "comment"),
    *("changes", "author", "created_at"),
    *(f"author__{name}" for name in _PEOPLE),
)
_INITIATIVE_FIELDS = ("key_result", "title", "order")
#: The kept rows are pickled model instances: a release that changes the models (or
#: Django) must not read the previous release's.
_SCHEMA = hashlib.sha256(
    repr(
        [
            django.__version__,
            _OBJECTIVE_FIELDS,
            _KEY_RESULT_FIELDS,
            _EVENT_FIELDS,
            _INITIATIVE_FIELDS,
            *(
                [f.attname for f in m._meta.concrete_fields]
                for m in (Objective, KeyResult, ObjectiveEvent, Initiative)
            ),
        ]
    ).encode()
).hexdigest()[:12]


def _by(rows, attribute: str) -> dict[int, list]:
    groups = defaultdict(list)
    for row in rows:
        groups[getattr(row, attribute)].append(row)
    return groups


def _objectives(organisation, team: Team, cycle: Cycle) -> tuple[list, list]:
    """The team's objectives and the year's strategic ones, each with ``krs``; the team's
    key results with ``initiative_list`` and its objectives with ``status_events`` (4 queries)."""
    both = Q(cycle=cycle, level=Objective.Level.TEAM, team=team)
    if cycle.parent_id is not None:
        # A strategic draft (okr.years) is no parent until leadership publishes it.
        both |= Q(cycle_id=cycle.parent_id, level=Objective.Level.STRATEGIC) & ~Q(
            status=Objective.Status.DRAFT
        )
    rows = list(
        Objective.objects.filter(both, organisation=organisation)
        .exclude(status=Objective.Status.ARCHIVED)
        .select_related("owner", "parent_objective", "parent_key_result")
        .only(*_OBJECTIVE_FIELDS)
        .order_by("team__order", "team__name", "order", "id")
    )
    key_results = _by(
        KeyResult.objects.filter(objective_id__in=[o.pk for o in rows], archived=False)
        .select_related("owner")
        .only(*_KEY_RESULT_FIELDS)
        .order_by("order", "id")
        if rows
        else [],
        "objective_id",
    )
    # One instance per person, however many rows they own: less to keep and to read back.
    people = {}
    for row in (*rows, *(kr for krs in key_results.values() for kr in krs)):
        if row.owner_id is not None:
            row.owner = people.setdefault(row.owner_id, row.owner)
    for objective in rows:
        objective.krs = key_results.get(objective.pk, [])
    objectives = [o for o in rows if o.level == Objective.Level.TEAM]
    team_krs = [kr for o in objectives for kr in o.krs]
    initiatives = _by(
        Initiative.objects.filter(key_result_id__in=[kr.pk for kr in team_krs]).only(
            *_INITIATIVE_FIELDS
        )
        if team_krs
        else [],
        "key_result_id",
    )
    events = _by(
        ObjectiveEvent.objects.filter(objective_id__in=[o.pk for o in objectives])
        .select_related("author")
        .only(*_EVENT_FIELDS)
        .order_by("created_at", "id")
        if objectives
        else [],
        "objective_id",
    )
    for kr in team_krs:
        kr.initiative_list = initiatives.get(kr.pk, [])
    for objective in objectives:
        objective.status_events = events.get(objective.pk, [])
    return objectives, [o for o in rows if o.level == Objective.Level.STRATEGIC]


def owners(organisation, team: Team, cycle: Cycle | None) -> frozenset[int]:
    """Who owns one of the team's objectives or key results of the quarter: the policy
    lets an owner do more than others with the same standing (``Rel.OWNER``)."""
    if cycle is None:
        return frozenset()
    return revision.cached(
        organisation.pk,
        "workshop-owners",
        [team.pk, cycle.pk],
        lambda: frozenset(
            row.owner_id
            for objective in _kept(organisation, team, cycle)[0]
            for row in (objective, *objective.krs)
            if row.owner_id is not None
        ),
    )


def _kept(organisation, team: Team, cycle: Cycle) -> tuple[list, list]:
    return revision.cached(
        organisation.pk,
        "workshop-objectives",
        [team.pk, cycle.pk, _SCHEMA],
        lambda: _objectives(organisation, team, cycle),
    )


def workshop_and_strategic(
    organisation, team: Team, cycle: Cycle | None
) -> tuple[list[Objective], list[Objective]]:
    """The team's objectives of the quarter (with key results, initiatives and status history)
    and the strategic objectives of its year (with key results)."""
    if cycle is None:
        return [], []
    objectives, strategic = _kept(organisation, team, cycle)
    for objective in objectives:
        # The team and quarter asked for are the objective's (set, not joined nor kept).
        objective.team, objective.cycle = team, cycle
        for kr in objective.krs:
            kr.objective = objective  # the policy asks about the key result's objective
        history = objective.status_events
        approval.attach_events(objective, history)
        objective.last_comment = next(
            (e for e in reversed(history) if e.comment and e.to_status == objective.status), None
        )
    return objectives, strategic


def parent_labels(strategic: list[Objective]) -> dict:
    """``("objective"|"key_result", pk) -> (text, objective text or None)`` for showing a parent."""
    labels = {}
    for objective in strategic:
        labels[("objective", objective.pk)] = (objective.title, None)
        for kr in objective.krs:
            labels[("key_result", kr.pk)] = (kr.title, objective.title)
    return labels
