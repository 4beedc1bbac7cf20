"""Reads for the alignment pages. Each takes the organisation first and runs a fixed number of queries.

The tree loads plain rows with ``.values_list()`` (no model instances, no
prefetch): about 10,000 rows of a large organisation come back in tens of
milliseconds that way, and ``alignment.tree`` works on them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.db import connections
from django.db.models import CharField, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Lower, Trim

from accounts.models import Membership, Team
from alignment import dependency_list, rules, tree_personal
from alignment import tree as tree_module
from alignment.models import Dependency, KeyResultStep
from alignment.tree import CycleRow, KeyResultRow, ObjectiveRow, StepRow, TeamRow
from okr.lib import progress
from okr.models import Cycle, KeyResult, Objective, Score

# --- Cycles, teams and people ---------------------------------------------------------------


def cycles_of(organisation) -> list[Cycle]:
    """Every year and quarter of the organisation (1 query; a few rows per year)."""
    return list(Cycle.objects.filter(organisation=organisation).order_by("start_date", "kind"))


def teams_of(organisation) -> list[TeamRow]:
    """Every team in display order (1 query)."""
    return [
        TeamRow._make(row)
        for row in Team.objects.filter(organisation=organisation)
        .order_by("order", "name", "id")
        .values_list("id", "uuid", "name", "parent_id")
    ]


class Person(NamedTuple):
    id: int
    uuid: object
    name: str


def people_of(organisation) -> list[Person]:
    """Members by name, for the owner filter and for owner names in the tree (1 query)."""
    rows = (
        Membership.objects.filter(organisation=organisation)
        .order_by("user__name", "user__email")
        .values_list("user_id", "user__uuid", "user__name", "user__email")
    )
    return [Person(pk, code, name or email) for pk, code, name, email in rows]


# --- The tree --------------------------------------------------------------------------------

# Public ids come as text (``code``): no uuid.UUID to build and print again for every node.
OBJECTIVE_FIELDS = (
    "id",
    "code",
    "level",
    "title",
    "team_id",
    "cycle_id",
    "parent_objective_id",
    "parent_key_result_id",
    "alignment",
    "status",
    "owner_id",
    "stored_numbers",
    "numbers_on",
)
KEY_RESULT_FIELDS = (
    "id",
    "code",
    "objective_id",
    "title",
    "kind",
    "unit",
    "start_value",
    "target_value",
    "current_value",
    "done",
    "steps_done",
    "steps_total",
    "owner_id",
    "confidence",
    "rollup",
    "weight",
    "commitment",
    "stored_numbers",
    "numbers_on",
)


@dataclass
class TreeRows:
    cycles: list[CycleRow]
    objectives: list[ObjectiveRow]
    key_results: list[KeyResultRow]
    steps: list[StepRow]
    scores: dict[str, float] = field(default_factory=dict)  # closed cycles: node id -> score


def _on_postgresql(queryset) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def _rows(queryset, row_type) -> list:
    """The rows of a ``values_list()`` queryset as ``row_type`` tuples.

    On PostgreSQL the queryset's SQL runs straight on the cursor: no field
    there needs a converter (numbers come as Decimal, the public id as text
    through the ``code`` cast), so Django's per-row work can be skipped, a
    third of the time for the 10,000 rows of a large organisation. Other
    databases (SQLite in the embedded default) go through Django.
    """
    if not _on_postgresql(queryset):
        return list(map(row_type._make, queryset))
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return list(map(row_type._make, cursor.fetchall()))


def _public_id(queryset):
    """``code``: the uuid as text from PostgreSQL (no uuid.UUID per row); elsewhere the uuid."""
    if _on_postgresql(queryset):
        return queryset.annotate(code=Cast("uuid", output_field=CharField()))
    return queryset.annotate(code=F("uuid"))


def tree_rows(organisation, year: Cycle, quarters: list[Cycle], team_ids=None) -> TreeRows:
    """The year's strategic OKRs and its quarters' team OKRs, archived left out (3 queries).

    Plus one for the frozen scores once a cycle of the year is closed.

    ``team_ids`` narrows the team objectives to those teams (lazy expand);
    the strategic ones always come.
    """
    cycle_ids = [year.id, *(q.id for q in quarters)]
    objectives = (
        _public_id(Objective.objects.filter(organisation=organisation, cycle_id__in=cycle_ids))
        .exclude(status=Objective.Status.ARCHIVED)
        # Strategic drafts (next year's, okr.years) join the tree when leadership publishes.
        .exclude(level=Objective.Level.STRATEGIC, status=Objective.Status.DRAFT)
        .order_by("level", "order", "id")
    )
    key_results = (
        _public_id(
            KeyResult.objects.filter(
                organisation=organisation, archived=False, objective__cycle_id__in=cycle_ids
            )
        )
        .exclude(objective__status=Objective.Status.ARCHIVED)
        .exclude(
            objective__level=Objective.Level.STRATEGIC, objective__status=Objective.Status.DRAFT
        )
        .order_by("order", "id")
    )
    if team_ids is not None:
        objectives = objectives.filter(Q(level=Objective.Level.STRATEGIC) | Q(team_id__in=team_ids))
        key_results = key_results.filter(
            Q(objective__level=Objective.Level.STRATEGIC) | Q(objective__team_id__in=team_ids)
        )
    steps = KeyResultStep.objects.filter(
        organisation=organisation, quarter__parent_id=year.id
    ).order_by("quarter__start_date")
    cycles = [year, *quarters]
    return TreeRows(
        cycles=[
            CycleRow(
                c.id, c.kind, c.quarter, c.start_date, c.end_date, c.state == Cycle.State.CLOSED
            )
            for c in cycles
        ],
        objectives=_rows(objectives.values_list(*OBJECTIVE_FIELDS), ObjectiveRow),
        key_results=_rows(key_results.values_list(*KEY_RESULT_FIELDS), KeyResultRow),
        steps=[
            StepRow._make(r)
            for r in steps.values_list("key_result_id", "quarter__end_date", "target_value")
        ],
        scores=frozen_scores([c.id for c in cycles if c.state == Cycle.State.CLOSED]),
    )


def frozen_scores(cycle_ids: list[int]) -> dict[str, float]:
    """The frozen scores of closed cycles by tree node id ("k12", "o5"), overrides applied.

    One query, and none while no cycle of the year is closed.
    """
    if not cycle_ids:
        return {}
    scores = {}
    for kr_id, objective_id, override, computed in Score.objects.filter(
        cycle_id__in=cycle_ids
    ).values_list("key_result_id", "objective_id", "override", "computed"):
        value = override if override is not None else computed
        if value is not None:
            scores[f"k{kr_id}" if kr_id is not None else f"o{objective_id}"] = value
    return scores


class DependencyRow(NamedTuple):
    """An open dependency as the tree shows it on its nodes and in its list."""

    uuid: object
    needing_team: str
    delivering_team: str
    needing_objective_id: int
    needing_key_result_id: int | None
    delivering_objective_id: int
    delivering_key_result_id: int | None
    description: str
    needed_by: date
    needing_title: str  # the key result's title if one is named, else the objective's
    needing_code: object  # ... and its uuid (the node's anchor in the tree)
    delivering_title: str
    delivering_code: object
    due: date
    late: bool


# What an open dependency's delivering side says about when it is due and whether it delivered.
DELIVERY_FIELDS = (
    "delivering_objective__cycle__end_date",
    "delivering_key_result__kind",
    "delivering_key_result__due_date",
    "delivering_key_result__done",
    "delivering_key_result__start_value",
    "delivering_key_result__target_value",
    "delivering_key_result__current_value",
)


def _open_due_and_late(needed_by, cycle_end, kind, due_date, done, start, target, current):
    """An open dependency's due date and late flag from its ``DELIVERY_FIELDS``."""
    due = rules.delivery_due(due_date, cycle_end)
    delivered = kind is not None and rules.is_delivered(
        kind, bool(done), progress.metric_progress(start, target, current)
    )
    return due, rules.is_late(open_=True, needed_by=needed_by, due=due, delivered=delivered)


