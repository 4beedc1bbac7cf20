"""Facts from the models, numbers onto them: how pages, jobs, exports and the API ask the engine.

``okr.lib.progress`` computes every number from plain facts; this module
reads those facts for a batch of key results and objectives (their cycle's
dates and state, their quarterly steps, their frozen scores, and for a key
result that sums its direct children the children's current values) in a
fixed number of queries, whatever the size of the batch, and sets:

* ``kr.numbers`` (``KeyResultNumbers``) and, for templates that predate it,
  ``kr.progress_value``, ``kr.expected``, ``kr.behind`` and ``kr.expected_value``;
  a key result that sums its children gets the sum as ``kr.current_value``;
* ``objective.numbers`` (``ObjectiveNumbers``) and ``objective.progress_value``,
  ``objective.expected``, ``objective.behind``.

The quarterly steps live in the alignment app, which okr never imports:
alignment registers a loader with ``register_steps_source`` when it starts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from django.utils.translation import gettext as _

from okr.lib import progress as engine
from okr.models import Cycle, KeyResult, Objective, Score

#: ``key result ids -> {id: [Step, ...]}``; set by the alignment app (one query per call).
StepsSource = Callable[[Sequence[int]], dict[int, list[engine.Step]]]
_steps_source: StepsSource | None = None


def register_steps_source(source: StepsSource | None) -> None:
    """Where quarterly steps come from (the alignment app calls this in ``ready()``)."""
    global _steps_source
    _steps_source = source


# --- Loading the facts ---------------------------------------------------------------------


def _may_have_steps(kr: KeyResult, cycle: Cycle) -> bool:
    return (
        cycle.kind == Cycle.Kind.YEAR
        and kr.kind == KeyResult.Kind.METRIC
        and kr.start_value is not None
        and kr.target_value is not None
    )


def steps_of(krs: Sequence[KeyResult], cycles: dict[int, Cycle]) -> dict[int, list[engine.Step]]:
    """Quarterly steps of the yearly metrics among ``krs`` (1 query, none when there are none)."""
    ids = [kr.pk for kr in krs if _may_have_steps(kr, cycles[kr.pk])]
    if not ids or _steps_source is None:
        return {}
    return _steps_source(ids)


def key_result_scores(krs: Sequence[KeyResult], cycles: dict[int, Cycle]) -> dict[int, float]:
    """Frozen scores (override wins) of the key results in closed cycles (1 query, or none)."""
    ids = [kr.pk for kr in krs if cycles[kr.pk].state == Cycle.State.CLOSED]
    if not ids:
        return {}
    rows = Score.objects.filter(key_result_id__in=ids).values_list(
        "key_result_id", "override", "computed"
    )
    return {kr_id: o if o is not None else c for kr_id, o, c in rows if (o, c) != (None, None)}


def objective_scores(objectives: Sequence[Objective]) -> dict[int, float]:
    """Frozen scores of the objectives in closed cycles (1 query, or none)."""
    ids = [o.pk for o in objectives if o.cycle.state == Cycle.State.CLOSED]
    if not ids:
        return {}
    rows = Score.objects.filter(objective_id__in=ids).values_list(
        "objective_id", "override", "computed"
    )
    return {pk: o if o is not None else c for pk, o, c in rows if (o, c) != (None, None)}


def direct_children_values(parent_ids: Iterable[int]) -> dict[int, list[engine.Contribution]]:
    """The direct children of the given key results, as the roll-up sees them (1 query, or none).

    Children are the live key results of the live team objectives aligned
    *directly* to the parent; ``combine_contributions`` decides which add in.
    Personal objectives (okr.personal) are never a contribution.
    """
    ids = list(parent_ids)
    if not ids:
        return {}
    rows = (
        KeyResult.objects.filter(
            objective__parent_key_result_id__in=ids,
            objective__alignment=Objective.Alignment.DIRECT,
            archived=False,
        )
        .exclude(objective__status=Objective.Status.ARCHIVED)
        .exclude(objective__level=Objective.Level.PERSONAL)
        .values_list("objective__parent_key_result_id", "kind", "unit", "current_value")
    )
    children: dict[int, list[engine.Contribution]] = {}
    for parent_id, kind, unit, current in rows:
        children.setdefault(parent_id, []).append(
            engine.Contribution(current=current, unit=unit, kind=kind)
        )
    return children


def facts_of(
    kr: KeyResult,
    cycle: Cycle,
    *,
    steps: Sequence[engine.Step] = (),
    score: float | None = None,
) -> engine.KeyResultFacts:
    """The engine's facts of one key result in ``cycle`` (its objective's)."""
    return engine.KeyResultFacts(
        period_start=cycle.start_date,
        period_end=cycle.end_date,
        kind=kr.kind,
        start=kr.start_value,
        target=kr.target_value,
        current=kr.current_value,
        done=kr.done,
        steps_done=kr.steps_done,
        steps_total=kr.steps_total,
        commitment=kr.commitment,
        steps=tuple(steps),
        weight=kr.weight,
        unit=kr.unit,
        rollup=kr.rollup,
        closed=cycle.state == Cycle.State.CLOSED,
        score=score,
        confidence=kr.confidence,
    )


# --- Setting the numbers ----------------------------------------------------------------------


def set_key_result(kr: KeyResult, numbers: engine.KeyResultNumbers) -> None:
    """The engine's numbers on a key result, as attributes the templates read."""
    kr.numbers = numbers
    kr.progress_value = numbers.progress
    kr.expected = numbers.expected
    kr.behind = numbers.behind
    kr.expected_value = numbers.expected_amount if kr.kind == KeyResult.Kind.METRIC else None


