"""Writes for the alignment app: dependencies, quarterly steps and direct contributions.

Small typed functions the pages, the demo and the signal receivers share.
They check the rules that cross objects (same organisation, the key result
belongs to its objective, teams differ) and raise ``ValidationError`` with
per-field messages. Who may is ``accounts.policy``'s answer for the person who
acts (``created_by``, ``author``; ``None``: the system, such as the demo).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import policy, revision
from accounts.models import Organisation, User
from accounts.policy import Action
from alignment import selectors
from alignment.models import Dependency, KeyResultStep
from okr.lib import progress as engine
from okr.models import Cycle, KeyResult, Objective
from okr.objectives import stored

# --- Dependencies --------------------------------------------------------------------------


def _side(organisation, objective, key_result, field: str) -> None:
    if (
        objective is None
        or objective.organisation_id != organisation.id
        or objective.level != Objective.Level.TEAM
        or objective.team_id is None
        or objective.status == Objective.Status.ARCHIVED
    ):
        raise ValidationError({field: _("Choose a team objective or one of its key results.")})
    if key_result is not None and (
        key_result.objective_id != objective.id or key_result.organisation_id != organisation.id
    ):
        raise ValidationError({field: _("Choose a team objective or one of its key results.")})


@transaction.atomic
def dependency_create(
    *,
    organisation: Organisation,
    needing_objective: Objective,
    delivering_objective: Objective,
    description: str,
    needed_by: date,
    needing_key_result: KeyResult | None = None,
    delivering_key_result: KeyResult | None = None,
    created_by: User | None = None,
) -> Dependency:
    policy.enforce(created_by, Action.DEPENDENCY_CREATE, organisation=organisation)
    _side(organisation, needing_objective, needing_key_result, "needing")
    _side(organisation, delivering_objective, delivering_key_result, "delivering")
    if needing_objective.team_id == delivering_objective.team_id:
        raise ValidationError(
            {"delivering": _("Choose another team's objective: a team does not depend on itself.")}
        )
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Say what is needed.")})
    if needed_by is None:
        raise ValidationError({"needed_by": _("Enter the date it is needed by.")})
    return Dependency.objects.create(
        organisation=organisation,
        needing_team_id=needing_objective.team_id,
        needing_objective=needing_objective,
        needing_key_result=needing_key_result,
        delivering_team_id=delivering_objective.team_id,
        delivering_objective=delivering_objective,
        delivering_key_result=delivering_key_result,
        description=description,
        needed_by=needed_by,
        created_by=created_by,
    )


def dependency_set_state(
    *, dependency: Dependency, state: str, author: User | None = None
) -> Dependency:
    policy.enforce(author, Action.DEPENDENCY_MANAGE, dependency)
    if state not in Dependency.State.values:
        raise ValidationError({"state": _("Choose open or resolved.")})
    resolved_at = timezone.now() if state == Dependency.State.RESOLVED else None
    Dependency.objects.filter(pk=dependency.pk).update(state=state, resolved_at=resolved_at)
    revision.bump(dependency.organisation_id)
    dependency.state, dependency.resolved_at = state, resolved_at
    return dependency


def dependency_delete(*, dependency: Dependency, author: User | None = None) -> None:
    policy.enforce(author, Action.DEPENDENCY_MANAGE, dependency)
    Dependency.objects.filter(pk=dependency.pk).delete()


# --- Quarterly steps ----------------------------------------------------------------------------


def _check_steppable(key_result: KeyResult) -> None:
    if (
        key_result.kind != KeyResult.Kind.METRIC
        or key_result.objective.cycle.kind != Cycle.Kind.YEAR
        or key_result.start_value is None
        or key_result.target_value is None
    ):
        raise ValidationError(
            _("Only a yearly metric key result with a start and a target has quarterly steps.")
        )


@transaction.atomic
def key_result_steps_set(
    *, key_result: KeyResult, targets: dict[Cycle, Decimal | None], author: User | None = None
) -> list[KeyResultStep]:
    """Set (or clear, with ``None``) the cumulative target of each quarter of a yearly key result.

    The steps must move from the start towards the target in the key
    result's direction and stay within them; errors are keyed by
    ``q<quarter number>``.
    """
    policy.enforce(author, Action.KEY_RESULT_SET_STEPS, key_result)
    _check_steppable(key_result)
    start, target = key_result.start_value, key_result.target_value
    low, high = min(start, target), max(start, target)
    increasing = target > start
    errors: dict[str, str] = {}
    previous = None
    for quarter in sorted(targets, key=lambda q: q.start_date):
        if quarter.parent_id != key_result.objective.cycle_id:
            raise ValidationError(_("Choose a quarter of the key result's year."))
        value = targets[quarter]
        if value is None:
            continue
        key = f"q{quarter.quarter}"
        if not low <= value <= high:
            errors[key] = _("Enter a value between the start and the target.")
        elif previous is not None and (value < previous if increasing else value > previous):
            errors[key] = (
                _("The steps add up: enter at least the previous quarter's value.")
                if increasing
                else _("The steps add up: enter at most the previous quarter's value.")
            )
        previous = value
    if errors:
        raise ValidationError(errors)
    saved = []
    for quarter, value in targets.items():
        if value is None:
            KeyResultStep.objects.filter(key_result=key_result, quarter=quarter).delete()
            continue
        step, _created = KeyResultStep.objects.update_or_create(
            key_result=key_result,
            quarter=quarter,
            defaults={"target_value": value, "organisation_id": key_result.organisation_id},
        )
        saved.append(step)
    stored.refresh(key_results=[key_result])  # the expected pace follows the steps
    return saved


# --- Direct contributions -------------------------------------------------------------------------


def contribution_recompute(key_result: KeyResult, at: datetime | None = None) -> Decimal | None:
    """Store the sum of a summing key result's direct contributions as its current value.

    Only for a key result that sums them (``rollup = "sum"``, a metric in a
    summable unit): the engine (``okr.lib.progress.combine_contributions``)
    adds the current values of the team key results aligned *directly* to it
    in the same unit, and that sum is written with one UPDATE (no check-in is
    recorded). Every page computes the same sum when it reads; storing it
    keeps the stored value, the history chart and the API's raw field in
    step. ``last_check_in_at`` moves to ``at`` if that is later. Returns the
    new value (``None``: nothing to sum yet, nothing written).
    """
    if (
        engine.rollup_problem(kind=key_result.kind, unit=key_result.unit, rollup=key_result.rollup)
        is not None
        or key_result.rollup != KeyResult.Rollup.SUM
    ):
        return None
    children = [
        engine.Contribution(current, unit, kind)
        for current, unit, kind in selectors.direct_children(key_result).values_list(
            "current_value", "unit", "kind"
        )
    ]
    parent = engine.KeyResultFacts(
        period_start=date.min,
        period_end=date.max,
        kind=key_result.kind,
        unit=key_result.unit,
        rollup=key_result.rollup,
        current=key_result.current_value,
    )
    total = engine.combine_contributions(parent, children).total
    if total is None:
        return None
    update = {"current_value": total}
    if at is not None and (key_result.last_check_in_at is None or at > key_result.last_check_in_at):
        update["last_check_in_at"] = at
    KeyResult.objects.filter(pk=key_result.pk).update(**update)
    for name, value in update.items():
        setattr(key_result, name, value)
    return total


def contributions_after_check_in(*, key_result: KeyResult, at: datetime | None = None) -> None:
    """After a check-in on ``key_result``: recompute what sums it (and itself, if it sums).

    A check-in typed straight on a key result that takes its value from its
    children keeps its confidence and note, but the value goes back to the sum.
    """
    row = (
        Objective.objects.filter(pk=key_result.objective_id)
        .values("parent_key_result_id", "alignment")
        .first()
    )
    candidates = Q(pk=key_result.pk)
    if row and row["parent_key_result_id"] and row["alignment"] == Objective.Alignment.DIRECT:
        candidates |= Q(pk=row["parent_key_result_id"])
    for kr in (
        KeyResult.objects.select_for_update()
        .filter(candidates, rollup=KeyResult.Rollup.SUM, kind=KeyResult.Kind.METRIC)
        .order_by("pk")
    ):
        contribution_recompute(kr, at)