def late_dependency_count(organisation) -> int:
    """How many open dependencies are late, flagged as ``open_dependencies`` flags them (1 query).

    Joins only the delivering side (four tables, not ``open_dependencies``' eight).
    """
    return sum(
        _open_due_and_late(needed_by, *facts)[1]
        for needed_by, *facts in Dependency.objects.filter(
            organisation=organisation, state=Dependency.State.OPEN
        ).values_list("needed_by", *DELIVERY_FIELDS)
    )


def open_dependencies(organisation, cycle_ids=None, team_ids=None) -> list[DependencyRow]:
    """Open dependencies with a side in the cycles (all: ``None``), flagged when late (1 query)."""
    queryset = Dependency.objects.filter(
        organisation=organisation, state=Dependency.State.OPEN
    ).order_by("needed_by", "id")
    if cycle_ids is not None:
        queryset = queryset.filter(
            Q(needing_objective__cycle_id__in=cycle_ids)
            | Q(delivering_objective__cycle_id__in=cycle_ids)
        )
    if team_ids is not None:
        queryset = queryset.filter(
            Q(needing_team_id__in=team_ids) | Q(delivering_team_id__in=team_ids)
        )
    rows = []
    for r in queryset.values_list(
        "uuid",
        "needing_team__name",
        "delivering_team__name",
        "needing_objective_id",
        "needing_key_result_id",
        "delivering_objective_id",
        "delivering_key_result_id",
        "description",
        "needed_by",
        "needing_objective__title",
        "needing_objective__uuid",
        "needing_key_result__title",
        "needing_key_result__uuid",
        "delivering_objective__title",
        "delivering_objective__uuid",
        "delivering_key_result__title",
        "delivering_key_result__uuid",
        *DELIVERY_FIELDS,
    ):
        head = r[:9]
        (n_title, n_code, nk_title, nk_code, d_title, d_code, dk_title, dk_code) = r[9:17]
        due, late = _open_due_and_late(head[8], *r[17:])
        rows.append(
            DependencyRow(
                *head,
                nk_title or n_title,
                nk_code or n_code,
                dk_title or d_title,
                dk_code or d_code,
                due,
                late,
            )
        )
    return rows