def annotate_key_results(
    krs: Iterable[KeyResult], today: date, *, cycle: Cycle | None = None
) -> list[KeyResult]:
    """Set the numbers on each key result (at most 3 queries for the batch: steps, scores, sums).

    Each key result's cycle is ``cycle`` or its objective's (select it with
    the key result to avoid a query each).
    """
    krs = list(krs)
    _annotate(krs, today, {kr.pk: cycle or kr.objective.cycle for kr in krs})
    return krs


def annotate_objectives(
    objectives: Sequence[Objective],
    today: date,
    *,
    cycle: Cycle | None = None,
    key_results: Iterable[KeyResult] = (),
) -> Sequence[Objective]:
    """Numbers on objectives and their prefetched live key results (at most 4 queries in all).

    ``key_results``: more key results (their objective's cycle selected with
    them) numbered in the same batch, so a page that shows both pays the
    steps, scores and sums queries once.
    """
    krs, cycles = [], {}
    for objective in objectives:
        for kr in objective.key_results.all():
            krs.append(kr)
            cycles[kr.pk] = objective.cycle if objective.cycle_id else cycle
    for kr in key_results:
        krs.append(kr)
        cycles[kr.pk] = kr.objective.cycle
    _annotate(krs, today, cycles)
    scores = objective_scores(objectives)
    for objective in objectives:
        numbers = engine.objective_numbers(
            [kr.numbers for kr in objective.key_results.all()],
            closed=(objective.cycle if objective.cycle_id else cycle).state == Cycle.State.CLOSED,
            score=scores.get(objective.pk),
        )
        set_objective(objective, numbers)
    return objectives


def _annotate(krs: list[KeyResult], today: date, cycles: dict[int, Cycle]) -> None:
    steps = steps_of(krs, cycles)
    scores = key_result_scores(krs, cycles)
    children = direct_children_values(kr.pk for kr in krs if sums(kr))
    for kr in krs:
        facts = facts_of(kr, cycles[kr.pk], steps=steps.get(kr.pk, ()), score=scores.get(kr.pk))
        rolled = engine.combine_contributions(facts, children.get(kr.pk, ()))
        kr.facts = rolled.facts
        kr.rolled_up = rolled if rolled.summed else None
        if rolled.summed:
            # The sum *is* its current value, on this page as everywhere.
            kr.current_value = rolled.total
        set_key_result(kr, engine.key_result_status(rolled.facts, on=today))


def sums(kr: KeyResult) -> bool:
    """Does this key result's current value come from the sum of its direct children?"""
    return (
        kr.rollup == KeyResult.Rollup.SUM
        and engine.rollup_problem(kind=kr.kind, unit=kr.unit, rollup=kr.rollup) is None
    )


def set_objective(objective: Objective, numbers: engine.ObjectiveNumbers) -> None:
    objective.numbers = numbers
    objective.progress_value = numbers.progress
    objective.expected = numbers.expected
    objective.behind = numbers.behind


# --- What the roll-up refuses, in words ---------------------------------------------------


def rollup_refusal(*, kind: str, unit: str, rollup: str) -> str | None:
    """Why a key result may not sum its direct contributions, translated (``None``: it may)."""
    problem = engine.rollup_problem(kind=kind, unit=unit, rollup=rollup)
    if problem == engine.NOT_METRIC:
        return _("Only a metric can add up its direct contributions.")
    if problem == engine.NOT_SUMMABLE:
        return _(
            "%(unit)s cannot be added up: rates, percentages, NPS and averages are listed, "
            "never summed. Choose “Listed, never added”."
        ) % {"unit": unit}
    return None


def contribution_refusal(parent: KeyResult | None, *, kind: str, unit: str) -> str | None:
    """Why a key result may not feed ``parent`` directly, translated (``None``: it may).

    Only a parent that sums its direct contributions refuses anything, and
    only a key result in another unit of the same quantity (kSEK into MSEK):
    adding it would be wrong, and leaving it out silently too. Other key
    results ("40 kundmöten", a milestone) are listed and never added.
    """
    if parent is None:
        return None
    problem = engine.contribution_problem(
        parent_kind=parent.kind,
        parent_unit=parent.unit,
        parent_rollup=parent.rollup,
        child_kind=kind,
        child_unit=unit,
    )
    if problem == engine.UNIT_MISMATCH:
        return _(
            "“%(parent)s” adds up its direct contributions in %(unit)s: enter this key result "
            "in %(unit)s too, not %(child)s, or align the objective indirectly."
        ) % {"parent": parent.title, "unit": parent.unit, "child": unit}
    return None


def summing_parent(objective: Objective) -> KeyResult | None:
    """The key result ``objective``'s key results add into, if it is linked directly to one that sums."""
    if objective.alignment != Objective.Alignment.DIRECT or objective.parent_key_result_id is None:
        return None
    if objective.level == Objective.Level.PERSONAL:  # never counted in the parent's numbers
        return None
    parent = objective.parent_key_result
    return parent if parent is not None and sums(parent) else None