# --- The tree as the page and the API show it -------------------------------------------------


class TreeChoices(NamedTuple):
    """What the tree's filters choose from: cycles, teams in display order, people (3 queries)."""

    cycles: list[Cycle]
    teams: list[TeamRow]
    people: list[Person]

    @property
    def years(self) -> list[Cycle]:
        return [c for c in self.cycles if c.kind == Cycle.Kind.YEAR]


def tree_choices(organisation) -> TreeChoices:
    return TreeChoices(cycles_of(organisation), teams_of(organisation), people_of(organisation))


def pick_year(years: list[Cycle], wanted: int | None, today: date) -> Cycle | None:
    """The year asked for if it exists, else the current one, else the latest begun, else the first."""
    if wanted is not None:
        found = next((y for y in years if y.year == wanted), None)
        if found is not None:
            return found
    current = next((y for y in years if y.start_date <= today <= y.end_date), None)
    if current is not None:
        return current
    past = [y for y in years if y.start_date <= today]
    return past[-1] if past else (years[0] if years else None)


@dataclass
class AlignmentTree:
    """One year's tree with the filters applied, and the open dependencies of its cycles."""

    year: Cycle | None
    quarters: list[Cycle]
    quarter: Cycle | None
    filters: tree_module.Filters
    tree: tree_module.Tree | None
    dependencies: list[DependencyRow]


def alignment_tree(
    organisation,
    choices: TreeChoices,
    *,
    today: date,
    year: int | None = None,
    quarter: int | None = None,
    team: TeamRow | None = None,
    status: str | None = None,
    at_risk: bool = False,
    owner: Person | None = None,
    only_team_ids=None,
) -> AlignmentTree:
    """The tree of ``year`` (default: the current one) narrowed by the filters (4 queries).

    ``team`` also shows the teams below it; ``only_team_ids`` loads only those
    teams' objectives (the page's lazy expand). The page and the API both call this.
    """
    chosen = pick_year(choices.years, year, today)
    quarters = [c for c in choices.cycles if chosen is not None and c.parent_id == chosen.id]
    quarter_cycle = next((q for q in quarters if q.quarter == quarter), None)
    filters = tree_module.Filters(
        quarter_ids=frozenset({quarter_cycle.id}) if quarter_cycle else None,
        team_ids=tree_module.team_with_descendants(choices.teams, team.id) if team else None,
        statuses=frozenset({status}) if status else None,
        at_risk=bool(at_risk),
        owner_id=owner.id if owner else None,
    )
    result = AlignmentTree(chosen, quarters, quarter_cycle, filters, None, [])
    if chosen is None:
        return result
    rows = tree_rows(organisation, chosen, quarters, team_ids=only_team_ids)
    cycle_ids = [chosen.id, *(q.id for q in quarters)]
    result.dependencies = open_dependencies(organisation, cycle_ids, team_ids=only_team_ids)
    result.tree = tree_module.build(
        cycles=rows.cycles,
        teams=choices.teams,
        objectives=rows.objectives,
        key_results=rows.key_results,
        steps=rows.steps,
        scores=rows.scores,
        today=today,
        filters=filters,
    )
    # Personal objectives: a third level under the team's, never counted (same rows).
    tree_personal.attach(
        result.tree,
        cycles=rows.cycles,
        objectives=rows.objectives,
        key_results=rows.key_results,
        scores=rows.scores,
        today=today,
    )
    return result


# --- Dependencies as model instances (one dependency, the API, the approval queue) -------------


def dependencies(organisation) -> QuerySet:
    """Dependencies with both sides loaded, so ``is_late`` and the labels need no more queries."""
    return (
        Dependency.objects.filter(organisation=organisation)
        .select_related(
            "needing_team",
            "delivering_team",
            "needing_objective",
            "needing_key_result",
            "delivering_objective__cycle",
            "delivering_key_result",
            "created_by",
        )
        .order_by("state", "needed_by", "id")
    )


def dependencies_for(organisation, thing) -> list[dependency_list.Item]:
    """The dependencies of an objective, a key result or a team, either side, as list items.

    1 query when there are none, else up to 3 (``alignment.dependency_list``).
    """
    if isinstance(thing, Objective):
        condition = Q(needing_objective=thing) | Q(delivering_objective=thing)
    elif isinstance(thing, KeyResult):
        condition = Q(needing_key_result=thing) | Q(delivering_key_result=thing)
    elif isinstance(thing, Team):
        condition = Q(needing_team=thing) | Q(delivering_team=thing)
    else:
        raise TypeError(f"no dependencies for {type(thing).__name__}")
    return dependency_list.items(organisation, dependency_list.rows(organisation).filter(condition))


# --- Contributions and steps ---------------------------------------------------------------


def direct_children(key_result: KeyResult) -> QuerySet:
    """Team key results that add into ``key_result``: direct link, metric, same unit.

    Archived key results and objectives are left out, and personal OKRs never add in.
    """
    return (
        KeyResult.objects.alias(unit_key=Lower(Trim("unit")))
        .filter(
            organisation_id=key_result.organisation_id,
            objective__parent_key_result=key_result,
            objective__alignment=Objective.Alignment.DIRECT,
            kind=KeyResult.Kind.METRIC,
            unit_key=(key_result.unit or "").strip().lower(),
            archived=False,
        )
        .exclude(objective__status=Objective.Status.ARCHIVED)
        .exclude(objective__level=Objective.Level.PERSONAL)
        .order_by("objective__cycle__start_date", "objective__team__name", "order", "id")
    )


def steps_by_key_result(key_result_ids) -> dict[int, list[progress.Step]]:
    """The quarterly steps of the given key results, for the progress engine (1 query).

    Registered with ``okr.objectives.numbers`` when the app starts, so every
    okr page's expected pace follows the steps without okr importing alignment.
    """
    steps: dict[int, list[progress.Step]] = {}
    for kr_id, end, target in (
        KeyResultStep.objects.filter(key_result_id__in=list(key_result_ids))
        .order_by("quarter__start_date")
        .values_list("key_result_id", "quarter__end_date", "target_value")
    ):
        steps.setdefault(kr_id, []).append(progress.Step(end, target))
    return steps


class StrategicFacts(NamedTuple):
    """The quarters of a yearly key result with their step targets.

    What its direct contributions add up to is the engine's
    (``okr.objectives.numbers``): only a key result that sums them in a
    summable unit has a sum at all.
    """

    quarters: list[tuple[Cycle, Decimal | None]]


def strategic_facts(key_result: KeyResult) -> StrategicFacts:
    """The year's quarters with the step target of each (1 query)."""
    step = KeyResultStep.objects.filter(key_result=key_result, quarter=OuterRef("pk")).values(
        "target_value"
    )[:1]
    quarters = list(
        Cycle.objects.filter(parent_id=key_result.objective.cycle_id, kind=Cycle.Kind.QUARTER)
        .annotate(step_target=Subquery(step))
        .order_by("start_date")
    )
    return StrategicFacts(quarters=[(q, q.step_target) for q in quarters])


def parent_for_contribution(key_result: KeyResult) -> KeyResult | None:
    """The strategic key result a team key result adds into, if it does (0 or 1 query).

    Only through a direct link, into a key result that sums its direct
    contributions in a summable unit, from a metric in the same unit.
    """
    objective = key_result.objective
    if (
        objective.alignment != Objective.Alignment.DIRECT
        or objective.parent_key_result_id is None
        or key_result.kind != KeyResult.Kind.METRIC
    ):
        return None
    parent = (
        KeyResult.objects.filter(pk=objective.parent_key_result_id, archived=False)
        .only("id", "uuid", "title", "kind", "unit", "target_value", "start_value", "rollup")
        .first()
    )
    if parent is None or not progress.adds_into(
        direct=True,
        parent_kind=parent.kind,
        parent_unit=parent.unit,
        parent_rollup=parent.rollup,
        child_kind=key_result.kind,
        child_unit=key_result.unit,
    ):
        return None
    return parent


# --- The new-dependency form ---------------------------------------------------------------


def dependency_sides(organisation) -> list[tuple]:
    """Team objectives of cycles that are not closed, with their key results (2 queries).

    Rows ``(team name, objective uuid, title, cycle label, [(kr uuid, kr title), ...])``
    by team, cycle and order.
    """
    wanted = (
        Objective.objects.filter(organisation=organisation, level=Objective.Level.TEAM)
        .exclude(status=Objective.Status.ARCHIVED)
        .exclude(cycle__state=Cycle.State.CLOSED)
        .order_by("team__order", "team__name", "cycle__start_date", "order", "id")
    )
    objectives = list(
        wanted.values_list(
            "id",
            "uuid",
            "title",
            "team__name",
            "cycle__kind",
            "cycle__year",
            "cycle__quarter",
            "cycle__start_date",
        )
    )
    krs: dict[int, list] = {}
    for objective_id, code, title in (
        KeyResult.objects.filter(
            # The same objectives as a subquery: thousands of ids as parameters cost more.
            organisation=organisation,
            archived=False,
            objective_id__in=wanted.order_by().values("id"),
        )
        .order_by("order", "id")
        .values_list("objective_id", "uuid", "title")
    ):
        krs.setdefault(objective_id, []).append((code, title))
    rows, labels = [], {}
    for pk, code, title, team, kind, year, quarter, start in objectives:
        # The model's label, from one ``Cycle`` per cycle (not one per objective: thousands).
        cycle = (kind, year, quarter, start)
        if cycle not in labels:
            labels[cycle] = Cycle(kind=kind, year=year, quarter=quarter, start_date=start).label
        rows.append((team, code, title, labels[cycle], krs.get(pk, [])))
    return rows
